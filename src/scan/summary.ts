import type { Classification } from './rules.js';
import type { SiteResult } from './site-result.js';

/** A script URL ranked by how many sites it harvests (or appears) on. */
export interface ScriptRank {
  readonly script: string;
  readonly sites: number;
  readonly harvestingSites: number;
  readonly classifications: readonly Classification[];
}

/** The run at a glance. */
export interface ScanSummary {
  readonly sitesScanned: number;
  readonly sitesFailed: number;
  readonly harvestingSites: number;
  readonly scripts: readonly ScriptRank[];
}

/** Pure: results → summary, scripts ranked by harvesting sites, then sites, then URL. */
export function summarize(results: readonly SiteResult[]): ScanSummary {
  const ranks = new Map<
    string,
    { sites: Set<string>; harvesting: Set<string>; classes: Set<Classification> }
  >();
  for (const r of results) {
    for (const f of r.scripts) {
      const rank = ranks.get(f.script) ?? { sites: new Set(), harvesting: new Set(), classes: new Set() };
      rank.sites.add(r.url);
      if (f.harvesting) rank.harvesting.add(r.url);
      for (const c of f.classifications) rank.classes.add(c);
      ranks.set(f.script, rank);
    }
  }
  const scripts = [...ranks].map(([script, r]) => ({
    script,
    sites: r.sites.size,
    harvestingSites: r.harvesting.size,
    classifications: [...r.classes].sort(),
  }));
  scripts.sort(
    (a, b) => b.harvestingSites - a.harvestingSites || b.sites - a.sites || a.script.localeCompare(b.script),
  );
  return {
    sitesScanned: results.length,
    sitesFailed: results.filter((r) => r.status === 'error').length,
    harvestingSites: results.filter((r) => r.harvesting).length,
    scripts,
  };
}

/** Plain-text table of a summary, for the terminal. */
export function formatSummary(summary: ScanSummary, maxScripts = 30): string {
  const lines = [
    `sites scanned: ${summary.sitesScanned} (failed: ${summary.sitesFailed})`,
    `harvesting sites: ${summary.harvestingSites}`,
  ];
  if (summary.scripts.length > 0) {
    lines.push('', 'harvesting  sites  classifications                          script');
    for (const s of summary.scripts.slice(0, maxScripts)) {
      lines.push(
        `${String(s.harvestingSites).padStart(10)}  ${String(s.sites).padStart(5)}  ${s.classifications.join(',').padEnd(40)} ${s.script}`,
      );
    }
    if (summary.scripts.length > maxScripts)
      lines.push(`… ${summary.scripts.length - maxScripts} more scripts`);
  }
  return `${lines.join('\n')}\n`;
}
