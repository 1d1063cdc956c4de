import { availableParallelism } from 'node:os';
import type { AuditCell, AuditCellResult, AuditScenario } from './cell.js';

/** Runs the cells of one scenario, in order, sharing whatever the scenario sets up (lab, service, browsers). */
export interface ScenarioRunner {
  run(cell: AuditCell): Promise<AuditCellResult>;
  close(): Promise<void>;
}

export interface RunMatrixOptions<S extends AuditScenario = AuditScenario> {
  readonly cells: readonly AuditCell<S>[];
  /** Builds what a scenario needs (a lab, the service, a browser agent). */
  readonly openScenario: (scenario: S) => Promise<ScenarioRunner>;
  /** Scenarios run at once; defaults to the number of cores. */
  readonly concurrency?: number;
  readonly onCellStart?: (cell: AuditCell) => void;
  readonly onCellDone?: (result: AuditCellResult) => void;
  readonly signal?: AbortSignal;
}

function errorResult(cell: AuditCell, error: unknown, durationMs: number): AuditCellResult {
  return {
    ...cell,
    browserVersion: null,
    verdict: 'error',
    findings: [],
    leakedAddresses: [],
    durationMs,
    error: error instanceof Error ? error.message : String(error),
  };
}

/**
 * Runs the matrix: scenarios in parallel up to `concurrency`, the cells of one scenario one
 * after another in the scenario's own lab. A scenario that cannot be set up fails its
 * cells with the reason instead of stopping the audit.
 */
export async function runMatrix<S extends AuditScenario>(
  options: RunMatrixOptions<S>,
): Promise<AuditCellResult[]> {
  const byScenario = new Map<S, AuditCell<S>[]>();
  for (const cell of options.cells) {
    const list = byScenario.get(cell.scenario) ?? [];
    list.push(cell);
    byScenario.set(cell.scenario, list);
  }
  const queue = [...byScenario];
  const results = new Map<string, AuditCellResult>();
  const concurrency = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), queue.length));

  const finish = (result: AuditCellResult) => {
    results.set(result.id, result);
    options.onCellDone?.(result);
  };

  async function worker(): Promise<void> {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [scenario, cells] = next;
      if (options.signal?.aborted) {
        for (const cell of cells) finish(errorResult(cell, new Error('audit interrupted'), 0));
        continue;
      }
      const started = Date.now();
      let runner: ScenarioRunner;
      try {
        runner = await options.openScenario(scenario);
      } catch (error) {
        for (const cell of cells) finish(errorResult(cell, error, Date.now() - started));
        continue;
      }
      try {
        for (const cell of cells) {
          if (options.signal?.aborted) {
            finish(errorResult(cell, new Error('audit interrupted'), 0));
            continue;
          }
          options.onCellStart?.(cell);
          const cellStarted = Date.now();
          try {
            finish(await runner.run(cell));
          } catch (error) {
            finish(errorResult(cell, error, Date.now() - cellStarted));
          }
        }
      } finally {
        await runner.close();
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, worker));
  return options.cells.map((cell) => results.get(cell.id) ?? errorResult(cell, new Error('not run'), 0));
}
