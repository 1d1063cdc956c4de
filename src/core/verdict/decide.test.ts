import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IceCheckObservation, StunBindingObservation } from '../observation.js';
import { decideVerdict } from './decide.js';
import type { ProbeConnection, ProbeReport } from './report.js';
import type { BrowserFamily, FindingCode, HttpSeenAddress, Verdict, VerdictInput } from './types.js';

const MDNS_A = '0f5c3f2a-6d5b-4e2b-9d3c-1a2b3c4d5e6f.local';
const MDNS_B = '8f5f0a0e-0c8a-4b7c-9d28-8a4b4f9e6d1c.local';

function conn(
  label: ProbeConnection['label'],
  candidates: string[],
  extra: Partial<ProbeConnection> = {},
): ProbeConnection {
  return { label, candidates, sdp: null, stats: [], gatheringComplete: true, durationMs: 120, ...extra };
}

function report(
  connections: ProbeConnection[],
  rtcPeerConnection: ProbeReport['rtcPeerConnection'] = 'present',
): ProbeReport {
  return {
    version: 1,
    userAgent: 'x',
    rtcPeerConnection,
    mediaPermission: false,
    connections,
    durationMs: 300,
  };
}

function v4(address: string): HttpSeenAddress {
  return { address, family: 'IPv4' };
}

function stun(address: string, port: number): StunBindingObservation {
  const family = address.includes(':') ? 'IPv6' : 'IPv4';
  return {
    kind: 'stun-binding',
    transport: 'udp',
    source: { address, port, family },
    local: { address: family === 'IPv4' ? '203.0.113.1' : '2001:db8::1', port: 3478, family },
    time: 1_764_000_000_000,
    transactionId: '00112233445566778899aabb',
  };
}

function check(address: string, port: number, sessionId: string | null = 's1'): IceCheckObservation {
  return {
    kind: 'ice-check',
    transport: 'udp',
    source: { address, port, family: address.includes(':') ? 'IPv6' : 'IPv4' },
    local: { address: '203.0.113.1', port: 3479, family: 'IPv4' },
    time: 1_764_000_000_000,
    transactionId: 'aabbccddeeff001122334455',
    sessionId,
    localUfrag: 'ours',
    remoteUfrag: 'theirs',
    useCandidate: false,
    priority: 1853824767,
    role: 'controlling',
  };
}

function input(partial: Partial<VerdictInput>): VerdictInput {
  return { http: [], stun: [], iceChecks: [], report: null, browser: 'chromium', ...partial };
}

const host = (addr: string, port = 50602) =>
  `candidate:3048265936 1 udp 2113937151 ${addr} ${port} typ host generation 0 network-cost 999`;
const srflx = (addr: string, port = 53211, raddr = '0.0.0.0') =>
  `candidate:842163049 1 udp 1677729535 ${addr} ${port} typ srflx raddr ${raddr} rport 0 generation 0 network-cost 999`;

interface Row {
  readonly name: string;
  readonly input: VerdictInput;
  readonly verdict: Verdict;
  /** code → address, sorted by severity then order. */
  readonly findings: readonly (readonly [FindingCode, string | null])[];
}

const TABLE: readonly Row[] = [
  {
    name: 'srflx equal to the HTTP address: no leak, mDNS host only',
    input: input({
      http: [v4('203.0.113.5')],
      report: report([conn('stun-ipv4', [host(MDNS_A), srflx('203.0.113.5')])]),
    }),
    verdict: 'protected',
    findings: [['mdns-obfuscated', MDNS_A]],
  },
  {
    name: 'behind a proxy: srflx differs from HTTP, and STUN server saw it too',
    input: input({
      http: [v4('198.51.100.7')],
      stun: [stun('203.0.113.5', 53211)],
      report: report([conn('stun-ipv4', [srflx('203.0.113.5')])]),
    }),
    verdict: 'leak',
    findings: [['public-ip-leak', '203.0.113.5']],
  },
  {
    name: 'mDNS off: private host and raddr',
    input: input({
      http: [v4('203.0.113.5')],
      report: report([conn('stun-ipv4', [host('10.10.0.23'), srflx('203.0.113.5', 53211, '10.10.0.23')])]),
    }),
    verdict: 'local-exposure',
    findings: [['local-ip-exposed', '10.10.0.23']],
  },
  {
    name: 'CGNAT host address is local exposure, not public',
    input: input({ http: [v4('203.0.113.5')], report: report([conn('host-only', [host('100.64.12.34')])]) }),
    verdict: 'local-exposure',
    findings: [['local-ip-exposed', '100.64.12.34']],
  },
  {
    name: 'IPv4-mapped IPv6 in stats equals the HTTP IPv4: no leak',
    input: input({
      http: [v4('203.0.113.5')],
      report: report([
        conn('stun-ipv4', [], {
          stats: [{ address: '::ffff:203.0.113.5', port: 53211, candidateType: 'srflx', protocol: 'udp' }],
        }),
      ]),
    }),
    verdict: 'protected',
    findings: [],
  },
  {
    name: 'IPv4-mapped public address not seen over HTTP: IPv4 leak',
    input: input({
      http: [v4('198.51.100.7')],
      iceChecks: [check('::ffff:203.0.113.5', 40000)],
      report: report([conn('ice-lite', [])]),
    }),
    verdict: 'leak',
    findings: [['public-ip-leak', '203.0.113.5']],
  },
  {
    name: 'IPv6-only leak: VPN carries IPv4 only',
    input: input({
      http: [v4('198.51.100.7')],
      report: report([conn('stun-ipv6', [host(MDNS_A), host('2001:db8:1:2::23', 54400)])]),
    }),
    verdict: 'leak',
    findings: [
      ['ipv6-leak', '2001:db8:1:2::23'],
      ['mdns-obfuscated', MDNS_A],
    ],
  },
  {
    name: 'IPv6 equal to the HTTP IPv6: no leak',
    input: input({
      http: [{ address: '2001:DB8:1:2:0:0:0:23', family: 'IPv6' }],
      report: report([conn('stun-ipv6', [host('2001:db8:1:2::23')])]),
    }),
    verdict: 'protected',
    findings: [],
  },
  {
    name: 'Teredo address carrying an unseen public IPv4 is a public-ip-leak',
    input: input({
      http: [v4('198.51.100.7')],
      report: report([conn('host-only', [host('2001:0:4136:e378:8000:63bf:3fff:fdd2')])]),
    }),
    verdict: 'leak',
    findings: [['public-ip-leak', '2001:0:4136:e378:8000:63bf:3fff:fdd2']],
  },
  {
    name: 'WebRTC absent and nothing observed',
    input: input({ http: [v4('198.51.100.7')], report: report([], 'absent') }),
    verdict: 'webrtc-disabled',
    findings: [['webrtc-blocked', null]],
  },
  {
    name: 'report says absent, but our observer saw ICE checks: server wins',
    input: input({
      http: [v4('198.51.100.7')],
      iceChecks: [check('203.0.113.5', 40000)],
      report: report([], 'absent'),
    }),
    verdict: 'leak',
    findings: [
      ['public-ip-leak', '203.0.113.5'],
      ['webrtc-blocked', null],
    ],
  },
  {
    name: 'no report at all but a STUN observation',
    input: input({ http: [v4('198.51.100.7')], stun: [stun('203.0.113.5', 1234)] }),
    verdict: 'leak',
    findings: [
      ['public-ip-leak', '203.0.113.5'],
      ['webrtc-blocked', null],
    ],
  },
  {
    name: 'disable_non_proxied_udp: present, nothing gathered → protected',
    input: input({
      http: [v4('198.51.100.7')],
      report: report([conn('stun-ipv4', [], { gatheringComplete: false })]),
    }),
    verdict: 'protected',
    findings: [['webrtc-blocked', null]],
  },
  {
    name: 'placeholders: 0.0.0.0/:: in c= and raddr, port-9 m-line are no exposure',
    input: input({
      http: [v4('203.0.113.5')],
      report: report([
        conn('host-only', [], {
          sdp: 'v=0\r\nc=IN IP4 0.0.0.0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP6 ::\r\na=mid:0\r\n',
        }),
        conn('stun-ipv4', [srflx('203.0.113.5')]),
      ]),
    }),
    verdict: 'protected',
    findings: [],
  },
  {
    name: 'same mDNS name in two connections is a stable identifier',
    input: input({
      http: [v4('203.0.113.5')],
      report: report([
        conn('host-only', [host(MDNS_A)]),
        conn('stun-ipv4', [host(MDNS_A), srflx('203.0.113.5')]),
      ]),
    }),
    verdict: 'protected',
    findings: [
      ['mdns-stable-identifier', MDNS_A],
      ['mdns-obfuscated', MDNS_A],
    ],
  },
  {
    name: 'same long foundation across connections with rotating names',
    input: input({
      http: [v4('203.0.113.5')],
      report: report([conn('host-only', [host(MDNS_A)]), conn('stun-ipv4', [host(MDNS_B)])]),
    }),
    verdict: 'protected',
    findings: [
      ['mdns-stable-identifier', MDNS_A],
      ['mdns-obfuscated', MDNS_A],
      ['mdns-obfuscated', MDNS_B],
    ],
  },
  {
    name: 'Firefox-style short foundations (0, 1, 2) repeating across connections are fine',
    input: input({
      http: [v4('203.0.113.5')],
      browser: 'firefox',
      report: report([
        conn('host-only', [`candidate:0 1 UDP 2122252543 ${MDNS_A} 51920 typ host`]),
        conn('stun-ipv4', [`candidate:0 1 UDP 2122252543 ${MDNS_B} 51921 typ host`]),
      ]),
    }),
    verdict: 'protected',
    findings: [
      ['mdns-obfuscated', MDNS_A],
      ['mdns-obfuscated', MDNS_B],
    ],
  },
  {
    name: 'unattributed ICE checks are not evidence',
    input: input({
      http: [v4('198.51.100.7')],
      iceChecks: [check('203.0.113.99', 40000, null)],
      report: report([conn('ice-lite', [])]),
    }),
    verdict: 'protected',
    findings: [['webrtc-blocked', null]],
  },
];

describe('decideVerdict table', () => {
  it.each(TABLE)('$name', (row) => {
    const result = decideVerdict(row.input);
    expect(result.verdict).toBe(row.verdict);
    expect(result.findings.map((f) => [f.code, f.address])).toEqual(row.findings);
    for (const f of result.findings) {
      expect(f.summary.length).toBeGreaterThan(10);
      expect(f.evidence.length).toBeGreaterThan(0);
    }
  });

  it('merges every channel for one address into one finding with all the ways it was learned', () => {
    const sdp = `v=0\r\nm=application 53211 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 203.0.113.5\r\na=mid:0\r\na=${srflx('203.0.113.5')}\r\n`;
    const result = decideVerdict(
      input({
        http: [v4('198.51.100.7')],
        stun: [stun('203.0.113.5', 53211)],
        iceChecks: [check('203.0.113.5', 53211)],
        report: report([
          conn('stun-ipv4', [srflx('203.0.113.5')], {
            sdp,
            stats: [{ address: '203.0.113.5', port: 53211, candidateType: 'srflx' }],
          }),
        ]),
      }),
    );
    expect(result.findings).toHaveLength(1);
    const f = result.findings[0];
    expect(f?.code).toBe('public-ip-leak');
    expect(f?.severity).toBe('critical');
    expect(f?.classification?.scope).toBe('documentation');
    expect(new Set(f?.evidence.map((e) => e.how))).toEqual(
      new Set(['stun-server', 'ice-check', 'candidate', 'sdp', 'stats']),
    );
    expect(f?.evidence.find((e) => e.how === 'stun-server')?.detail).toBe(
      'UDP 203.0.113.5:53211 → 203.0.113.1:3478',
    );
  });

  it.each([
    ['chromium', 'WebRtcIPHandling = disable_non_proxied_udp'],
    ['chromium', '--webrtc-ip-handling-policy=disable_non_proxied_udp'],
    ['firefox', 'media.peerconnection.ice.proxy_only_if_behind_proxy = true'],
    ['firefox', 'media.peerconnection.enabled = false'],
    ['safari', 'IPv6'],
    ['other', 'IPv6'],
  ] as const)('a %s leak carries the fix %s', (browser: BrowserFamily, needle) => {
    const result = decideVerdict(
      input({ browser, http: [v4('198.51.100.7')], stun: [stun('203.0.113.5', 1)] }),
    );
    const fixes = result.findings.find((f) => f.code === 'public-ip-leak')?.fixes ?? [];
    expect(fixes.some((x) => x.detail.includes(needle))).toBe(true);
  });

  it('local exposure on Chromium suggests default_public_interface_only', () => {
    const result = decideVerdict(input({ report: report([conn('host-only', [host('192.168.1.20')])]) }));
    expect(result.findings[0]?.fixes.map((x) => x.detail)).toContain(
      'WebRtcIPHandling = default_public_interface_only',
    );
  });

  it('survives a hostile report: huge strings, garbage candidates, script in candidates', () => {
    const evil = '<script>alert(1)</script>';
    const hostile = {
      version: 1,
      userAgent: 'x'.repeat(1_000_000),
      rtcPeerConnection: 'present',
      mediaPermission: false,
      durationMs: -1,
      connections: [
        ...Array.from({ length: 40 }, (_, i) => ({
          label: `${evil}${i}`,
          candidates: [
            evil,
            'candidate:'.repeat(100_000),
            `candidate:1 1 udp 1 ${evil} 1 typ host`,
            `candidate:1 1 udp 1 192.0.2.1 1 typ host x ${evil}`,
            host('10.0.0.1'),
            ...Array.from({ length: 500 }, (_, j) => host(`10.${i}.${j >> 8}.${j & 255}`)),
          ],
          sdp: `a=candidate:${evil}\n`.repeat(50_000),
          stats: [{ address: evil, port: 'x', candidateType: evil }, null, 7, { relatedAddress: 12 }],
          gatheringComplete: 'yes',
          durationMs: Number.NaN,
        })),
        null,
        'str',
      ],
    } as unknown as ProbeReport;
    const result = decideVerdict(input({ report: hostile, http: [{ address: evil, family: 'IPv4' }] }));
    // The one well-formed public candidate (script text is a legal extension value) is a real leak.
    expect(result.verdict).toBe('leak');
    expect(result.findings.filter((f) => f.code === 'public-ip-leak').map((f) => f.address)).toEqual([
      '192.0.2.1',
    ]);
    expect(result.findings.length).toBeLessThanOrEqual(300);
    for (const f of result.findings) {
      expect(f.evidence.length).toBeLessThanOrEqual(16);
      for (const e of f.evidence) expect(e.detail.length).toBeLessThan(400);
      // Only validated addresses ever become a finding's address.
      expect(f.address ?? '').not.toContain('<');
    }
  });
});

const connectionArb: fc.Arbitrary<ProbeConnection> = fc.record({
  label: fc.constantFrom('host-only', 'stun-ipv4', 'stun-ipv6', 'ice-lite'),
  candidates: fc.array(
    fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .tuple(
          fc.oneof(
            fc.ipV4(),
            fc.ipV6(),
            fc.uuid().map((u) => `${u}.local`),
          ),
          fc.integer({ min: 0, max: 65535 }),
        )
        .map(([a, p]) => host(a, p)),
      fc.tuple(fc.ipV4(), fc.ipV4()).map(([a, r]) => srflx(a, 1, r)),
    ),
    { maxLength: 8 },
  ),
  sdp: fc.option(fc.string({ maxLength: 300 }), { nil: null }),
  stats: fc.array(
    fc.record(
      {
        address: fc.option(fc.oneof(fc.ipV4(), fc.string()), { nil: null }),
        port: fc.option(fc.integer(), { nil: null }),
        candidateType: fc.option(fc.string(), { nil: null }),
      },
      { requiredKeys: [] },
    ),
    { maxLength: 4 },
  ),
  gatheringComplete: fc.boolean(),
  durationMs: fc.double(),
  error: fc.option(fc.string(), { nil: null }),
});

const reportArb: fc.Arbitrary<ProbeReport> = fc.record({
  version: fc.constant(1 as const),
  userAgent: fc.string(),
  rtcPeerConnection: fc.constantFrom('present', 'absent', 'throws', 'replaced'),
  mediaPermission: fc.boolean(),
  connections: fc.array(connectionArb, { maxLength: 4 }),
  durationMs: fc.double(),
});

describe('decideVerdict properties', () => {
  it('never throws on schema-shaped reports and always yields a known verdict', () => {
    const addr = fc.oneof(fc.ipV4(), fc.ipV6(), fc.string({ maxLength: 40 }));
    fc.assert(
      fc.property(
        fc.option(reportArb, { nil: null }),
        fc.array(fc.record({ address: addr, family: fc.constantFrom('IPv4' as const, 'IPv6' as const) }), {
          maxLength: 3,
        }),
        fc.array(
          fc.tuple(addr, fc.integer({ min: 0, max: 65535 })).map(([a, p]) => stun(a, p)),
          { maxLength: 3 },
        ),
        fc.constantFrom<BrowserFamily>('chromium', 'firefox', 'safari', 'other'),
        (rep, http, observations, browser) => {
          const result = decideVerdict({ report: rep, http, stun: observations, iceChecks: [], browser });
          expect(['leak', 'local-exposure', 'protected', 'webrtc-disabled']).toContain(result.verdict);
          const leak = result.findings.some((f) => f.code === 'public-ip-leak' || f.code === 'ipv6-leak');
          expect(result.verdict === 'leak').toBe(leak);
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});

describe('decideVerdict on real browser captures (src/core/ice/fixtures)', () => {
  const dir = new URL('../ice/fixtures/', import.meta.url);
  const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');
  it.each(['chromium', 'firefox'] as const)(
    '%s with mDNS on: host hidden, the lab srflx (private, no NAT) is local exposure',
    (browser) => {
      const candidates = read(`${browser}-mdns-on.candidates.txt`).split('\n').filter(Boolean);
      const result = decideVerdict(
        input({
          browser,
          http: [v4('198.51.100.7')],
          report: report([conn('stun-ipv4', candidates, { sdp: read(`${browser}-mdns-on.local.sdp`) })]),
        }),
      );
      expect(result.verdict).toBe('local-exposure');
      const codes = result.findings.map((f) => f.code);
      expect(codes).toEqual(['local-ip-exposed', 'mdns-obfuscated']);
      const local = result.findings[0];
      expect(local?.address).toBe('10.10.0.23');
      expect(new Set(local?.evidence.map((e) => e.how))).toEqual(new Set(['candidate', 'sdp']));
    },
  );
});
