import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SiteResult } from './site-result.js';
import { SiteResultStore } from './store.js';

const result = (url: string, status: 'ok' | 'error'): SiteResult => ({
  url,
  status,
  error: null,
  attempts: 1,
  startedAt: 0,
  finishedAt: 1,
  finalUrl: url,
  scripts: [],
  harvesting: false,
  calls: [],
  requests: [],
});

describe('SiteResultStore', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  it('remembers successful URLs across reopenings (what --resume skips)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iceleak-scan-store-'));
    dirs.push(dir);
    const path = join(dir, 'scan.db');
    const first = new SiteResultStore(path);
    first.put(result('https://a.example/', 'ok'));
    first.put(result('https://b.example/', 'error'));
    first.close();
    const again = new SiteResultStore(path);
    expect([...again.doneUrls()]).toEqual(['https://a.example/']);
    expect(
      again
        .all()
        .map((r) => r.url)
        .sort(),
    ).toEqual(['https://a.example/', 'https://b.example/']);
    again.close();
  });
});
