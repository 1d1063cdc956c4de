/**
 * The probe report: what the in-page probe (src/probe) submits to `iceleak serve` and the
 * verdict reads. Everything in it is untrusted: the service validates it with a schema
 * and caps every string before any of it reaches the verdict.
 */

/** Which peer connection a piece of evidence came from. */
export type ProbeConnectionLabel =
  /** No ICE servers at all: host candidates only. */
  | 'host-only'
  /** Our STUN server, IPv4 address. */
  | 'stun-ipv4'
  /** Our STUN server, IPv6 address. */
  | 'stun-ipv6'
  /** Offer answered by our ICE-lite observer: our servers see every check. */
  | 'ice-lite';

/** One `local-candidate` entry of `getStats()` (W3C webrtc-stats RTCIceCandidateStats). */
export interface StatsCandidate {
  readonly address?: string | null;
  readonly port?: number | null;
  readonly protocol?: string | null;
  readonly candidateType?: string | null;
  readonly relatedAddress?: string | null;
  readonly relatedPort?: number | null;
  readonly foundation?: string | null;
  readonly url?: string | null;
}

/** What one peer connection gathered. */
export interface ProbeConnection {
  readonly label: ProbeConnectionLabel;
  /** `candidate` strings from `icecandidate` events, in arrival order (end-of-candidates excluded). */
  readonly candidates: readonly string[];
  /** Final `localDescription.sdp`, or null when never set. */
  readonly sdp: string | null;
  readonly stats: readonly StatsCandidate[];
  /** True when `iceGatheringState` reached `complete` before the probe's cap. */
  readonly gatheringComplete: boolean;
  /** From creating the connection to gathering complete (or the cap). */
  readonly durationMs: number;
  /** The error message when creating or using the connection threw. */
  readonly error?: string | null;
}

/** How `RTCPeerConnection` looked to the page. */
export type RtcAvailability = 'present' | 'absent' | 'throws' | 'replaced';

export interface ProbeReport {
  readonly version: 1;
  readonly userAgent: string;
  readonly rtcPeerConnection: RtcAvailability;
  /** True when this run had camera/microphone permission (the "what a site with permission sees" re-run). */
  readonly mediaPermission: boolean;
  readonly connections: readonly ProbeConnection[];
  /** From the probe's start to its report, as the page measured it. */
  readonly durationMs: number;
}
