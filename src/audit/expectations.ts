import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { IceleakError } from '../core/errors.js';
import type { Verdict } from '../core/verdict/types.js';
import { type AuditCellResult, cellLeaks } from './cell.js';

const VERDICTS = ['leak', 'local-exposure', 'protected', 'webrtc-disabled'] as const;

const ExpectationFile = z.object({
  schemaVersion: z.literal(1),
  /** Cell id → what it should yield. */
  cells: z.record(z.string().max(200), z.object({ verdict: z.enum(VERDICTS), leaks: z.boolean() }).strict()),
});

/** Expected outcome per cell id, from an `--expect` file. */
export type Expectations = ReadonlyMap<string, { verdict: Verdict; leaks: boolean }>;

/** Reads and validates an expectation file; one clear error when it is not one. */
export async function loadExpectations(path: string): Promise<Expectations> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new IceleakError(
      'E_EXPECT_READ',
      'audit/expect',
      `cannot read ${path}: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new IceleakError('E_EXPECT_JSON', 'audit/expect', `${path} is not JSON`, {}, { cause: error });
  }
  const parsed = ExpectationFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new IceleakError(
      'E_EXPECT_SCHEMA',
      'audit/expect',
      `${path}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`,
    );
  }
  return new Map(Object.entries(parsed.data.cells));
}

/** Attaches the expectation of each cell that has one, and whether the cell met it. */
export function applyExpectations(
  results: readonly AuditCellResult[],
  expectations: Expectations,
): AuditCellResult[] {
  return results.map((result) => {
    const expected = expectations.get(result.id);
    if (!expected) return result;
    const matches = result.verdict === expected.verdict && cellLeaks(result) === expected.leaks;
    return { ...result, expectation: { ...expected, matches } };
  });
}

/** An expectation file that says "exactly what happened this time", for `--write-expect`. */
export function expectationsFrom(results: readonly AuditCellResult[]): z.infer<typeof ExpectationFile> {
  const cells: Record<string, { verdict: Verdict; leaks: boolean }> = {};
  for (const result of results) {
    if (result.verdict === 'error') continue;
    cells[result.id] = { verdict: result.verdict, leaks: cellLeaks(result) };
  }
  return { schemaVersion: 1, cells };
}
