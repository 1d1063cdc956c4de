/**
 * Foundation e2e: the two observations every verdict stands on (src/server/observer.ts), with
 * Debian's Chromium and Firefox ESR in the client namespace of the lab's `direct` scenario
 * (LAN 10.10.0.23 behind a NAT router, public 203.0.113.5), and `iceleak stun` in the
 * internet namespace on lab.service.ipv4.
 * (a) With our STUN server configured, the server sees the Binding request from the router's
 *     public address, and the page's srflx candidate carries that same address and port.
 * (b) With no STUN server, an ICE-lite answer (createIceLiteAnswer) pointing at the observer
 *     makes the browser send checks the observer attributes to the right session, from the
 *     router's public address.
 * Needs root and both browsers; fails with a clear message otherwise.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserAgent, startBrowserAgent } from '../../src/browser/agent-client.js';
import { findBrowserExecutable } from '../../src/browser/executables.js';
import { getDefenceProfile } from '../../src/browser/profiles.js';
import { type GatherOutcome, gatherExpression } from '../../src/browser/test-support/gather-script.js';
import type { PageServerConfig } from '../../src/browser/test-support/page-server.js';
import { generateIceCredentials } from '../../src/core/ice/ice-credentials.js';
import type { IceCheckObservation, Observation, StunBindingObservation } from '../../src/core/observation.js';
import { type Lab, startLab } from '../../src/lab/index.js';
import { type Child, nodeModuleArgv, readyOnEvent, startChildren } from '../../src/process/index.js';

const BROWSERS = ['chromium', 'firefox'] as const;
const STUN_PORT = 3478;
const HTTP_PORT = 8080;
const SESSIONS = Object.fromEntries(
  BROWSERS.map((b) => [b, { sessionId: `foundation-${b}`, ...generateIceCredentials() }]),
) as Record<(typeof BROWSERS)[number], { sessionId: string; ufrag: string; pwd: string }>;

const timings: string[] = [];
const observations: Observation[] = [];
let lab: Lab | undefined;
let agent: BrowserAgent | undefined;
let servers: Child<true>[] = [];

async function waitFor<T>(what: string, find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'foundation e2e needs root (network namespaces, nft): run `sudo npx vitest run --project e2e test/e2e/foundation.e2e.test.ts`',
    );
  }
  for (const browser of BROWSERS) findBrowserExecutable(browser); // throws "apt-get install -y …" when missing
  const started = performance.now();
  lab = await startLab('direct');
  timings.push(`lab up: ${Math.round(performance.now() - started)} ms`);
  const service = lab.service.ipv4;

  const stunArgv = [
    ...nodeModuleArgv(new URL('../../src/cli/main.js', import.meta.url)),
    'stun',
    '--listen',
    `${service}:${STUN_PORT}`,
    ...Object.values(SESSIONS).flatMap((s) => ['--session', `${s.sessionId}:${s.ufrag}:${s.pwd}`]),
  ];
  const pageConfig: PageServerConfig = {
    host: service,
    httpPort: HTTP_PORT,
    ufrag: SESSIONS.chromium.ufrag,
    pwd: SESSIONS.chromium.pwd,
    candidates: [{ address: service, port: STUN_PORT, transport: 'udp' }],
  };
  const server = {
    place: 'test/foundation',
    code: 'E_TEST',
    netns: lab.namespaces.internet,
    ready: readyOnEvent('listening'),
  } as const;
  const t0 = performance.now();
  const [startedServers, startedAgent] = await Promise.allSettled([
    startChildren([
      {
        ...server,
        name: 'iceleak stun',
        argv: stunArgv,
        onLine: (line) => {
          if (!line.startsWith('{"event":"observation"')) return;
          observations.push(JSON.parse(line) as Observation);
        },
      },
      {
        ...server,
        name: 'page server',
        argv: [
          ...nodeModuleArgv(new URL('../../src/browser/test-support/page-server.js', import.meta.url)),
          JSON.stringify(pageConfig),
        ],
        stdin: true, // it stops when its stdin closes
      },
    ]),
    startBrowserAgent({ netns: lab.namespaces.client }),
  ]);
  if (startedServers.status === 'fulfilled') servers = startedServers.value;
  if (startedAgent.status === 'fulfilled') agent = startedAgent.value;
  if (startedServers.status === 'rejected') throw startedServers.reason;
  if (startedAgent.status === 'rejected') throw startedAgent.reason;
  timings.push(`stun server + page server + browser agent ready: ${Math.round(performance.now() - t0)} ms`);
}, 120_000);

afterAll(async () => {
  await agent?.close();
  await Promise.all(servers.map((server) => server.stop()));
  await lab?.close();
  console.log(`foundation e2e timings:\n  ${timings.join('\n  ')}`);
});

describe.each(BROWSERS)('%s in the client namespace behind the NAT router', (browser) => {
  it('(a) sends its Binding request from the router’s public address, and its srflx candidate says the same', async () => {
    const l = lab!;
    const started = performance.now();
    const result = await agent!.run({
      profile: getDefenceProfile(`${browser}/default`),
      url: `http://${l.service.ipv4}:${HTTP_PORT}/`,
      waitFor: { selector: '#ready' },
      evaluate: gatherExpression({ stun: `stun:${l.service.ipv4}:${STUN_PORT}` }),
      timeoutMs: 60_000,
    });
    expect(result.error).toBeUndefined();
    const outcome = result.value as GatherOutcome;
    expect(outcome.error).toBeNull();
    const srflx = outcome.candidates
      .map((c) => / (\S+) (\d+) typ srflx/.exec(c))
      .find((m): m is RegExpExecArray => m !== null);
    expect(srflx, `no srflx candidate among ${JSON.stringify(outcome.candidates)}`).toBeDefined();
    const [, address, port] = srflx!;
    const binding = await waitFor(`a Binding request from ${address}:${port}`, () =>
      observations.find(
        (o): o is StunBindingObservation =>
          o.kind === 'stun-binding' && o.source.address === address && o.source.port === Number(port),
      ),
    );
    expect(binding.source.address).toBe(l.truth.expected.udpSourceIPv4);
    expect(address).toBe(l.truth.expected.udpSourceIPv4);
    expect(binding.local.address).toBe(l.service.ipv4);
    timings.push(
      `${browser} (a) ${result.browserVersion}: job ${result.durationMs} ms (gathering ${outcome.gatherMs} ms, complete ${outcome.complete}), test ${Math.round(performance.now() - started)} ms; srflx ${address}:${port}`,
    );
  });

  it('(b) with no STUN server, sends ICE checks to the ICE-lite answer that the observer ties to its session', async () => {
    const l = lab!;
    const session = SESSIONS[browser];
    const startedAt = Date.now();
    const result = await agent!.run({
      profile: getDefenceProfile(`${browser}/default`),
      url: `http://${l.service.ipv4}:${HTTP_PORT}/`,
      waitFor: { selector: '#ready' },
      evaluate: gatherExpression({
        answer: true,
        answerPath: `/answer?ufrag=${encodeURIComponent(session.ufrag)}&pwd=${encodeURIComponent(session.pwd)}`,
      }),
      timeoutMs: 60_000,
    });
    expect(result.error).toBeUndefined();
    const outcome = result.value as GatherOutcome;
    expect(outcome.error).toBeNull();
    expect(outcome.localSdp).not.toMatch(/typ srflx/);
    const offerUfrag = /^a=ice-ufrag:(\S+)/m.exec(outcome.localSdp)?.[1];
    expect(offerUfrag).toBeDefined();
    const check = await waitFor(`an ICE check for ${session.sessionId}`, () =>
      observations.find(
        (o): o is IceCheckObservation => o.kind === 'ice-check' && o.sessionId === session.sessionId,
      ),
    );
    expect(check.remoteUfrag).toBe(offerUfrag);
    expect(check.localUfrag).toBe(session.ufrag);
    expect(check.source.address).toBe(l.truth.expected.udpSourceIPv4);
    expect(check.role).toBe('controlling');
    // No check of this browser was left unattributed or given to the other session.
    const stray = observations.filter(
      (o) => o.kind === 'ice-check' && o.remoteUfrag === offerUfrag && o.sessionId !== session.sessionId,
    );
    expect(stray).toEqual([]);
    timings.push(
      `${browser} (b): job ${result.durationMs} ms, first attributed check ${check.time - startedAt} ms after the job started, iceState ${outcome.iceState}`,
    );
  });
});
