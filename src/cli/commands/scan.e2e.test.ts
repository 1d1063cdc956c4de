import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeModuleArgv } from '../../process/index.js';
import { type FixtureLab, startFixtureLab } from '../../scan/fixture-lab.js';
import type { SiteResult } from '../../scan/site-result.js';

const [node, ...prefix] = nodeModuleArgv(new URL('../main.js', import.meta.url));

function iceleak(args: string[]) {
  const r = spawnSync(node!, [...prefix, ...args], { encoding: 'utf8', timeout: 100_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('iceleak scan (CLI)', () => {
  let lab: FixtureLab;
  let dir: string;
  beforeAll(async () => {
    lab = await startFixtureLab(`cli${process.pid}`);
    dir = mkdtempSync(join(tmpdir(), 'iceleak-scan-cli-'));
  });
  afterAll(async () => {
    await lab?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('streams JSONL, stores SQLite, ranks scripts and exits 1 on harvesting; --resume skips what is done', () => {
    const db = join(dir, 'scan.db');
    const urls = [`${lab.siteA}/poc-2015.html`, `${lab.siteA}/ad-slot.html`];
    const first = iceleak(['scan', '--netns', lab.netns, '--dwell', '1500', '--db', db, '--jsonl', ...urls]);
    expect(first.code, first.stderr).toBe(1);
    const lines = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as SiteResult);
    expect(lines.map((r) => r.url).sort()).toEqual([...urls].sort());
    expect(first.stderr).toContain('harvesting sites: 2');
    expect(first.stderr).toContain(`${lab.siteB}/ad/ad-harvest.js`);

    const json = join(dir, 'out.json');
    const detect = `${lab.siteA}/detect.html`;
    const second = iceleak([
      'scan',
      '--netns',
      lab.netns,
      '--dwell',
      '500',
      '--db',
      db,
      '--resume',
      '--json',
      json,
      ...urls,
      detect,
    ]);
    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr).toContain('resuming: 2 of 3 URLs already done');
    expect(second.stdout).toContain('sites scanned: 3');
    const written = JSON.parse(readFileSync(json, 'utf8')) as SiteResult[];
    expect(written.map((r) => [r.url, r.scripts.map((s) => s.classifications.join())])).toEqual([
      [detect, ['feature-detection']],
    ]);
  });

  it('exits 0 on a clean page and 2 with one line on a usage error', () => {
    const clean = iceleak(['scan', '--netns', lab.netns, '--dwell', '500', `${lab.siteA}/call.html`]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain('harvesting sites: 0');
    const bad = iceleak(['scan', 'ftp://x.example/']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('E_USAGE');
  });
});
