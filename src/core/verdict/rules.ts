/**
 * The verdict's second step: rules that decide which finding a subject yields. A subject is
 * one IP address, one mDNS name, one candidate foundation, or the session as a whole
 * (grouped by `sightings.ts`); what a finding code means is `FINDINGS` (findings.ts).
 */
import type { AddressClassification, AddressScope } from '../address/classify.js';
import { keyAddress } from './address-key.js';
import type { FindingCode } from './findings.js';
import type { ProbeReport, RtcAvailability } from './report.js';
import type { Seen, SeenAddress, SeenFoundation, SeenName } from './sightings.js';
import type { Evidence, HttpSeenAddress } from './types.js';

/** What a finding can be about. */
export interface Subject {
  /** The address (or mDNS name) a finding about it names; null for the session. */
  readonly address: string | null;
  readonly classification: AddressClassification | null;
  readonly evidence: readonly Evidence[];
}

/** One detection rule: the finding it yields, and when. */
export interface Rule<S extends Subject, C = undefined> {
  readonly code: FindingCode;
  /** The finding's one-sentence summary, for a non-expert, when the subject shows it; else null. */
  readonly detect: (subject: S, context: C) => string | null;
}

/** The addresses websites see the page's HTTP requests come from, by family. */
export interface HttpSeen {
  readonly v4: ReadonlySet<string>;
  readonly v6: ReadonlySet<string>;
  /** For summaries: the addresses, or "none recorded". */
  readonly text: string;
}

/** Keys the HTTP-seen addresses like every other address (IPv4-mapped counts as IPv4). */
export function httpSeen(http: readonly HttpSeenAddress[]): HttpSeen {
  const v4 = new Set<string>();
  const v6 = new Set<string>();
  const shown: string[] = [];
  for (const h of (Array.isArray(http) ? http : []).slice(0, 16)) {
    const keyed = typeof h?.address === 'string' ? keyAddress(h.address) : null;
    if (keyed === null || keyed.family === 'name') continue;
    (keyed.family === 'IPv4' ? v4 : v6).add(keyed.key);
    shown.push(keyed.key);
  }
  return { v4, v6, text: shown.length > 0 ? shown.join(', ') : 'none recorded' };
}

/** Scopes that expose the local network: CGNAT counts (it names the ISP's customer). */
const LOCAL_SCOPES: ReadonlySet<AddressScope> = new Set(['private', 'shared', 'unique-local', 'link-local']);

/** A public-like IPv6 address websites do not see over HTTP. */
function unseenPublicIpv6({ keyed }: SeenAddress, http: HttpSeen): boolean {
  return keyed.classification.publicLike && keyed.family === 'IPv6' && !http.v6.has(keyed.key);
}

/**
 * One finding per IP address: the first rule that matches. Public-like addresses the site
 * sees over HTTP anyway, loopback, multicast and broadcast match none: no exposure. A TCP
 * `active` host candidate's port 9 is a placeholder but its address is real, so it counts.
 */
export const ADDRESS_RULES: readonly Rule<SeenAddress, HttpSeen>[] = [
  {
    // IPv4 (or IPv4-mapped IPv6) public address other than the HTTP-seen IPv4.
    code: 'public-ip-leak',
    detect: ({ address, keyed }, http) =>
      keyed.classification.publicLike && keyed.family === 'IPv4' && !http.v4.has(keyed.key)
        ? `WebRTC revealed your public IP address ${address}, which is not the address websites see you browsing from (${http.text}).`
        : null,
  },
  {
    // 6to4 / Teredo / NAT64 (RFC 3056, RFC 4380 §4, RFC 6052): the IPv6 address carries an
    // IPv4 one the site does not see over HTTP, and so reveals it.
    code: 'public-ip-leak',
    detect: (a, http) => {
      const carried = a.keyed.classification.embedded;
      return unseenPublicIpv6(a, http) && carried !== undefined && !http.v4.has(carried.address)
        ? `WebRTC revealed the IPv6 address ${a.address}, which carries your public IPv4 address ${carried.address} (${carried.via}); websites see you browsing from ${http.text}.`
        : null;
    },
  },
  {
    code: 'ipv6-leak',
    detect: (a, http) => {
      if (!unseenPublicIpv6(a, http)) return null;
      const why =
        http.v6.size === 0
          ? 'while your browsing shows no IPv6 at all'
          : `while websites see a different IPv6 address (${[...http.v6].join(', ')})`;
      return `WebRTC revealed your public IPv6 address ${a.address} ${why}: your VPN or proxy does not cover IPv6.`;
    },
  },
  {
    code: 'local-ip-exposed',
    detect: ({ address, classification }) => {
      if (!LOCAL_SCOPES.has(classification.scope)) return null;
      const what =
        classification.scope === 'shared'
          ? "your provider's carrier-grade NAT address"
          : 'an address from your local network';
      return `WebRTC revealed ${what} (${address}) to this page.`;
    },
  },
];

/** Every rule that matches an mDNS name yields a finding. */
export const NAME_RULES: readonly Rule<SeenName>[] = [
  {
    code: 'mdns-stable-identifier',
    detect: ({ address, connections }) =>
      connections.size >= 2
        ? `The same hidden-address name ${address} appeared in ${connections.size} separate connections, so sites can use it to recognise your browser.`
        : null,
  },
  {
    code: 'mdns-obfuscated',
    detect: ({ address }) => `Your browser hid a local address behind the random name ${address}.`,
  },
];

/** Every rule that matches a candidate foundation yields a finding. */
export const FOUNDATION_RULES: readonly Rule<SeenFoundation>[] = [
  {
    code: 'mdns-stable-identifier',
    detect: ({ foundation, connections, names }) =>
      connections.size >= 2 && names.size >= 2
        ? `The candidate foundation ${foundation.slice(0, 32)} stayed the same across ${connections.size} connections although the hidden-address names changed, so sites can use it to recognise your browser.`
        : null,
  },
];

type Trouble = 'no-report' | 'unavailable' | 'nothing-gathered';

/** Why WebRTC showed no address at all: the evidence's detail and the finding's summary. */
const TROUBLE: Readonly<
  Record<Trouble, { readonly detail: (rtc: RtcAvailability | null) => string; readonly summary: string }>
> = {
  'no-report': {
    detail: () => 'the page never sent its report',
    summary: 'The test page never reported back (its script may have been blocked), so WebRTC could not run.',
  },
  unavailable: {
    detail: (rtc) => `RTCPeerConnection ${rtc}`,
    summary:
      'WebRTC is turned off or blocked in this browser, so pages cannot use it to find your addresses.',
  },
  'nothing-gathered': {
    detail: () => 'no candidates gathered',
    summary: 'WebRTC is available but gathered no addresses at all.',
  },
};

/** The session as a whole: whether WebRTC ran at all. */
export interface Session extends Subject {
  readonly address: null;
  readonly trouble: Trouble | null;
  /** WebRTC was unavailable and our servers saw nothing: `webrtc-disabled` unless a finding says worse. */
  readonly disabled: boolean;
}

/** Judges the session from the report's `rtcPeerConnection` and what was gathered or observed. */
export function sessionOf(report: ProbeReport | null, seen: Seen): Session {
  const rtc = report !== null && typeof report === 'object' ? report.rtcPeerConnection : null;
  const unavailable = report === null || rtc === 'absent' || rtc === 'throws';
  const trouble: Trouble | null =
    report === null
      ? 'no-report'
      : unavailable
        ? 'unavailable'
        : !seen.gathered && !seen.observedServerSide
          ? 'nothing-gathered'
          : null;
  return {
    address: null,
    classification: null,
    evidence: trouble === null ? [] : [{ how: 'candidate', detail: TROUBLE[trouble].detail(rtc) }],
    trouble,
    disabled: unavailable && !seen.observedServerSide,
  };
}

/** Rules about the session as a whole. */
export const SESSION_RULES: readonly Rule<Session>[] = [
  {
    code: 'webrtc-blocked',
    detect: ({ trouble }) => (trouble === null ? null : TROUBLE[trouble].summary),
  },
];
