import type { BrowserAgent } from '../browser/agent-client.js';
import type { BrowserProxy } from '../browser/launch.js';
import type { DefenceProfile } from '../browser/profiles.js';
import { IceleakError } from '../core/errors.js';
import type { StoredResult } from '../core/verdict/result.js';
import { visitLeakTest } from '../service/in-lab.js';
import type { LeakedAddress } from './assess.js';
import type { AuditCell, AuditCellResult, AuditFinding } from './cell.js';
import { findingsOf } from './results.js';

/** How long one cell may take from navigation to the stored result. */
const CELL_TIMEOUT_MS = 20_000;

/** `Chrome/156.0.…` (also in `HeadlessChrome/…`) or `Firefox/153.0` from a user agent, as the page reported it. */
export function browserVersionOf(userAgent: string): string | null {
  return /(?:Chrome|Firefox)\/[\d.]+/.exec(userAgent)?.[0] ?? null;
}

/** Where and how one cell visits the leak-test page, and how its leaks are judged. */
export interface CellVisit {
  readonly agent: BrowserAgent;
  readonly profiles: ReadonlyMap<string, DefenceProfile>;
  readonly url: string;
  readonly proxy: BrowserProxy | null;
  /** The lab judges by its topology; a host audit by the verdict's findings. */
  readonly leaks: (result: StoredResult, findings: readonly AuditFinding[]) => LeakedAddress[];
}

/** Runs one cell: loads the page under the cell's profile and turns the stored result into the cell's result. */
export async function visitCell(cell: AuditCell, visit: CellVisit): Promise<AuditCellResult> {
  const profile = visit.profiles.get(cell.profile);
  if (!profile) throw new IceleakError('E_AUDIT_UNKNOWN_PROFILE', 'audit/cell', `no profile ${cell.profile}`);
  const started = Date.now();
  const outcome = await visitLeakTest(visit.agent, {
    profile,
    proxy: visit.proxy,
    url: visit.url,
    timeoutMs: CELL_TIMEOUT_MS,
  });
  const durationMs = Date.now() - started;
  if (!outcome.ok || !outcome.result) {
    throw new IceleakError(
      'E_AUDIT_CELL',
      `audit/${cell.id}`,
      outcome.error ?? 'the page showed a verdict but its result could not be read',
    );
  }
  const findings = findingsOf(outcome.result);
  return {
    ...cell,
    browserVersion: browserVersionOf(outcome.result.browser.userAgent),
    verdict: outcome.result.verdict,
    findings,
    leakedAddresses: visit.leaks(outcome.result, findings),
    durationMs,
  };
}
