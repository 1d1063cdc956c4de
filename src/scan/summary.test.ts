import { describe, expect, it } from 'vitest';
import type { ScriptFinding } from './rules.js';
import type { SiteResult } from './site-result.js';
import { formatSummary, summarize } from './summary.js';

const finding = (script: string, harvesting: boolean): ScriptFinding => ({
  script,
  classifications: harvesting ? ['public-ip-harvest'] : ['feature-detection'],
  harvesting,
  evidence: { calls: [], iceServers: [], harvested: [], exfiltration: [] },
});
const site = (url: string, scripts: ScriptFinding[], status: 'ok' | 'error' = 'ok'): SiteResult => ({
  url,
  status,
  error: status === 'ok' ? null : { code: 'E_SCAN_NAVIGATION', message: 'x' },
  attempts: 1,
  startedAt: 0,
  finishedAt: 1,
  finalUrl: url,
  scripts,
  harvesting: scripts.some((s) => s.harvesting),
  calls: [],
  requests: [],
});

describe('summarize', () => {
  it('ranks scripts by how many sites they harvest on', () => {
    const s = summarize([
      site('https://a.example/', [
        finding('https://t1.example/x.js', true),
        finding('https://d.example/d.js', false),
      ]),
      site('https://b.example/', [
        finding('https://t2.example/y.js', true),
        finding('https://t1.example/x.js', true),
      ]),
      site('https://c.example/', [finding('https://d.example/d.js', false)]),
      site('https://e.example/', [], 'error'),
    ]);
    expect(s).toMatchObject({ sitesScanned: 4, sitesFailed: 1, harvestingSites: 2 });
    expect(s.scripts.map((r) => [r.script, r.harvestingSites, r.sites])).toEqual([
      ['https://t1.example/x.js', 2, 2],
      ['https://t2.example/y.js', 1, 1],
      ['https://d.example/d.js', 0, 2],
    ]);
    expect(formatSummary(s)).toContain('harvesting sites: 2');
  });
});
