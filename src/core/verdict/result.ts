import type { IceCheckObservation, StunBindingObservation } from '../observation.js';
import type { ProbeReport } from './report.js';
import type { BrowserFamily, Finding, HttpSeenAddress, Verdict } from './types.js';

/**
 * Version of the result JSON (`GET /api/results/:id`). Bump it on any change a client
 * could notice (removed or renamed field, changed meaning); adding a field does not.
 * Documented in docs/serve.md.
 */
export const RESULT_SCHEMA_VERSION = 1;

/** One leak-test result as `iceleak serve` stores and serves it, and the page renders it. */
export interface StoredResult {
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly id: string;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
  readonly browser: { readonly family: BrowserFamily; readonly userAgent: string };
  readonly http: { readonly addresses: readonly HttpSeenAddress[] };
  /** What the page reported (untrusted, validated and capped). */
  readonly client: {
    readonly rtcPeerConnection: ProbeReport['rtcPeerConnection'];
    readonly mediaPermission: boolean;
    readonly durationMs: number;
    readonly connections: ProbeReport['connections'];
  } | null;
  /** What our own servers saw for this session: the ground truth. */
  readonly server: {
    readonly stun: readonly StunBindingObservation[];
    readonly iceChecks: readonly IceCheckObservation[];
    /** Milliseconds the report request waited for ICE checks to arrive. */
    readonly waitedMs: number;
  };
}
