/**
 * `npm run bench:audit`: the default audit matrix on the embedded lab, amortized time per
 * cell, printed beside the time of one lone cell measured in the same run (median of 3
 * one-cell audits: lab + service + browser start + page + verdict). Target: amortized ≤ 1.0×.
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { openLabScenario } from '../../src/audit/lab-scenario.js';
import { buildMatrix } from '../../src/audit/matrix.js';
import { renderMatrix } from '../../src/audit/report/table.js';
import { runMatrix } from '../../src/audit/runner.js';
import { DEFENCE_PROFILES } from '../../src/browser/profiles.js';
import { checkLabPrerequisites, SCENARIOS } from '../../src/lab/index.js';

const profiles = new Map(DEFENCE_PROFILES.map((p) => [p.id, p]));
const scenarioNames = SCENARIOS.map((s) => s.name);
const LONE_CELL = { profiles: ['chromium/default'], scenarios: ['direct'] };
const LONE_RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timeAudit(selection: { profiles?: string[]; scenarios?: string[] }) {
  const { cells } = buildMatrix(DEFENCE_PROFILES, scenarioNames, selection);
  const started = performance.now();
  const results = await runMatrix({ cells, openScenario: (s) => openLabScenario(s, profiles) });
  const wallMs = performance.now() - started;
  const errors = results.filter((r) => r.verdict === 'error');
  return { cells: results.length, wallMs, errors, cellMs: results.map((r) => r.durationMs), results };
}

await checkLabPrerequisites();
console.log(
  `machine: ${cpus()[0]?.model ?? 'unknown CPU'} × ${availableParallelism()}, Node ${process.version}`,
);
console.log(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const lone: number[] = [];
const loneCell: number[] = [];
for (let i = 0; i < LONE_RUNS; i++) {
  const run = await timeAudit(LONE_CELL);
  if (run.errors.length > 0) throw new Error(`lone cell failed: ${run.errors[0]?.error}`);
  lone.push(run.wallMs);
  loneCell.push(run.cellMs[0]!);
  console.log(
    `lone cell ${i + 1}/${LONE_RUNS}: ${(run.wallMs / 1000).toFixed(2)} s (page + verdict ${(run.cellMs[0]! / 1000).toFixed(2)} s)`,
  );
}

const matrix = await timeAudit({});
const amortizedMs = matrix.wallMs / matrix.cells;
console.log(
  renderMatrix(
    DEFENCE_PROFILES.map((p) => p.id),
    scenarioNames,
    new Map(matrix.results.map((r) => [r.id, r])),
  ),
);
const loneMs = median(lone);
console.log(
  `default matrix: ${matrix.cells} cells in ${(matrix.wallMs / 1000).toFixed(1)} s, ${matrix.errors.length} errors` +
    (matrix.errors.length ? ` (${matrix.errors.map((e) => `${e.id}: ${e.error}`).join('; ')})` : ''),
);
console.log(
  `median per-cell page+verdict time in the matrix: ${(median(matrix.cellMs) / 1000).toFixed(2)} s`,
);
console.log(`amortized per cell: ${(amortizedMs / 1000).toFixed(2)} s`);
console.log(`lone cell (median of ${LONE_RUNS}): ${(loneMs / 1000).toFixed(2)} s`);
console.log(`ratio amortized / lone cell: ${(amortizedMs / loneMs).toFixed(2)}× (target ≤ 1.0×)`);
console.log(
  `load average at end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
