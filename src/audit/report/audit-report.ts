import { type AuditCellResult, cellOutcome } from '../cell.js';

/** The `--json` document. Bump `schemaVersion` on any incompatible change. */
export interface AuditReport {
  readonly schemaVersion: 1;
  readonly tool: { readonly name: 'iceleak'; readonly version: string };
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly mode: 'lab' | 'host';
  readonly browsers: ReadonlyArray<{ readonly name: string; readonly version: string | null }>;
  readonly summary: AuditSummary;
  readonly cells: readonly AuditCellResult[];
}

export interface AuditSummary {
  readonly cells: number;
  readonly leaking: number;
  readonly errors: number;
  readonly differing: number;
}

export function summarize(cells: readonly AuditCellResult[]): AuditSummary {
  let leaking = 0;
  let errors = 0;
  let differing = 0;
  for (const cell of cells) {
    const outcome = cellOutcome(cell);
    if (outcome === 'error') errors++;
    if (outcome === 'differs') differing++;
    if (cell.leakedAddresses.length > 0) leaking++;
  }
  return { cells: cells.length, leaking, errors, differing };
}

/**
 * Exit code of an audit: with expectations, 0 when every cell matched; without, 0 when no
 * cell leaked. Cells that could not run fail the audit either way.
 */
export function auditExitCode(report: AuditReport): 0 | 1 {
  const { summary } = report;
  if (summary.errors > 0 || summary.differing > 0) return 1;
  const expectedAll = report.cells.every((cell) => cell.expectation !== undefined);
  if (expectedAll && report.cells.length > 0) return 0;
  return summary.leaking > 0 ? 1 : 0;
}
