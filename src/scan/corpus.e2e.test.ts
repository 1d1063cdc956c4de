import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmingBindings } from './confirm.js';
import { type FixtureLab, startFixtureLab } from './fixture-lab.js';
import { CORPUS } from './fixtures/corpus.js';
import { defaultConcurrency, runScan } from './scanner.js';
import type { SiteResult } from './site-result.js';

// Real Chromium in a namespace this file creates; fails (never skips) without root or Chromium.
describe('iceleak scan on the fixture corpus', () => {
  let lab: FixtureLab;
  let results: SiteResult[] = [];

  beforeAll(async () => {
    lab = await startFixtureLab(`e2e${process.pid}`);
    results = await runScan(
      CORPUS.map((p) => lab.siteA + p.page),
      { concurrency: defaultConcurrency(), timeoutMs: 20_000, dwellMs: 2500, retries: 1, netns: lab.netns },
    );
  });
  afterAll(async () => {
    await lab?.close();
  });

  const site = (script: string) => script.replace(/^A:/, lab.siteA).replace(/^B:/, lab.siteB);

  it.each(CORPUS.map((p) => [p.page, p] as const))(
    '%s is classified as labelled, per script URL',
    (_, page) => {
      const result = results.find((r) => r.url === lab.siteA + page.page);
      expect(result, `no result for ${page.page}`).toBeDefined();
      expect(result!.error).toBeNull();
      const got = Object.fromEntries(result!.scripts.map((f) => [f.script, [...f.classifications].sort()]));
      const want = Object.fromEntries(
        Object.entries(page.expected).map(([s, c]) => [site(s), [...c].sort()]),
      );
      expect(got).toEqual(want);
      const harvesting = Object.values(page.expected).some((c) =>
        c.some((x) => x !== 'webrtc-app' && x !== 'feature-detection'),
      );
      expect(result!.harvesting).toBe(harvesting);
    },
  );

  it('names every ICE server and the requests that carried the candidates', () => {
    const poc = results.find((r) => r.url.endsWith('/poc-2015.html'))!;
    expect(poc.scripts[0]!.evidence.iceServers).toEqual([lab.stunUrl]);
    const apis = poc.scripts[0]!.evidence.calls.map((c) => c.api);
    expect(apis.indexOf('createDataChannel')).toBeLessThan(apis.indexOf('setLocalDescription'));
    const exfil = results.find((r) => r.url.endsWith('/exfil.html'))!.scripts[0]!.evidence.exfiltration;
    expect(new Set(exfil.map((e) => `${e.resourceType}/${e.where}/${e.encoding}`))).toEqual(
      new Set(['fetch/body/plain', 'ping/body/base64', 'image/url/url']),
    );
  });

  it('is confirmed by the lab STUN server for every page that configures it', () => {
    const bindings = lab.bindings();
    const table: string[] = [];
    for (const page of CORPUS) {
      const result = results.find((r) => r.url === lab.siteA + page.page)!;
      for (const finding of result.scripts) {
        const seen = confirmingBindings(finding, bindings, { from: result.startedAt, to: result.finishedAt });
        table.push(
          `${page.page} ${finding.script} ${finding.classifications.join(',')} stun-bindings=${seen.length}`,
        );
        if (page.usesStun)
          expect(seen.length, `${page.page}: STUN server saw no Binding request`).toBeGreaterThan(0);
        else expect(seen.length).toBe(0);
      }
    }
    console.log(table.join('\n'));
  });
});
