import type { ErrorCode } from '../core/errors.js';

/**
 * The codes the HTTP API answers with, `{"error": {"code", "message"}}` (docs/serve.md,
 * "HTTP API"; a test keeps the two in step). Each is a row of ERROR_CODES in src/core/errors.ts.
 */
export const API_ERROR_CODES = [
  'E_BAD_REQUEST',
  'E_BODY_TOO_LARGE',
  'E_RATE_LIMITED',
  'E_NOT_FOUND',
  'E_INTERNAL',
  'E_SESSION_UNKNOWN',
  'E_SESSION_REPORTED',
  'E_OFFER_INVALID',
  'E_REPORT_INVALID',
  'E_RESULT_UNKNOWN',
] as const satisfies readonly ErrorCode[];

/** A code the HTTP API answers with. */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];
