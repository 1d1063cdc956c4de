import type { AddressClassification } from '../address/classify.js';
import type { IceCheckObservation, StunBindingObservation } from '../observation.js';
import type { FindingCode, Severity, Verdict } from './findings.js';
import type { ProbeReport } from './report.js';

export type { FindingCode, Severity, Verdict } from './findings.js';

/** How an address reached the site. Server-side ways (`stun-server`, `ice-check`) are ground truth. */
export type LearnedHow = 'candidate' | 'sdp' | 'stats' | 'stun-server' | 'ice-check';

/** The browser family the fixes are written for. */
export type BrowserFamily = 'chromium' | 'firefox' | 'safari' | 'other';

/** One piece of evidence for a finding: which channel showed the address, and the raw detail. */
export interface Evidence {
  readonly how: LearnedHow;
  /** e.g. the candidate line, the SDP line, "UDP 203.0.113.5:53211 → 203.0.113.1:3478". */
  readonly detail: string;
  /** Which probe connection it came from, when client-side. */
  readonly connection?: string;
}

/** A concrete remedy for the detected browser. */
export interface Fix {
  readonly title: string;
  /** Exact flag, policy, pref or action, e.g. `WebRtcIPHandling = disable_non_proxied_udp`. */
  readonly detail: string;
}

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  /** The address (or mDNS name) the finding is about; null for `webrtc-blocked`. */
  readonly address: string | null;
  readonly classification: AddressClassification | null;
  readonly evidence: readonly Evidence[];
  readonly fixes: readonly Fix[];
  /** One sentence a non-expert understands. */
  readonly summary: string;
}

/** An address the web server saw the page's HTTP requests come from. */
export interface HttpSeenAddress {
  readonly address: string;
  readonly family: 'IPv4' | 'IPv6';
}

/**
 * The network an address belongs to, from an offline IP-to-ASN database. Networks are
 * compared by organisation, not by bare ASN: one provider announcing two ASNs is one network.
 */
export interface NetworkOwner {
  /** Autonomous system number (RFC 1930), null when the database names only an organisation. */
  readonly asn: number | null;
  readonly organization: string;
}

export interface VerdictInput {
  readonly http: readonly HttpSeenAddress[];
  /**
   * Owners of the addresses in this input, keyed by `keyAddress(address).key`; an address
   * without an entry has no known owner. Absent when no owner database is configured.
   */
  readonly owners?: ReadonlyMap<string, NetworkOwner>;
  /** STUN Binding requests already matched to this session's srflx candidates. */
  readonly stun: readonly StunBindingObservation[];
  /** ICE checks attributed to this session (by ufrag). */
  readonly iceChecks: readonly IceCheckObservation[];
  /** Null when the page never reported (e.g. script blocked). */
  readonly report: ProbeReport | null;
  readonly browser: BrowserFamily;
}

export interface VerdictResult {
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
}
