import { z } from 'zod';
import type { ProbeReport } from '../core/verdict/report.js';

/**
 * Caps on what a page may submit. Real reports are far smaller (a browser gathers a
 * handful of candidates); the caps only stop a hostile client from making us store or
 * parse megabytes.
 */
export const REPORT_LIMITS = {
  connections: 8,
  candidatesPerConnection: 100,
  candidateLength: 512,
  sdpLength: 32_768,
  statsPerConnection: 100,
  stringLength: 256,
  userAgentLength: 512,
  errorLength: 512,
  /** The whole JSON body, bytes (enforced by the HTTP layer before parsing). */
  bodyBytes: 256 * 1024,
} as const;

const shortString = z.string().max(REPORT_LIMITS.stringLength);
const port = z.number().int().min(0).max(65535);

const statsCandidate = z
  .object({
    address: shortString.nullish(),
    port: port.nullish(),
    protocol: shortString.nullish(),
    candidateType: shortString.nullish(),
    relatedAddress: shortString.nullish(),
    relatedPort: port.nullish(),
    foundation: shortString.nullish(),
    url: shortString.nullish(),
  })
  .strip();

const connection = z
  .object({
    label: z.enum(['host-only', 'stun-ipv4', 'stun-ipv6', 'ice-lite']),
    candidates: z
      .array(z.string().max(REPORT_LIMITS.candidateLength))
      .max(REPORT_LIMITS.candidatesPerConnection),
    sdp: z.string().max(REPORT_LIMITS.sdpLength).nullable(),
    stats: z.array(statsCandidate).max(REPORT_LIMITS.statsPerConnection),
    gatheringComplete: z.boolean(),
    durationMs: z.number().finite().min(0).max(600_000),
    error: z.string().max(REPORT_LIMITS.errorLength).nullish(),
  })
  .strip();

/** zod schema of the probe → service contract (`src/core/verdict/report.ts`), with caps. */
export const probeReportSchema = z
  .object({
    version: z.literal(1),
    userAgent: z.string().max(REPORT_LIMITS.userAgentLength),
    rtcPeerConnection: z.enum(['present', 'absent', 'throws', 'replaced']),
    mediaPermission: z.boolean(),
    connections: z.array(connection).max(REPORT_LIMITS.connections),
    durationMs: z.number().finite().min(0).max(600_000),
  })
  .strip();

/** `T` with every property and array read-only, as `ProbeReport` declares them. */
type DeepReadonly<T> = T extends readonly (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** True only when `A` and `B` are the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// The schema and the documented contract cannot drift apart: `tsc` fails here when a field
// is added, removed, renamed, retyped or made optional in one but not the other.
true satisfies Equal<DeepReadonly<z.infer<typeof probeReportSchema>>, ProbeReport>;

/** Validates an untrusted body; the error lists the first problems with their paths. */
export function parseProbeReport(
  body: unknown,
): { ok: true; report: ProbeReport } | { ok: false; problems: string[] } {
  const parsed = probeReportSchema.safeParse(body);
  if (parsed.success) return { ok: true, report: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`),
  };
}
