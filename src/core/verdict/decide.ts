/**
 * `decideVerdict`: probe report + what our servers observed → findings and one verdict
 * (issue 3 §3). Pure, total: a hostile report can make findings wrong, never make this
 * throw. Server observations are processed first and win over anything the page claims.
 */
import type { AddressClassification, AddressScope } from '../address/classify.js';
import type { TransportAddress } from '../observation.js';
import { type KeyedAddress, keyAddress } from './address-key.js';
import { FIXES, type FixConcern } from './fixes.js';
import { addressesFromReport } from './report-addresses.js';
import type {
  Evidence,
  Finding,
  FindingCode,
  Severity,
  Verdict,
  VerdictInput,
  VerdictResult,
} from './types.js';

/** Bounds on the output whatever the input: distinct addresses considered, evidence kept per finding. */
export const VERDICT_LIMITS = { addresses: 256, evidencePerFinding: 16, observations: 1024 } as const;

/** Severity of each finding code (issue 3 §3). */
export const SEVERITY: Readonly<Record<FindingCode, Severity>> = {
  'public-ip-leak': 'critical',
  'ipv6-leak': 'high',
  'local-ip-exposed': 'medium',
  'mdns-stable-identifier': 'low',
  'mdns-obfuscated': 'info',
  'webrtc-blocked': 'info',
};

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

/** Scopes that expose the local network: CGNAT counts (it names the ISP's customer). */
const LOCAL_SCOPES: ReadonlySet<AddressScope> = new Set(['private', 'shared', 'unique-local', 'link-local']);

interface Sighting {
  readonly address: string;
  readonly evidence: Evidence;
  readonly connectionIndex: number | null;
  readonly foundation: string | null;
  readonly mdnsHost: boolean;
  /** True for a gathered candidate (not a `c=` line or a server observation). */
  readonly gathered: boolean;
}

interface Accumulated {
  readonly keyed: KeyedAddress;
  readonly evidence: Evidence[];
  readonly connections: Set<number>;
  serverSide: boolean;
}

function endpoint(a: TransportAddress): string {
  return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

function pushEvidence(list: Evidence[], e: Evidence): void {
  if (list.length >= VERDICT_LIMITS.evidencePerFinding) return;
  if (list.some((x) => x.how === e.how && x.detail === e.detail && x.connection === e.connection)) return;
  list.push(e);
}

function finding(
  code: FindingCode,
  address: string | null,
  classification: AddressClassification | null,
  evidence: readonly Evidence[],
  concern: FixConcern | null,
  input: VerdictInput,
  summary: string,
): Finding {
  const fixes = concern === null ? [] : (FIXES[input.browser] ?? FIXES.other)[concern];
  return { code, severity: SEVERITY[code], address, classification, evidence, fixes, summary };
}

function sightings(input: VerdictInput): Sighting[] {
  const out: Sighting[] = [];
  // Ground truth first, so the address cap can never push it out.
  for (const o of (Array.isArray(input.stun) ? input.stun : []).slice(0, VERDICT_LIMITS.observations)) {
    if (typeof o?.source?.address !== 'string') continue;
    out.push({
      address: o.source.address,
      evidence: {
        how: 'stun-server',
        detail: `${String(o.transport).toUpperCase()} ${endpoint(o.source)} → ${endpoint(o.local)}`,
      },
      connectionIndex: null,
      foundation: null,
      mdnsHost: false,
      gathered: false,
    });
  }
  for (const o of (Array.isArray(input.iceChecks) ? input.iceChecks : []).slice(
    0,
    VERDICT_LIMITS.observations,
  )) {
    // Unattributed checks belong to nobody's session; the service should not pass them, but if it does they prove nothing here.
    if (typeof o?.source?.address !== 'string' || o.sessionId === null) continue;
    out.push({
      address: o.source.address,
      evidence: {
        how: 'ice-check',
        detail: `${String(o.transport).toUpperCase()} ${endpoint(o.source)} → ${endpoint(o.local)}`,
      },
      connectionIndex: null,
      foundation: null,
      mdnsHost: false,
      gathered: false,
    });
  }
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

function httpKeys(input: VerdictInput): { v4: Set<string>; v6: Set<string>; text: string } {
  const v4 = new Set<string>();
  const v6 = new Set<string>();
  const shown: string[] = [];
  for (const h of (Array.isArray(input.http) ? input.http : []).slice(0, 16)) {
    const keyed = typeof h?.address === 'string' ? keyAddress(h.address) : null;
    if (keyed === null || keyed.family === 'name') continue;
    (keyed.family === 'IPv4' ? v4 : v6).add(keyed.key);
    shown.push(keyed.key);
  }
  return { v4, v6, text: shown.length > 0 ? shown.join(', ') : 'none recorded' };
}

/**
 * Decides the verdict (issue 3 §3). One finding per address:
 * - IPv4 (or IPv4-mapped) public-like address not among the HTTP-seen IPv4 → `public-ip-leak`.
 * - IPv6 public-like address not among the HTTP-seen IPv6 → `ipv6-leak`, unless it is a
 *   6to4/Teredo/NAT64 address whose carried IPv4 is itself an unseen public IPv4: that
 *   reveals the IPv4, so it is a `public-ip-leak`. Decision: a native IPv6 stays `high`
 *   rather than `critical` because with privacy addresses (RFC 8981) the HTTP path and
 *   WebRTC often show two addresses of the same /64 — a real exposure, not proof of a bypass.
 * - private/CGNAT/unique-local/link-local → `local-ip-exposed`.
 * - unspecified (`0.0.0.0`, `::` placeholders in raddr and `c=`), loopback, multicast and
 *   broadcast are no exposure. A TCP `active` host candidate's port 9 is a placeholder but
 *   its address is real, so it counts.
 */
export function decideVerdict(input: VerdictInput): VerdictResult {
  const http = httpKeys(input);
  const addresses = new Map<string, Accumulated>();
  const mdnsNames = new Map<
    string,
    { connections: Set<number>; evidence: Evidence[]; classification: AddressClassification }
  >();
  const mdnsFoundations = new Map<
    string,
    { names: Set<string>; connections: Set<number>; evidence: Evidence[] }
  >();
  let gathered = false;

  for (const s of sightings(input)) {
    gathered ||= s.gathered;
    const keyed = keyAddress(s.address);
    if (keyed === null) continue;
    const scope = keyed.classification.scope;
    if (scope === 'mdns') {
      const entry = mdnsNames.get(keyed.key) ?? {
        connections: new Set(),
        evidence: [],
        classification: keyed.classification,
      };
      if (!mdnsNames.has(keyed.key) && mdnsNames.size >= VERDICT_LIMITS.addresses) continue;
      mdnsNames.set(keyed.key, entry);
      if (s.connectionIndex !== null) entry.connections.add(s.connectionIndex);
      pushEvidence(entry.evidence, s.evidence);
      // Foundations: browsers that hash type+address into it (old Chromium) make it a
      // stable identifier even when names rotate. Short ones (Firefox counts 0, 1, 2…)
      // collide by design and say nothing.
      if (
        s.mdnsHost &&
        s.foundation !== null &&
        s.foundation.length >= 6 &&
        s.connectionIndex !== null &&
        mdnsFoundations.size < VERDICT_LIMITS.addresses
      ) {
        const f = mdnsFoundations.get(s.foundation) ?? {
          names: new Set(),
          connections: new Set(),
          evidence: [],
        };
        mdnsFoundations.set(s.foundation, f);
        f.names.add(keyed.key);
        f.connections.add(s.connectionIndex);
        pushEvidence(f.evidence, s.evidence);
      }
      continue;
    }
    if (keyed.family === 'name' || scope === 'unspecified') continue;
    let entry = addresses.get(keyed.key);
    if (entry === undefined) {
      if (addresses.size >= VERDICT_LIMITS.addresses) continue;
      entry = { keyed, evidence: [], connections: new Set(), serverSide: false };
      addresses.set(keyed.key, entry);
    }
    if (s.connectionIndex === null) entry.serverSide = true;
    else entry.connections.add(s.connectionIndex);
    pushEvidence(entry.evidence, s.evidence);
  }

  const findings: Finding[] = [];
  for (const { keyed, evidence } of addresses.values()) {
    const c = keyed.classification;
    const shown = c.embedded?.via === 'ipv4-mapped' ? c.embedded.address : c.normalized;
    if (c.publicLike) {
      if (keyed.family === 'IPv4') {
        if (http.v4.has(keyed.key)) continue;
        findings.push(
          finding(
            'public-ip-leak',
            shown,
            c,
            evidence,
            'public-ip',
            input,
            `WebRTC revealed your public IP address ${shown}, which is not the address websites see you browsing from (${http.text}).`,
          ),
        );
        continue;
      }
      if (http.v6.has(keyed.key)) continue;
      const carried = c.embedded;
      if (carried !== undefined && !http.v4.has(carried.address) && c.publicLike) {
        findings.push(
          finding(
            'public-ip-leak',
            shown,
            c,
            evidence,
            'public-ip',
            input,
            `WebRTC revealed the IPv6 address ${shown}, which carries your public IPv4 address ${carried.address} (${carried.via}); websites see you browsing from ${http.text}.`,
          ),
        );
        continue;
      }
      const why =
        http.v6.size === 0
          ? 'while your browsing shows no IPv6 at all'
          : `while websites see a different IPv6 address (${[...http.v6].join(', ')})`;
      findings.push(
        finding(
          'ipv6-leak',
          shown,
          c,
          evidence,
          'ipv6',
          input,
          `WebRTC revealed your public IPv6 address ${shown} ${why}: your VPN or proxy does not cover IPv6.`,
        ),
      );
      continue;
    }
    if (LOCAL_SCOPES.has(c.scope)) {
      const what =
        c.scope === 'shared'
          ? "your provider's carrier-grade NAT address"
          : 'an address from your local network';
      findings.push(
        finding(
          'local-ip-exposed',
          shown,
          c,
          evidence,
          'local-ip',
          input,
          `WebRTC revealed ${what} (${shown}) to this page.`,
        ),
      );
    }
  }

  for (const [name, entry] of mdnsNames) {
    if (entry.connections.size >= 2) {
      findings.push(
        finding(
          'mdns-stable-identifier',
          name,
          entry.classification,
          entry.evidence,
          'mdns-stable',
          input,
          `The same hidden-address name ${name} appeared in ${entry.connections.size} separate connections, so sites can use it to recognise your browser.`,
        ),
      );
    }
  }
  for (const [foundation, f] of mdnsFoundations) {
    if (f.connections.size >= 2 && f.names.size >= 2) {
      const name = [...f.names][0] ?? null;
      findings.push(
        finding(
          'mdns-stable-identifier',
          name,
          name === null ? null : (mdnsNames.get(name)?.classification ?? null),
          f.evidence,
          'mdns-stable',
          input,
          `The candidate foundation ${foundation.slice(0, 32)} stayed the same across ${f.connections.size} connections although the hidden-address names changed, so sites can use it to recognise your browser.`,
        ),
      );
    }
  }
  for (const [name, entry] of mdnsNames) {
    findings.push(
      finding(
        'mdns-obfuscated',
        name,
        entry.classification,
        entry.evidence,
        null,
        input,
        `Your browser hid a local address behind the random name ${name}.`,
      ),
    );
  }

  const report = input.report;
  const rtc = report !== null && typeof report === 'object' ? report.rtcPeerConnection : null;
  const observedServerSide = [...addresses.values()].some((a) => a.serverSide);
  const rtcUnavailable = report === null || rtc === 'absent' || rtc === 'throws';
  if (rtcUnavailable || (!gathered && !observedServerSide)) {
    const detail =
      report === null
        ? 'the page never sent its report'
        : rtcUnavailable
          ? `RTCPeerConnection ${rtc}`
          : 'no candidates gathered';
    const summary =
      report === null
        ? 'The test page never reported back (its script may have been blocked), so WebRTC could not run.'
        : rtcUnavailable
          ? 'WebRTC is turned off or blocked in this browser, so pages cannot use it to find your addresses.'
          : 'WebRTC is available but gathered no addresses at all.';
    findings.push({
      code: 'webrtc-blocked',
      severity: SEVERITY['webrtc-blocked'],
      address: null,
      classification: null,
      evidence: [{ how: 'candidate', detail }],
      fixes: [],
      summary,
    });
  }

  findings.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  const has = (code: FindingCode) => findings.some((f) => f.code === code);
  let verdict: Verdict;
  if (has('public-ip-leak') || has('ipv6-leak')) verdict = 'leak';
  else if (has('local-ip-exposed')) verdict = 'local-exposure';
  else if (rtcUnavailable && !observedServerSide) verdict = 'webrtc-disabled';
  else verdict = 'protected';
  return { verdict, findings };
}
