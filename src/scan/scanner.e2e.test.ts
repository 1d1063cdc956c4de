import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureLab, startFixtureLab } from './fixture-lab.js';
import { runScan } from './scanner.js';

// Our own Chromium: a direct child of this process (`ip netns exec` execs in place).
function ownChromiumPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) \S (\d+)/.exec(stat);
      if (m && m[2] === String(process.pid) && m[1]!.startsWith('chromium')) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

describe('runScan', () => {
  let lab: FixtureLab;
  beforeAll(async () => {
    lab = await startFixtureLab(`rs${process.pid}`);
  });
  afterAll(async () => {
    await lab?.close();
  });

  it('restarts the browser after it crashes and retries the page it was on', async () => {
    const restarts: string[] = [];
    const slow = `${lab.siteA}/delay/3000/poc-2015.html`;
    let killed: number[] = [];
    // Kill the browser once it is really on the slow page (the server saw the request).
    const killer = setInterval(() => {
      if (killed.length > 0 || !lab.requested().some((u) => u.includes('/delay/3000/'))) return;
      killed = ownChromiumPids();
      for (const pid of killed) process.kill(pid, 'SIGKILL');
    }, 50);
    try {
      const results = await runScan([slow, `${lab.siteA}/detect.html`], {
        concurrency: 1,
        timeoutMs: 10_000,
        dwellMs: 1500,
        retries: 1,
        netns: lab.netns,
        onBrowserRestart: (url) => restarts.push(url),
      });
      expect(killed.length, 'no Chromium child found to kill').toBe(1);
      expect(restarts).toEqual([slow]);
      expect(results.map((r) => [r.status, r.attempts])).toEqual([
        ['ok', 2],
        ['ok', 1],
      ]);
      expect(results[0]!.scripts.map((s) => s.classifications)).toEqual([['public-ip-harvest']]);
    } finally {
      clearInterval(killer);
    }
    expect(ownChromiumPids()).toEqual([]);
  });

  it('gives up after the retries with a stable error code when a page never loads', async () => {
    const [result] = await runScan([`${lab.siteA}/delay/5000/detect.html`], {
      concurrency: 1,
      timeoutMs: 1000,
      dwellMs: 0,
      retries: 1,
      netns: lab.netns,
    });
    expect(result).toMatchObject({ status: 'error', attempts: 2, error: { code: 'E_SCAN_NAVIGATION' } });
  });
});
