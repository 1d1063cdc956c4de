import { type AuditCellResult, type CellOutcome, cellOutcome } from '../cell.js';
import type { AuditSummary } from './audit-report.js';

const MARK: Record<CellOutcome, string> = { leak: 'LEAK', ok: 'ok', error: 'ERROR', differs: 'DIFFERS' };

/** One line per finished cell, for logs and non-TTY output. */
export function renderCellLine(cell: AuditCellResult, done: number, total: number): string {
  const leaked = cell.leakedAddresses
    .map((l) => `${l.address} (${l.role}, ${l.learnedBy.join('+')})`)
    .join(', ');
  const detail = cell.error ? ` — ${cell.error}` : leaked ? ` — leaked ${leaked}` : '';
  const expected =
    cell.expectation && !cell.expectation.matches ? ` (expected ${cell.expectation.verdict})` : '';
  return `[${String(done).padStart(String(total).length)}/${total}] ${MARK[cellOutcome(cell)].padEnd(7)} ${cell.id} → ${cell.verdict}${expected} in ${(cell.durationMs / 1000).toFixed(1)} s${detail}`;
}

function cellText(cell: AuditCellResult | undefined): string {
  if (!cell) return '·';
  const outcome = cellOutcome(cell);
  if (outcome === 'error') return 'ERROR';
  const mark = outcome === 'leak' ? '✗ ' : outcome === 'differs' ? '≠ ' : '✓ ';
  return `${mark}${cell.verdict}`;
}

/**
 * The matrix as a text table: one row per profile, one column per scenario, each cell the
 * verdict marked ✓ (nothing secret learned), ✗ (a secret address learned), ≠ (differs
 * from the expectation); `…` for cells still running.
 */
export function renderMatrix(
  profiles: readonly string[],
  scenarios: readonly string[],
  results: ReadonlyMap<string, AuditCellResult>,
  running: ReadonlySet<string> = new Set(),
): string {
  const header = ['profile', ...scenarios];
  const rows = profiles.map((profile) => [
    profile,
    ...scenarios.map((scenario) => {
      const id = `${profile}@${scenario}`;
      return running.has(id) ? '…' : cellText(results.get(id));
    }),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderSummary(summary: AuditSummary, seconds: number): string {
  const parts = [`${summary.cells} cells`, `${summary.leaking} leaking`];
  if (summary.differing > 0) parts.push(`${summary.differing} differing from the expectation`);
  if (summary.errors > 0) parts.push(`${summary.errors} errors`);
  return `${parts.join(', ')} in ${seconds.toFixed(1)} s`;
}
