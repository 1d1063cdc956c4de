/**
 * `npm run bench:scan`: pages per minute and peak memory (Node RSS + PSS of every Chromium
 * process of ours) for `iceleak scan` on the fixture corpus at the default concurrency, beside one
 * page scanned alone, with the CLI's default per-page settings (dwell 4 s after load).
 * Runs in a namespace of its own (src/scan/fixture-lab.ts), removed on every exit path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { type FixtureLab, startFixtureLab } from '../../src/scan/fixture-lab.js';
import { CORPUS } from '../../src/scan/fixtures/corpus.js';
import { defaultConcurrency, runScan, type ScanOptions } from '../../src/scan/scanner.js';

const ROUNDS = Number(process.env.BENCH_SCAN_ROUNDS ?? 2);
const DWELL_MS = Number(process.env.BENCH_SCAN_DWELL_MS ?? 4000);

// PSS (bytes) of our Chromium processes (descendants of this process named chromium*):
// PSS splits shared pages between processes, where a sum of RSS would count them many times.
// The fixture and STUN servers, also our children, are left out.
function descendantsRss(): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      if (!stat.slice(stat.indexOf('(') + 1).startsWith('chrom')) continue;
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8'));
      rss.set(Number(entry), pss ? Number(pss[1]) * 1024 : 0);
    } catch {}
  }
  let total = 0;
  for (const [pid, value] of rss) {
    let p = parent.get(pid);
    for (let depth = 0; p !== undefined && p > 1 && depth < 20; depth++) {
      if (p === process.pid) {
        total += value;
        break;
      }
      p = parent.get(p);
    }
  }
  return total;
}

async function measure(urls: string[], options: ScanOptions) {
  let peakBrowser = 0;
  let peakTotal = 0;
  const sample = () => {
    const browser = descendantsRss();
    peakBrowser = Math.max(peakBrowser, browser);
    peakTotal = Math.max(peakTotal, browser + process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 100);
  const start = performance.now();
  try {
    const results = await runScan(urls, options);
    const seconds = (performance.now() - start) / 1000;
    sample();
    const failed = results.filter((r) => r.status !== 'ok').length;
    return {
      pages: urls.length,
      failed,
      seconds,
      pagesPerMinute: (urls.length / seconds) * 60,
      peakBrowser,
      peakTotal,
    };
  } finally {
    clearInterval(timer);
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

let lab: FixtureLab | null = null;
const stop = async () => {
  await lab?.close();
  process.exit(130);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
try {
  lab = await startFixtureLab(`bench${process.pid}`);
  const base = { timeoutMs: 30_000, dwellMs: DWELL_MS, retries: 1, netns: lab.netns };
  const corpus = Array.from({ length: ROUNDS }, () => CORPUS.map((p) => `${lab!.siteA}${p.page}?r=`)).flatMap(
    (urls, round) => urls.map((u) => `${u}${round}`),
  );
  const concurrency = defaultConcurrency();
  process.stdout.write(
    `machine: ${cpus()[0]?.model ?? '?'} × ${availableParallelism()}, Node ${process.version}; dwell ${DWELL_MS} ms\n`,
  );
  const alone = await measure([`${lab.siteA}/poc-2015.html`], { ...base, concurrency: 1 });
  const all = await measure(corpus, { ...base, concurrency });
  const rows = [
    ['one page alone (concurrency 1)', alone],
    [`corpus ×${ROUNDS} (${corpus.length} pages, concurrency ${concurrency})`, all],
  ] as const;
  process.stdout.write(
    '| run | pages | failed | wall s | pages/min | peak Chromium PSS | peak Chromium PSS + Node RSS |\n|---|---|---|---|---|---|---|\n',
  );
  for (const [name, m] of rows) {
    process.stdout.write(
      `| ${name} | ${m.pages} | ${m.failed} | ${m.seconds.toFixed(1)} | ${m.pagesPerMinute.toFixed(1)} | ${mib(m.peakBrowser)} | ${mib(m.peakTotal)} |\n`,
    );
  }
  process.stdout.write(
    `ratio corpus/alone: pages/min ×${(all.pagesPerMinute / alone.pagesPerMinute).toFixed(2)}, peak memory ×${(all.peakTotal / alone.peakTotal).toFixed(2)}\n`,
  );
} finally {
  await lab?.close();
}
