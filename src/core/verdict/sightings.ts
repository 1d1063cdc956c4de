/**
 * The verdict's first step: every time an address was seen — by our servers first, then in
 * the page's report — grouped per IP address, per mDNS name and per candidate foundation,
 * with every cap applied. The input is untrusted, so every field is type-checked again.
 */
import type { AddressClassification } from '../address/classify.js';
import type { TransportAddress } from '../observation.js';
import { type KeyedAddress, keyAddress } from './address-key.js';
import { addressesFromReport } from './report-addresses.js';
import type { Evidence, LearnedHow, VerdictInput } from './types.js';

/** Bounds on the output whatever the input: distinct addresses considered, evidence kept per finding. */
export const VERDICT_LIMITS = { addresses: 256, evidencePerFinding: 16, observations: 1024 } as const;

/** One time an address was seen. */
export interface Sighting {
  readonly address: string;
  readonly evidence: Evidence;
  /** Index of the report connection; null for what our servers observed. */
  readonly connectionIndex: number | null;
  readonly foundation: string | null;
  /** The address of a host candidate (the one an mDNS name stands in for). */
  readonly mdnsHost: boolean;
  /** True for a gathered candidate (not a `c=` line or a server observation). */
  readonly gathered: boolean;
}

/** One IP address, however often and however it was seen. */
export interface SeenAddress {
  /** As findings name it: an IPv4-mapped IPv6 address as its IPv4. */
  readonly address: string;
  readonly classification: AddressClassification;
  readonly keyed: KeyedAddress;
  readonly evidence: Evidence[];
}

/** One mDNS name standing in for a host address, and the connections it appeared in. */
export interface SeenName {
  readonly address: string;
  readonly classification: AddressClassification;
  readonly connections: Set<number>;
  readonly evidence: Evidence[];
}

/** One candidate foundation (RFC 8445 §5.1.1.3) of mDNS host candidates, with the names it came with. */
export interface SeenFoundation {
  readonly foundation: string;
  /** Its first mDNS name, which a finding about it names. */
  readonly address: string;
  readonly classification: AddressClassification;
  readonly names: Set<string>;
  readonly connections: Set<number>;
  readonly evidence: Evidence[];
}

/** Everything seen in one session, grouped. Maps keep first-seen order: findings follow it. */
export interface Seen {
  readonly addresses: Map<string, SeenAddress>;
  readonly names: Map<string, SeenName>;
  readonly foundations: Map<string, SeenFoundation>;
  /** Some connection gathered a candidate. */
  gathered: boolean;
  /** Our servers observed at least one address that counts. */
  observedServerSide: boolean;
}

function endpoint(a: TransportAddress): string {
  return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

interface Observed {
  readonly transport: string;
  readonly source: TransportAddress;
  readonly local: TransportAddress;
}

/** Sightings from one list of our servers' observations, keeping those `counts` accepts. */
function observed<O extends Observed>(
  list: readonly O[],
  how: Extract<LearnedHow, 'stun-server' | 'ice-check'>,
  counts: (o: O) => boolean,
): Sighting[] {
  const out: Sighting[] = [];
  for (const o of (Array.isArray(list) ? list : []).slice(0, VERDICT_LIMITS.observations)) {
    if (typeof o?.source?.address !== 'string' || !counts(o)) continue;
    out.push({
      address: o.source.address,
      evidence: {
        how,
        detail: `${String(o.transport).toUpperCase()} ${endpoint(o.source)} → ${endpoint(o.local)}`,
      },
      connectionIndex: null,
      foundation: null,
      mdnsHost: false,
      gathered: false,
    });
  }
  return out;
}

/** Every sighting, ground truth first so the address cap can never push it out. */
export function collectSightings(input: VerdictInput): Sighting[] {
  const out = [
    ...observed(input.stun, 'stun-server', () => true),
    // Unattributed checks belong to nobody's session; the service should not pass them, but if it does they prove nothing here.
    ...observed(input.iceChecks, 'ice-check', (o) => o.sessionId !== null),
  ];
  for (const a of addressesFromReport(input.report)) {
    const detail = a.role === 'raddr' ? `raddr in: ${a.detail}` : a.detail;
    out.push({
      address: a.address,
      evidence: { how: a.how, detail, connection: a.connection },
      connectionIndex: a.connectionIndex,
      foundation: a.foundation,
      mdnsHost: a.role === 'address' && a.candidateType === 'host',
      // A "c=IN IP4 0.0.0.0" in an SDP without candidates is not gathering anything.
      gathered: a.role !== 'c-line',
    });
  }
  return out;
}

function pushEvidence(list: Evidence[], e: Evidence): void {
  if (list.length >= VERDICT_LIMITS.evidencePerFinding) return;
  if (list.some((x) => x.how === e.how && x.detail === e.detail && x.connection === e.connection)) return;
  list.push(e);
}

function addName(seen: Seen, keyed: KeyedAddress, s: Sighting): void {
  let name = seen.names.get(keyed.key);
  if (name === undefined) {
    if (seen.names.size >= VERDICT_LIMITS.addresses) return;
    name = { address: keyed.key, classification: keyed.classification, connections: new Set(), evidence: [] };
    seen.names.set(keyed.key, name);
  }
  if (s.connectionIndex !== null) name.connections.add(s.connectionIndex);
  pushEvidence(name.evidence, s.evidence);
  // Browsers that hash type+address into the foundation (old Chromium) make it a stable
  // identifier even when names rotate. Short ones (Firefox counts 0, 1, 2…) collide by
  // design and say nothing. Once the cap is reached no foundation is tracked any further.
  if (!s.mdnsHost || s.foundation === null || s.foundation.length < 6 || s.connectionIndex === null) return;
  if (seen.foundations.size >= VERDICT_LIMITS.addresses) return;
  let f = seen.foundations.get(s.foundation);
  if (f === undefined) {
    f = {
      foundation: s.foundation,
      address: name.address,
      classification: name.classification,
      names: new Set(),
      connections: new Set(),
      evidence: [],
    };
    seen.foundations.set(s.foundation, f);
  }
  f.names.add(keyed.key);
  f.connections.add(s.connectionIndex);
  pushEvidence(f.evidence, s.evidence);
}

function addAddress(seen: Seen, keyed: KeyedAddress, s: Sighting): void {
  let entry = seen.addresses.get(keyed.key);
  if (entry === undefined) {
    if (seen.addresses.size >= VERDICT_LIMITS.addresses) return;
    const c = keyed.classification;
    const address = c.embedded?.via === 'ipv4-mapped' ? c.embedded.address : c.normalized;
    entry = { address, classification: c, keyed, evidence: [] };
    seen.addresses.set(keyed.key, entry);
  }
  if (s.connectionIndex === null) seen.observedServerSide = true;
  pushEvidence(entry.evidence, s.evidence);
}

/**
 * Groups sightings. Unspecified addresses (`0.0.0.0`, `::` placeholders in raddr and `c=`)
 * and host names other than mDNS names are dropped here: they expose nothing.
 */
export function groupSightings(sightings: readonly Sighting[]): Seen {
  const seen: Seen = {
    addresses: new Map(),
    names: new Map(),
    foundations: new Map(),
    gathered: false,
    observedServerSide: false,
  };
  for (const s of sightings) {
    seen.gathered ||= s.gathered;
    const keyed = keyAddress(s.address);
    if (keyed === null) continue;
    if (keyed.classification.scope === 'mdns') addName(seen, keyed, s);
    else if (keyed.family !== 'name' && keyed.classification.scope !== 'unspecified') {
      addAddress(seen, keyed, s);
    }
  }
  return seen;
}
