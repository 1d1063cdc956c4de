/**
 * The browser agent and every defence profile, for real: the agent runs in the client
 * namespace of the lab's `direct` scenario (LAN 10.10.0.23 behind NAT 203.0.113.5), a page
 * server and `iceleak stun` run in the internet namespace. Each profile row's effect on what a
 * page gathers is checked against domain.md §3; then the agent's cleanup (close, and the agent
 * killed outright) is checked: no process is left in the namespace.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../lab/index.js';
import { startLab } from '../lab/index.js';
import { type Child, nodeModuleArgv, readyOnEvent, startChildren } from '../process/index.js';
import { type BrowserAgent, startBrowserAgent } from './agent-client.js';
import { findBrowserExecutable } from './executables.js';
import { DEFENCE_PROFILES, getDefenceProfile, parseProfiles } from './profiles.js';
import { type GatherOutcome, gatherExpression } from './test-support/gather-script.js';
import type { PageServerConfig } from './test-support/page-server.js';

const LAN = '10.10.0.23';
const PUBLIC = '203.0.113.5';

interface Seen {
  host: 'mdns' | 'raw' | 'none';
  srflx: boolean;
  udp: boolean;
}

/** What each row must do in the `direct` scenario (no proxy): domain.md §3. */
const EXPECTED: Record<string, Partial<Seen> & { noPeerConnection?: true; media?: true }> = {
  'chromium/default': { host: 'mdns', srflx: true },
  'chromium/default_public_and_private_interfaces': { host: 'raw', srflx: true },
  'chromium/default_public_interface_only': { host: 'none', srflx: true },
  'chromium/disable_non_proxied_udp': { host: 'none', srflx: false, udp: false },
  'chromium/mdns-off': { host: 'raw', srflx: true },
  'chromium/media-permission': { host: 'raw', srflx: true, media: true },
  'firefox/default': { host: 'mdns', srflx: true },
  'firefox/default_address_only': { host: 'none', srflx: true },
  'firefox/proxy_only_if_behind_proxy': { host: 'mdns', srflx: true }, // no proxy here: acts like default
  'firefox/proxy_only': { srflx: false, udp: false },
  'firefox/relay_only': { host: 'none', srflx: false, udp: false },
  'firefox/webrtc-disabled': { noPeerConnection: true },
  'firefox/tor-like': { noPeerConnection: true }, // Tor Browser ships WebRTC off
  // Measured: Firefox 153 with fake streams and media.navigator.permission.disabled gathers on
  // more interfaces during capture (v4 and v6 hosts) but keeps them mDNS-obfuscated.
  'firefox/media-permission': { host: 'mdns', srflx: true, media: true },
};

let lab: Lab | undefined;
let agent: BrowserAgent | undefined;
let servers: Child<true>[] = [];
const timings: string[] = [];

function nsPids(ns: string): string[] {
  return execFileSync('ip', ['netns', 'pids', ns]).toString().split('\n').filter(Boolean);
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('the browser agent e2e needs root (network namespaces)');
  findBrowserExecutable('chromium');
  findBrowserExecutable('firefox');
  lab = await startLab('direct');
  const config: PageServerConfig = {
    host: lab.service.ipv4,
    httpPort: 8080,
    ufrag: 'agentE2E',
    pwd: 'agentE2Epassword0123456',
    candidates: [{ address: lab.service.ipv4, port: 3478, transport: 'udp' }],
  };
  const server = { place: 'browser/agent.e2e', code: 'E_TEST', netns: lab.namespaces.internet } as const;
  servers = await startChildren([
    {
      ...server,
      name: 'iceleak stun',
      argv: [
        ...nodeModuleArgv(new URL('../cli/main.js', import.meta.url)),
        'stun',
        '--listen',
        `${lab.service.ipv4}:3478`,
      ],
      ready: readyOnEvent('listening'),
    },
    {
      ...server,
      name: 'page server',
      argv: [
        ...nodeModuleArgv(new URL('./test-support/page-server.js', import.meta.url)),
        JSON.stringify(config),
      ],
      stdin: true, // it stops when its stdin closes
      ready: readyOnEvent('listening'),
    },
  ]);
  const agentStarted = performance.now();
  agent = await startBrowserAgent({ netns: lab.namespaces.client });
  timings.push(`agent start: ${Math.round(performance.now() - agentStarted)} ms`);
}, 120_000);

afterAll(async () => {
  await agent?.close();
  await Promise.all(servers.map((server) => server.stop()));
  await lab?.close();
  console.log(`browser agent e2e timings:\n  ${timings.join('\n  ')}`);
});

describe('every defence profile, in the direct scenario', () => {
  it.each(DEFENCE_PROFILES.map((p) => [p.id]))('%s gathers what domain.md §3 says', async (id) => {
    const expected = EXPECTED[id];
    expect(expected, `no expectation for ${id}`).toBeDefined();
    const l = lab!;
    const result = await agent!.run({
      profile: getDefenceProfile(id),
      url: `http://${l.service.ipv4}:8080/`,
      waitFor: { selector: '#ready' },
      evaluate: gatherExpression({ stun: `stun:${l.service.ipv4}:3478`, gatherTimeoutMs: 3000 }),
      timeoutMs: 60_000,
    });
    expect(result.error).toBeUndefined();
    const out = result.value as GatherOutcome;
    expect(out.error).toBeNull();
    timings.push(
      `${id}: ${result.durationMs} ms, ${out.candidates.length} candidates, complete ${out.complete}`,
    );
    if (expected?.noPeerConnection) {
      expect(out.hasPeerConnection).toBe(false);
      return;
    }
    expect(out.hasPeerConnection).toBe(true);
    if (expected?.media) expect(out.media).toBe('granted');
    else expect(out.media).toBeNull();
    const hosts = out.candidates.filter((c) => / typ host/.test(c)).map((c) => c.split(' ')[4] ?? '');
    const seen: Seen = {
      host: hosts.length === 0 ? 'none' : hosts.every((h) => h.endsWith('.local')) ? 'mdns' : 'raw',
      srflx: out.candidates.some((c) => c.includes(` ${PUBLIC} `) && c.includes('typ srflx')),
      udp: out.candidates.some((c) => / udp /i.test(c)),
    };
    if (seen.host === 'raw') expect(hosts).toContain(LAN);
    const { noPeerConnection: _n, media: _m, ...wanted } = expected ?? {};
    expect(seen, JSON.stringify(out.candidates)).toMatchObject(wanted);
  });
});

describe('the agent', () => {
  it('gives every job a fresh context: storage does not survive between jobs on a reused process', async () => {
    const l = lab!;
    for (const browser of ['chromium', 'firefox'] as const) {
      const job = {
        profile: getDefenceProfile(`${browser}/default`),
        url: `http://${l.service.ipv4}:8080/`,
        evaluate: `(() => { const before = localStorage.getItem('k'); localStorage.setItem('k', 'x'); return before; })()`,
      };
      const first = await agent!.run(job);
      const second = await agent!.run(job);
      expect([first.ok, second.ok]).toEqual([true, true]);
      expect([first.value, second.value]).toEqual([null, null]);
      // reuse: the second job does not pay for a browser start
      timings.push(`${browser} fresh-context jobs: ${first.durationMs} ms then ${second.durationMs} ms`);
    }
  });

  it('loads the unpacked extension of a user profile (Chromium, own process)', async () => {
    const l = lab!;
    const [profile] = parseProfiles(
      { profiles: [{ browser: 'chromium', name: 'marker', extensions: ['marker-extension'] }] },
      'test',
      fileURLToPath(new URL('./test-support/', import.meta.url)),
    );
    const result = await agent!.run({
      profile: profile!,
      url: `http://${l.service.ipv4}:8080/`,
      waitFor: { selector: '#ready' },
      evaluate: 'document.documentElement.dataset.iceleakExt ?? null',
    });
    expect(result.error).toBeUndefined();
    expect(result.value).toBe('loaded');
  });

  it('reports page failures and timeouts as results, and keeps working', async () => {
    const l = lab!;
    const profile = getDefenceProfile('chromium/default');
    const url = `http://${l.service.ipv4}:8080/`;
    const thrown = await agent!.run({ profile, url, evaluate: `(() => { throw new Error('boom'); })()` });
    expect(thrown.ok).toBe(false);
    expect(thrown.error).toMatch(/boom/);
    const slow = await agent!.run({ profile, url, waitFor: { selector: '#never' }, timeoutMs: 8000 });
    expect(slow.ok).toBe(false);
    expect(slow.error).toMatch(/timed out after 8000 ms while/);
    const fine = await agent!.run({ profile, url, evaluate: '1 + 1' });
    expect(fine).toMatchObject({ ok: true, value: 2, finalUrl: url });
    expect(fine.browserVersion).toMatch(/^Chrome\/\d+/);
  });

  it('leaves nothing running in the namespace after close(), nor after being killed outright', async () => {
    const l = lab!;
    const ns = l.namespaces.client;
    await agent!.close();
    expect(nsPids(ns)).toEqual([]);

    const doomed = await startBrowserAgent({ netns: ns });
    const ok = await doomed.run({
      profile: getDefenceProfile('firefox/default'),
      url: `http://${l.service.ipv4}:8080/`,
      evaluate: '1',
    });
    expect(ok.ok).toBe(true);
    const pids = nsPids(ns);
    expect(pids.length).toBeGreaterThan(1); // agent + Firefox
    // Firefox's profile directory, from its command line (`-profile /tmp/iceleak-firefox-…/profile`).
    const profileDirs = pids
      .map((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        } catch {
          return [];
        }
      })
      .flatMap((argv) => argv.filter((a) => /\/iceleak-firefox-[^/]+\/profile$/.test(a)))
      .map((a) => a.replace(/\/profile$/, ''));
    expect(profileDirs.length).toBeGreaterThan(0);
    process.kill(doomed.pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (nsPids(ns).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(nsPids(ns)).toEqual([]);
    await expect(
      doomed.run({ profile: getDefenceProfile('firefox/default'), url: 'about:blank' }),
    ).rejects.toThrow(/not running/);
    await doomed.close();
  });
});
