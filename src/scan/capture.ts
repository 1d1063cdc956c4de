/**
 * What the scanner records while one page is open: the raw input of the rules. Plain data
 * at the bottom of scan/ (imports nothing of it), so facts, exfiltration and rules can share
 * these records without an import cycle.
 */

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
