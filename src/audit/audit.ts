import type { DefenceProfile } from '../browser/profiles.js';
import { checkLabPrerequisites, SCENARIOS } from '../lab/index.js';
import { type AuditCell, type AuditCellResult, type AuditScenario, HOST_SCENARIO } from './cell.js';
import { applyExpectations, type Expectations } from './expectations.js';
import { openHostScenario } from './host-scenario.js';
import { openLabScenario } from './lab-scenario.js';
import { buildMatrix, type MatrixSelection } from './matrix.js';
import { type AuditReport, summarize } from './report/audit-report.js';
import { runMatrix } from './runner.js';

/** `lab`: every cell in a lab network built for it; `host`: this machine's own network. */
export type AuditMode = 'lab' | 'host';

/** What an audit will run: the selected profiles × scenarios, as cells grouped by scenario. */
export interface AuditPlan {
  readonly mode: AuditMode;
  readonly profiles: readonly DefenceProfile[];
  readonly scenarios: readonly AuditScenario[];
  readonly cells: readonly AuditCell[];
  /** Every profile a cell may name (built-in and loaded ones), by id. */
  readonly profilesById: ReadonlyMap<string, DefenceProfile>;
}

/**
 * Plans an audit over `profiles` (built-in plus any loaded ones) and, in lab mode, the lab's
 * scenarios — after checking the lab can run here, so a missing prerequisite fails before
 * anything starts.
 */
export async function planAudit(
  profiles: readonly DefenceProfile[],
  mode: AuditMode,
  selection: MatrixSelection = {},
): Promise<AuditPlan> {
  const scenarioNames: readonly AuditScenario[] =
    mode === 'lab' ? SCENARIOS.map((s) => s.name) : [HOST_SCENARIO];
  const matrix = buildMatrix(profiles, scenarioNames, {
    ...selection,
    scenarios: mode === 'lab' ? (selection.scenarios ?? []) : [],
  });
  if (mode === 'lab') await checkLabPrerequisites();
  return { mode, ...matrix, profilesById: new Map(profiles.map((p) => [p.id, p])) };
}

export interface RunAuditOptions {
  /** Goes in the report's `tool.version`. */
  readonly toolVersion: string;
  /** Host mode: URL of a deployed `iceleak serve` (default: an embedded one). */
  readonly server?: string;
  /** Scenarios run at once; defaults to the number of cores. */
  readonly concurrency?: number;
  /** When given, each cell carries its expectation and whether it met it. */
  readonly expectations?: Expectations;
  /** Aborting stops starting cells; running ones end and the report says what ran. */
  readonly signal?: AbortSignal;
  readonly onCellStart?: (cell: AuditCell) => void;
  /** A finished cell, its expectation already applied. */
  readonly onCellDone?: (result: AuditCellResult) => void;
}

/**
 * Runs a planned audit and returns its report (schemaVersion 1). Cells that could not run,
 * or were not started because `signal` was aborted, are in it with verdict `error`.
 */
export async function runAudit(plan: AuditPlan, options: RunAuditOptions): Promise<AuditReport> {
  const { expectations } = options;
  const expected = (result: AuditCellResult) =>
    expectations ? (applyExpectations([result], expectations)[0] ?? result) : result;
  const startedAt = new Date();
  const results = await runMatrix({
    cells: plan.cells,
    concurrency: options.concurrency,
    signal: options.signal,
    openScenario: (scenario) =>
      scenario === HOST_SCENARIO
        ? openHostScenario(plan.profilesById, options.server)
        : openLabScenario(scenario, plan.profilesById),
    onCellStart: options.onCellStart,
    onCellDone: (result) => options.onCellDone?.(expected(result)),
  });
  const cells = results.map(expected);
  const browsers = new Map<string, string | null>();
  for (const cell of cells) if (!browsers.get(cell.browser)) browsers.set(cell.browser, cell.browserVersion);
  return {
    schemaVersion: 1,
    tool: { name: 'iceleak', version: options.toolVersion },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: plan.mode,
    browsers: [...browsers].map(([name, version]) => ({ name, version })),
    summary: summarize(cells),
    cells,
  };
}
