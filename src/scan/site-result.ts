import type { ApiCall, RequestRecord } from './capture.js';
import type { ScriptFinding } from './rules.js';

/**
 * One unit of work: a URL in, a {@link SiteResult} out (`runScanJob` in run-job.ts). Plain
 * data on both sides, so a shared queue can later hand jobs to other machines and collect
 * their results.
 */
export interface ScanJob {
  readonly url: string;
  /** Navigation limit (ms): the page must reach `load` within it. */
  readonly timeoutMs: number;
  /** How long to keep watching after `load` (ms): harvesters often wait or use timers. */
  readonly dwellMs: number;
}

/** The result of one {@link ScanJob}. */
export interface SiteResult {
  readonly url: string;
  readonly status: 'ok' | 'error';
  /** Stable error code and one-line message when status is `error`. */
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly attempts: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly finalUrl: string | null;
  /** Per script URL: classifications with evidence. Empty when the page used no WebRTC. */
  readonly scripts: readonly ScriptFinding[];
  /** True when some script harvested addresses (public, local or exfiltration). */
  readonly harvesting: boolean;
  /** The first calls of the page (all scripts), in order; findings hold each script's own. */
  readonly calls: readonly ApiCall[];
  /** Every request the page sent, without headers or bodies (those stay in the evidence). */
  readonly requests: readonly SiteRequest[];
}

/** A request as kept in a {@link SiteResult}: enough to see what the page talked to. */
export type SiteRequest = Pick<RequestRecord, 'time' | 'url' | 'method' | 'resourceType' | 'initiator'> & {
  readonly postBytes: number;
};
