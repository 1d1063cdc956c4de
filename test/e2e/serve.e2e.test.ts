/**
 * `iceleak serve` end to end (docs/serve.md): the service runs in the lab's internet namespace,
 * Debian's Chromium and Firefox ESR run in the client namespace behind the home NAT router
 * (through the lab's HTTP proxy where the scenario has one) and load the leak-test page.
 * Assertions are on what the service's own STUN server and ICE-lite observer saw.
 * Needs root (namespaces) and both browsers; fails with the remedy when either is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserAgent, startBrowserAgent } from '../../src/browser/agent-client.js';
import { findBrowserExecutable } from '../../src/browser/executables.js';
import { getDefenceProfile } from '../../src/browser/profiles.js';
import { checkLabPrerequisites, type Lab, type ScenarioName, startLab } from '../../src/lab/index.js';
import {
  type LabService,
  type LeakTestVisit,
  startServiceInLab,
  visitLeakTest,
} from '../../src/service/in-lab.js';

interface Rig {
  lab: Lab;
  service: LabService;
  agent: BrowserAgent;
}

/** Lab + service + browser agent for one scenario; torn down in reverse order even when a step fails. */
function rigFor(scenario: ScenarioName): { get(): Rig } {
  let rig: Partial<Rig> = {};
  beforeAll(async () => {
    await checkLabPrerequisites();
    findBrowserExecutable('chromium');
    findBrowserExecutable('firefox');
    rig.lab = await startLab(scenario);
    rig.service = await startServiceInLab(rig.lab);
    rig.agent = await startBrowserAgent({ netns: rig.lab.namespaces.client });
  });
  afterAll(async () => {
    await rig.agent?.close().catch(() => {});
    await rig.service?.close().catch(() => {});
    await rig.lab?.close();
    rig = {};
  });
  return {
    get() {
      if (!rig.lab || !rig.service || !rig.agent) throw new Error(`the ${scenario} rig did not start`);
      return rig as Rig;
    },
  };
}

/** Loads the page; fails with the browser's console and error when no verdict appeared. */
async function visit(rig: Rig, profileId: string, viaProxy: boolean): Promise<LeakTestVisit> {
  const profile = getDefenceProfile(profileId);
  const v = await visitLeakTest(rig.agent, {
    profile,
    proxy: viaProxy ? rig.lab.proxy : null,
    url: rig.service.url,
  });
  if (!v.ok || !v.result) {
    throw new Error(
      `${profileId}: no verdict (${v.error ?? 'no result'}); console: ${v.console.join(' | ')}`,
    );
  }
  expect(v.path).toBe(`/r/${v.result.id}`);
  expect(v.verdict).toBe(v.result.verdict);
  return v;
}

const homeIPv4 = (lab: Lab) => {
  const v4 = lab.truth.homePublic.find((a) => !a.includes(':'));
  if (!v4) throw new Error('the scenario has no home public IPv4');
  return v4;
};

describe('iceleak serve in the http-proxy scenario', () => {
  const rig = rigFor('http-proxy');

  it.each(['chromium/default', 'firefox/default'])(
    '%s through the proxy leaks the home address, seen by our ICE observer and STUN server',
    async (profileId) => {
      const r = rig.get();
      const home = homeIPv4(r.lab);
      const v = await visit(r, profileId, true);
      const result = v.result!;
      expect(result.verdict).toBe('leak');
      // HTTP came through the proxy: the site sees the proxy's exit, not home.
      expect(result.http.addresses.map((a) => a.address)).toContain(r.lab.truth.expected.httpSourceIPv4);
      expect(result.http.addresses.map((a) => a.address)).not.toContain(home);
      const leak = result.findings.find((f) => f.code === 'public-ip-leak' && f.address === home);
      expect(leak, JSON.stringify(result.findings, null, 1)).toBeDefined();
      const hows = new Set(leak!.evidence.map((e) => e.how));
      expect(hows.has('ice-check')).toBe(true);
      expect(hows.has('stun-server')).toBe(true);
      // Ground truth: packets from home reached our servers, attributed to this session.
      expect(result.server.iceChecks.some((c) => c.source.address === home)).toBe(true);
      expect(result.server.stun.some((o) => o.source.address === home)).toBe(true);
    },
  );

  it.each(['chromium/disable_non_proxied_udp', 'firefox/proxy_only_if_behind_proxy'])(
    '%s through the proxy is protected',
    async (profileId) => {
      const r = rig.get();
      const v = await visit(r, profileId, true);
      const result = v.result!;
      expect(result.verdict, JSON.stringify(result.findings, null, 1)).toBe('protected');
      expect(result.findings.some((f) => f.code === 'public-ip-leak' || f.code === 'ipv6-leak')).toBe(false);
      expect(result.server.iceChecks.filter((c) => c.source.address === homeIPv4(r.lab))).toEqual([]);
    },
  );
});

describe('iceleak serve in the direct scenario', () => {
  const rig = rigFor('direct');

  it.each(['chromium/default', 'firefox/default'])(
    '%s without a proxy shows no public-ip-leak: WebRTC and HTTP show the same address',
    async (profileId) => {
      const r = rig.get();
      const v = await visit(r, profileId, false);
      const result = v.result!;
      expect(result.findings.filter((f) => f.code === 'public-ip-leak')).toEqual([]);
      expect(result.http.addresses.map((a) => a.address)).toContain(homeIPv4(r.lab));
      // The observer still saw the browser's checks: the test ran, it just found no leak.
      expect(result.server.iceChecks.some((c) => c.source.address === homeIPv4(r.lab))).toBe(true);
    },
  );
});
