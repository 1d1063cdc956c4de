/**
 * Lab build benchmark: how long `startLab` takes to bring each scenario up (namespaces, links,
 * addresses/routes/sysctls/NAT, proxy ready) and `close` to remove it, median of several runs,
 * with the load average beside it (the machine is shared). Run as root:
 *   node --import tsx bench/lab/main.ts
 * Writes a "Lab build" section into docs/benchmarks.md (other sections are kept).
 */
import { loadavg } from 'node:os';
import { checkLabPrerequisites, SCENARIOS, type ScenarioName, startLab } from '../../src/lab/index.js';
import { writeBenchmarkSection } from '../benchmarks-doc.js';

const RUNS = Number(process.env.ICELEAK_BENCH_RUNS ?? 5);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

interface Row {
  scenario: ScenarioName;
  upMs: number[];
  closeMs: number[];
}

async function main(): Promise<void> {
  await checkLabPrerequisites();
  const loadBefore = loadavg()[0] ?? 0;
  const rows: Row[] = SCENARIOS.map((s) => ({ scenario: s.name, upMs: [], closeMs: [] }));
  // Interleave scenarios so a burst of load from elsewhere does not land on one scenario only.
  for (let run = 0; run < RUNS; run++) {
    for (const row of rows) {
      const started = performance.now();
      const lab = await startLab(row.scenario);
      row.upMs.push(performance.now() - started);
      const closing = performance.now();
      await lab.close();
      row.closeMs.push(performance.now() - closing);
    }
  }
  const loadAfter = loadavg()[0] ?? 0;
  const fmt = (n: number) => n.toFixed(0);
  const lines = [
    '## Lab build (`node --import tsx bench/lab/main.ts`)',
    '',
    `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${RUNS} runs per scenario (interleaved),` +
      ` Node ${process.version}, 1-minute load average ${loadBefore.toFixed(1)} before / ${loadAfter.toFixed(1)} after` +
      ' (2 shared cores). "up" = `startLab` until it resolves (proxy listening included); "close" = `lab.close()`.',
    '',
    '| scenario | up, median (min–max) | close, median |',
    '|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${fmt(median(r.upMs))} ms (${fmt(Math.min(...r.upMs))}–${fmt(Math.max(...r.upMs))}) | ${fmt(median(r.closeMs))} ms |`,
    ),
    '',
  ];
  console.log(lines.join('\n'));
  writeBenchmarkSection('## Lab build', lines);
}

await main();
