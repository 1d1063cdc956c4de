import { describe, expect, it } from 'vitest';
import type { AuditCell, AuditCellResult } from './cell.js';
import { runMatrix } from './runner.js';

const cells: AuditCell[] = ['a', 'b'].flatMap((scenario) =>
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
      'open a',
      'run p1@a',
      'run p2@a',
      'close a',
      'open b',
      'run p1@b',
      'run p2@b',
      'close b',
    ]);
  });

  it('fails the cells of a scenario that cannot be set up, and still runs the others', async () => {
    const results = await runMatrix({
      cells,
      openScenario: async (scenario) => {
        if (scenario === 'a') throw new Error('no namespaces here');
        return { run: async (cell) => ok(cell), close: async () => {} };
      },
    });
    expect(results.map((r) => [r.id, r.verdict, r.error])).toEqual([
      ['p1@a', 'error', 'no namespaces here'],
      ['p2@a', 'error', 'no namespaces here'],
      ['p1@b', 'protected', undefined],
      ['p2@b', 'protected', undefined],
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
