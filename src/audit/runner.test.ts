import { describe, expect, it } from 'vitest';
import type { AuditCell, AuditCellResult } from './cell.js';
import { runMatrix } from './runner.js';

const cells: AuditCell[] = (['direct', 'cgnat'] as const).flatMap((scenario) =>
  ['p1', 'p2'].map((profile) => ({
    id: `${profile}@${scenario}`,
    browser: 'chromium' as const,
    profile,
    scenario,
  })),
);

function ok(cell: AuditCell): AuditCellResult {
  return {
    ...cell,
    browserVersion: 'x',
    verdict: 'protected',
    findings: [],
    leakedAddresses: [],
    durationMs: 1,
  };
}

describe('runMatrix', () => {
  it('opens each scenario once, runs its cells, and closes it', async () => {
    const events: string[] = [];
    const results = await runMatrix({
      cells,
      concurrency: 1,
      openScenario: async (scenario) => {
        events.push(`open ${scenario}`);
        return {
          run: async (cell) => {
            events.push(`run ${cell.id}`);
            return ok(cell);
          },
          close: async () => {
            events.push(`close ${scenario}`);
          },
        };
      },
    });
    expect(results.map((r) => r.verdict)).toEqual(['protected', 'protected', 'protected', 'protected']);
    expect(events).toEqual([
      'open direct',
      'run p1@direct',
      'run p2@direct',
      'close direct',
      'open cgnat',
      'run p1@cgnat',
      'run p2@cgnat',
      'close cgnat',
    ]);
  });

  it('fails the cells of a scenario that cannot be set up, and still runs the others', async () => {
    const results = await runMatrix({
      cells,
      openScenario: async (scenario) => {
        if (scenario === 'direct') throw new Error('no namespaces here');
        return { run: async (cell) => ok(cell), close: async () => {} };
      },
    });
    expect(results.map((r) => [r.id, r.verdict, r.error])).toEqual([
      ['p1@direct', 'error', 'no namespaces here'],
      ['p2@direct', 'error', 'no namespaces here'],
      ['p1@cgnat', 'protected', undefined],
      ['p2@cgnat', 'protected', undefined],
    ]);
  });

  it('turns a cell that throws into an error result and closes the scenario', async () => {
    let closed = false;
    const results = await runMatrix({
      cells: cells.slice(0, 2),
      openScenario: async () => ({
        run: async (cell) => {
          if (cell.profile === 'p1') throw new Error('browser crashed');
          return ok(cell);
        },
        close: async () => {
          closed = true;
        },
      }),
    });
    expect(results.map((r) => r.verdict)).toEqual(['error', 'protected']);
    expect(closed).toBe(true);
  });
});
