import type { FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IceCheckObservation, Observation, StunBindingObservation } from '../core/observation.js';
import type { ProbeConnection, ProbeReport } from '../core/verdict/report.js';
import type { StoredResult } from '../core/verdict/result.js';
import { buildApp, type ObserverPort, type PublicEndpoint } from './app.js';
import { loadProbeScript } from './probe-asset.js';
import { LeakTestResultStore } from './store.js';

/** Stands in for the STUN observer: records registrations, lets a test emit observations. */
class FakeObserver implements ObserverPort {
  readonly registered = new Map<string, { sessionId: string; pwd: string }>();
  readonly #listeners = new Set<(o: Observation) => void>();
  onObservation(listener: (o: Observation) => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  registerSession(s: { sessionId: string; ufrag: string; pwd: string }) {
    this.registered.set(s.ufrag, { sessionId: s.sessionId, pwd: s.pwd });
  }
  unregisterSession(ufrag: string) {
    this.registered.delete(ufrag);
  }
  emit(o: Observation) {
    for (const l of this.#listeners) l(o);
  }
}

const ENDPOINTS: PublicEndpoint[] = [
  { address: '192.0.2.1', port: 3478, transport: 'udp' },
  { address: '192.0.2.1', port: 3478, transport: 'tcp' },
];
const CLIENT_HTTP = '198.51.100.7'; // the proxy exit: what HTTP shows
const HOME = '203.0.113.5'; // the router's public address: what must not leak

// A data-channel offer as Chromium writes it (trimmed of extensions the answer ignores).
const OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:Hh3v',
  'a=ice-pwd:9lqUSGQq6hVnRkFq8x8SLcTK',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 9A:3B:6E:0C:61:9C:46:51:2D:5E:4A:2F:7C:19:0E:3B:92:6D:0A:28:4E:76:9F:5D:11:C2:88:33:E4:A7:B1:0F',
  'a=setup:actpass',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  '',
].join('\r\n');

let probeScript = '';
beforeAll(async () => {
  probeScript = await loadProbeScript();
});

const open: Array<{ app: FastifyInstance; store: LeakTestResultStore }> = [];
afterEach(async () => {
  for (const { app, store } of open.splice(0)) {
    await app.close();
    store.close();
  }
});

async function setup(options: Parameters<typeof buildApp>[0] = {}) {
  const observer = new FakeObserver();
  const store = new LeakTestResultStore({ path: ':memory:', retentionMs: 60_000 });
  const app = await buildApp(
    { iceWaitMs: 300, ...options },
    { observer, endpoints: ENDPOINTS, store, probeScript },
  );
  open.push({ app, store });
  return { app, observer, store };
}

function connection(label: ProbeConnection['label'], candidates: string[]): ProbeConnection {
  return { label, candidates, sdp: null, stats: [], gatheringComplete: true, durationMs: 40 };
}

/** What a browser behind a NAT and an HTTP proxy reports: LAN host candidate plus srflx with the home address. */
function leakyReport(): ProbeReport {
  return {
    version: 1,
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
    rtcPeerConnection: 'present',
    mediaPermission: false,
    durationMs: 120,
    connections: [
      connection('host-only', [
        'candidate:1 1 udp 2113937151 3f1c1a7e-0d7e-4b7a-9d52-6c1d1f0f2a11.local 40000 typ host',
      ]),
      connection('stun-ipv4', [
        'candidate:1 1 udp 2113937151 3f1c1a7e-0d7e-4b7a-9d52-6c1d1f0f2a11.local 40000 typ host',
        `candidate:2 1 udp 1677729535 ${HOME} 40000 typ srflx raddr 0.0.0.0 rport 0`,
      ]),
      connection('ice-lite', [
        'candidate:1 1 udp 2113937151 3f1c1a7e-0d7e-4b7a-9d52-6c1d1f0f2a11.local 40001 typ host',
      ]),
    ],
  };
}

function stunFrom(address: string, port: number): StunBindingObservation {
  return {
    kind: 'stun-binding',
    transport: 'udp',
    source: { address, port, family: 'IPv4' },
    local: { address: '192.0.2.1', port: 3478, family: 'IPv4' },
    time: Date.now(),
    transactionId: 'ab'.repeat(12),
  };
}

function checkFrom(
  address: string,
  port: number,
  sessionId: string,
  localUfrag: string,
): IceCheckObservation {
  return {
    kind: 'ice-check',
    transport: 'udp',
    source: { address, port, family: 'IPv4' },
    local: { address: '192.0.2.1', port: 3478, family: 'IPv4' },
    time: Date.now(),
    transactionId: 'cd'.repeat(12),
    sessionId,
    localUfrag,
    remoteUfrag: 'Hh3v',
    useCandidate: false,
    priority: 1845501695,
    role: 'controlling',
  };
}

async function startSession(app: FastifyInstance, observer: FakeObserver) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/sessions',
    payload: {},
    remoteAddress: CLIENT_HTTP,
  });
  expect(res.statusCode).toBe(201);
  const body = res.json() as {
    sessionId: string;
    stun: { ipv4: string[]; ipv6: string[] };
    probeCapMs: number;
  };
  const [ufrag] = [...observer.registered].find(([, s]) => s.sessionId === body.sessionId) ?? [];
  return { ...body, ufrag: ufrag! };
}

describe('the page', () => {
  it('is served with a strict CSP, no inline script or style and no third-party URL', async () => {
    const { app } = await setup();
    for (const url of ['/', '/r/AAAAAAAAAAAAAAAAAAAAAA']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe');
      expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)/i);
      expect(res.body).not.toMatch(/\sstyle=|<style|\son[a-z]+=/i);
      expect(res.body).not.toMatch(/(src|href)="(https?:)?\/\//i);
      expect(res.body).toContain('id="verdict"');
    }
  });

  it('serves the freshly bundled probe and the stylesheet', async () => {
    const { app } = await setup();
    const js = await app.inject({ url: '/probe.js' });
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.body).toContain('/api/sessions');
    const css = await app.inject({ url: '/style.css' });
    expect(css.body).toContain('prefers-color-scheme: dark');
  });
});

describe('the leak-test API', () => {
  it('gives each session 128-bit ids, STUN URLs and fresh ICE credentials registered with the observer', async () => {
    const { app, observer } = await setup();
    const a = await startSession(app, observer);
    const b = await startSession(app, observer);
    expect(a.sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a.sessionId).not.toBe(b.sessionId);
    expect(a.ufrag).not.toBe(b.ufrag);
    expect(a.stun.ipv4).toEqual(['stun:192.0.2.1:3478']);
    expect(a.probeCapMs).toBe(2000);
  });

  it('answers an offer with an ICE-lite answer naming the observer and the session credentials', async () => {
    const { app, observer } = await setup();
    const s = await startSession(app, observer);
    const res = await app.inject({
      method: 'POST',
      url: `/api/sessions/${s.sessionId}/offer`,
      payload: { sdp: OFFER },
    });
    expect(res.statusCode).toBe(200);
    const sdp = (res.json() as { sdp: string }).sdp;
    expect(sdp).toContain('a=ice-lite');
    expect(sdp).toContain(`a=ice-ufrag:${s.ufrag}`);
    expect(sdp).toContain(`a=ice-pwd:${observer.registered.get(s.ufrag)!.pwd}`);
    expect(sdp).toMatch(/a=candidate:\S+ 1 udp \d+ 192\.0\.2\.1 3478 typ host/i);
  });

  it('limits the answer to one family when asked, so each family gets its own checks', async () => {
    const observer = new FakeObserver();
    const store = new LeakTestResultStore({ path: ':memory:', retentionMs: 60_000 });
    const dual: PublicEndpoint[] = [
      ...ENDPOINTS,
      { address: '2001:db8:53::1', port: 3478, transport: 'udp' },
    ];
    const app = await buildApp({}, { observer, endpoints: dual, store, probeScript });
    open.push({ app, store });
    const s = await startSession(app, observer);
    expect(s.stun.ipv6).toEqual(['stun:[2001:db8:53::1]:3478']);
    const answer = async (payload: object) =>
      (
        (await app.inject({ method: 'POST', url: `/api/sessions/${s.sessionId}/offer`, payload })).json() as {
          sdp: string;
        }
      ).sdp;
    const v6 = await answer({ sdp: OFFER, family: 'IPv6' });
    expect(v6).toContain('2001:db8:53::1');
    expect(v6).not.toContain('192.0.2.1 3478');
    const both = await answer({ sdp: OFFER });
    expect(both).toContain('2001:db8:53::1');
    expect(both).toContain('192.0.2.1 3478');
  });

  it('finds the leak of the home address behind a proxy from the server observations, and serves it as JSON', async () => {
    const { app, observer } = await setup();
    const s = await startSession(app, observer);
    observer.emit(stunFrom(HOME, 40000));
    observer.emit(checkFrom(HOME, 40001, s.sessionId, s.ufrag));
    observer.emit(stunFrom('203.0.113.99', 41000)); // another visitor: must not be matched
    const res = await app.inject({
      method: 'POST',
      url: `/api/sessions/${s.sessionId}/report`,
      payload: leakyReport(),
      remoteAddress: CLIENT_HTTP,
    });
    expect(res.statusCode).toBe(201);
    const accepted = res.json() as { id: string; url: string; verdict: string };
    expect(accepted.verdict).toBe('leak');
    expect(accepted.url).toBe(`/r/${accepted.id}`);
    expect(accepted.id).not.toBe(s.sessionId);

    const got = await app.inject({ url: `/api/results/${accepted.id}` });
    const result = got.json() as StoredResult;
    expect((res.json() as { result: StoredResult }).result).toEqual(result); // rendered without a second request
    expect(result.schemaVersion).toBe(1);
    expect(result.http.addresses).toEqual([{ address: CLIENT_HTTP, family: 'IPv4' }]);
    const leak = result.findings.find((f) => f.code === 'public-ip-leak');
    expect(leak?.address).toBe(HOME);
    expect(leak?.severity).toBe('critical');
    expect(leak?.evidence.map((e) => e.how)).toEqual(expect.arrayContaining(['ice-check', 'stun-server']));
    expect(result.server.stun.map((o) => o.source.address)).toEqual([HOME]);
    expect(result.server.iceChecks).toHaveLength(1);
    expect(observer.registered.has(s.ufrag)).toBe(false); // credentials dropped once reported
  });

  it('waits for an ICE check that arrives after the report, and only as long as it takes', async () => {
    const { app, observer } = await setup({ iceWaitMs: 1500 });
    const s = await startSession(app, observer);
    setTimeout(() => observer.emit(checkFrom(HOME, 40001, s.sessionId, s.ufrag)), 60);
    const res = await app.inject({
      method: 'POST',
      url: `/api/sessions/${s.sessionId}/report`,
      payload: leakyReport(),
      remoteAddress: CLIENT_HTTP,
    });
    const result = (
      await app.inject({ url: `/api/results/${(res.json() as { id: string }).id}` })
    ).json() as StoredResult;
    expect(result.server.iceChecks).toHaveLength(1);
    expect(result.server.waitedMs).toBeGreaterThanOrEqual(40);
    expect(result.server.waitedMs).toBeLessThan(1000);
  });

  it('honours X-Forwarded-For only with trustProxy', async () => {
    for (const trustProxy of [false, true]) {
      const { app, observer } = await setup({ trustProxy });
      const created = await app.inject({
        method: 'POST',
        url: '/api/sessions',
        payload: {},
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': CLIENT_HTTP },
      });
      const { sessionId } = created.json() as { sessionId: string };
      const report = { ...leakyReport(), connections: [] };
      const res = await app.inject({
        method: 'POST',
        url: `/api/sessions/${sessionId}/report`,
        payload: report,
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': CLIENT_HTTP },
      });
      const result = (
        await app.inject({ url: `/api/results/${(res.json() as { id: string }).id}` })
      ).json() as StoredResult;
      expect(result.http.addresses.map((a) => a.address)).toEqual([trustProxy ? CLIENT_HTTP : '127.0.0.1']);
      void observer;
    }
  });
});

describe('hostile clients', () => {
  it('stores script in candidate strings as inert data and still reaches a verdict', async () => {
    const { app, observer } = await setup();
    const s = await startSession(app, observer);
    const evil = `candidate:1 1 udp 1 <img src=x onerror=alert(1)> 1 typ host</script><script>alert(2)</script>`;
    const report = { ...leakyReport(), userAgent: '<script>alert(3)</script>' };
    report.connections = [connection('host-only', [evil, 'garbage', '']), ...report.connections.slice(1)];
    const res = await app.inject({
      method: 'POST',
      url: `/api/sessions/${s.sessionId}/report`,
      payload: report,
    });
    expect(res.statusCode).toBe(201);
    const got = await app.inject({ url: `/api/results/${(res.json() as { id: string }).id}` });
    expect(got.headers['content-type']).toMatch(/^application\/json/);
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    const result = got.json() as StoredResult;
    expect(result.client?.connections[0]?.candidates[0]).toBe(evil);
    expect(['leak', 'local-exposure', 'protected', 'webrtc-disabled']).toContain(result.verdict);
  });

  it('refuses a body over the cap before parsing it', async () => {
    const { app, observer } = await setup();
    const s = await startSession(app, observer);
    const huge = { ...leakyReport(), userAgent: 'x'.repeat(400_000) };
    const res = await app.inject({
      method: 'POST',
      url: `/api/sessions/${s.sessionId}/report`,
      payload: huge,
    });
    expect(res.statusCode).toBe(413);
    expect((res.json() as { error: { code: string } }).error.code).toBe('E_BODY_TOO_LARGE');
  });

  it.each([
    ['a string instead of an object', '"hello"'],
    ['wrong version', JSON.stringify({ ...leakyReport(), version: 2 })],
    [
      'candidates not strings',
      JSON.stringify({
        ...leakyReport(),
        connections: [{ ...connection('host-only', []), candidates: [1, 2] }],
      }),
    ],
    [
      'unknown connection label',
      JSON.stringify({ ...leakyReport(), connections: [connection('evil' as 'host-only', [])] }),
    ],
    [
      'too many candidates',
      JSON.stringify({
        ...leakyReport(),
        connections: [connection('host-only', Array(101).fill('candidate:x'))],
      }),
    ],
    [
      'a port out of range',
      JSON.stringify({
        ...leakyReport(),
        connections: [{ ...connection('host-only', []), stats: [{ port: 70000 }] }],
      }),
    ],
    ['invalid JSON', '{"version": 1,'],
  ])('refuses a report with %s', async (_name, payload) => {
    const { app, observer } = await setup();
    const s = await startSession(app, observer);
    const res = await app.inject({
      method: 'POST',
      url: `/api/sessions/${s.sessionId}/report`,
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { code: string } }).error.code).toMatch(
      /^E_(REPORT_INVALID|BAD_REQUEST)$/,
    );
    // The session is still usable with a valid report afterwards.
    const ok = await app.inject({
      method: 'POST',
      url: `/api/sessions/${s.sessionId}/report`,
      payload: leakyReport(),
    });
    expect(ok.statusCode).toBe(201);
  });

  it('refuses unknown and malformed sessions, and a replayed report', async () => {
    const { app, observer } = await setup();
    const unknown = await app.inject({
      method: 'POST',
      url: `/api/sessions/${'A'.repeat(22)}/report`,
      payload: leakyReport(),
    });
    expect(unknown.statusCode).toBe(404);
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/sessions/..%2F..%2Fetc/report',
      payload: leakyReport(),
    });
    expect(malformed.statusCode).toBe(404);
    const s = await startSession(app, observer);
    const first = await app.inject({
      method: 'POST',
      url: `/api/sessions/${s.sessionId}/report`,
      payload: leakyReport(),
    });
    expect(first.statusCode).toBe(201);
    const replay = await app.inject({
      method: 'POST',
      url: `/api/sessions/${s.sessionId}/report`,
      payload: leakyReport(),
    });
    expect(replay.statusCode).toBe(409);
    expect((replay.json() as { error: { code: string } }).error.code).toBe('E_SESSION_REPORTED');
    const offer = await app.inject({
      method: 'POST',
      url: `/api/sessions/${s.sessionId}/offer`,
      payload: { sdp: OFFER },
    });
    expect(offer.statusCode).toBe(409);
    expect((await app.inject({ url: `/api/results/${'B'.repeat(22)}` })).statusCode).toBe(404);
  });

  it('refuses a garbage offer with a stable code', async () => {
    const { app, observer } = await setup();
    const s = await startSession(app, observer);
    for (const payload of [{ sdp: 'not sdp at all' }, { sdp: 5 }, {}]) {
      const res = await app.inject({ method: 'POST', url: `/api/sessions/${s.sessionId}/offer`, payload });
      expect(res.statusCode).toBe(400);
      expect((res.json() as { error: { code: string } }).error.code).toBe('E_OFFER_INVALID');
    }
  });

  it('rate-limits session creation per IP', async () => {
    const { app } = await setup({ rateLimitPerMinute: 10 }); // sessions: 2 a minute
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) {
      codes.push(
        (
          await app.inject({
            method: 'POST',
            url: '/api/sessions',
            payload: {},
            remoteAddress: '203.0.113.9',
          })
        ).statusCode,
      );
    }
    expect(codes).toEqual([201, 201, 429]);
    const other = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      payload: {},
      remoteAddress: '203.0.113.10',
    });
    expect(other.statusCode).toBe(201);
  });
});

describe('operations', () => {
  it('reports health and Prometheus metrics, and offers the result as a download', async () => {
    const { app, observer } = await setup();
    const s = await startSession(app, observer);
    const res = await app.inject({
      method: 'POST',
      url: `/api/sessions/${s.sessionId}/report`,
      payload: leakyReport(),
    });
    const { id } = res.json() as { id: string };
    const health = (await app.inject({ url: '/healthz' })).json() as {
      status: string;
      storedResults: number;
    };
    expect(health).toMatchObject({ status: 'ok', storedResults: 1 });
    const metrics = (await app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/iceleak_sessions_created_total 1/);
    expect(metrics).toMatch(/iceleak_results_total\{verdict="[a-z-]+"\} 1/);
    const download = await app.inject({ url: `/api/results/${id}?download=1` });
    expect(download.headers['content-disposition']).toBe(`attachment; filename="iceleak-${id}.json"`);
  });
});
