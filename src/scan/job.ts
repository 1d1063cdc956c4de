import type { ScriptFinding } from './rules.js';

/**
 * One unit of work: a URL in, a {@link SiteResult} out. Plain data on both sides, so a
 * shared queue can later hand jobs to other machines and collect their results.
 */
export interface ScanJob {
  readonly url: string;
  /** Navigation limit (ms): the page must reach `load` within it. */
  readonly timeoutMs: number;
  /** How long to keep watching after `load` (ms): harvesters often wait or use timers. */
  readonly dwellMs: number;
}

/** One WebRTC API call as the in-page instrumentation reported it, attributed to a script. */
export interface ApiCall {
  /** Order within its realm (frame or worker). */
  readonly seq: number;
  /** Random id of the realm that made the call. */
  readonly ctx: string;
  /** Milliseconds since the Unix epoch (page clock). */
  readonly time: number;
  /** e.g. `RTCPeerConnection`, `createOffer`, `icecandidate.candidate`, `getStats-result`. */
  readonly api: string;
  /** Peer connection the call was on (`ctx:n`), null for calls on none. */
  readonly pc: string | null;
  /** The arguments or values that matter (ICE servers, offer options, candidate, SDP). */
  readonly detail: Readonly<Record<string, unknown>>;
  /** Script URL the call is attributed to (see attribution.ts), or `unknown`. */
  readonly script: string;
  /** URL of the realm (frame document or worker) whose API was called. */
  readonly realm: string;
}

/** An outgoing request the page (any frame) sent. */
export interface RequestRecord {
  readonly time: number;
  readonly url: string;
  readonly method: string;
  readonly resourceType: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly postData: string | null;
  readonly frameUrl: string | null;
  /** Script URL from the initiator stack, or null (parser-initiated, no stack). */
  readonly initiator: string | null;
}

/** What happened while one page was open: the raw record the rules run on. */
export interface PageCapture {
  readonly finalUrl: string;
  readonly calls: readonly ApiCall[];
  readonly requests: readonly RequestRecord[];
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
