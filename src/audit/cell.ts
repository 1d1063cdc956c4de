import type { FindingCode, LearnedHow, Severity, Verdict } from '../core/verdict/types.js';
import type { ScenarioName } from '../lab/index.js';
import type { LeakedAddress } from './assess.js';

/** The scenario of a host audit: this machine's own network, whatever it is. */
export const HOST_SCENARIO = 'host';

/** Where a cell runs: a lab scenario (src/lab/scenarios.ts) or this machine's own network. */
export type AuditScenario = ScenarioName | typeof HOST_SCENARIO;

/** One cell of the audit matrix: a browser under a defence profile on a network scenario. */
export interface AuditCell<S extends AuditScenario = AuditScenario> {
  /** `<profile id>@<scenario>`, e.g. `chromium/default@http-proxy`. */
  readonly id: string;
  readonly browser: 'chromium' | 'firefox';
  readonly profile: string;
  readonly scenario: S;
}

/** A finding as the audit keeps it: the service's finding without its fixes and prose. */
export interface AuditFinding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly address: string | null;
  readonly learnedBy: readonly LearnedHow[];
}

/** What one cell produced. `verdict` is `error` when the cell could not run to a verdict. */
export interface AuditCellResult extends AuditCell {
  readonly browserVersion: string | null;
  readonly verdict: Verdict | 'error';
  readonly findings: readonly AuditFinding[];
  /** Addresses the site learned that the topology says it should not have. */
  readonly leakedAddresses: readonly LeakedAddress[];
  readonly durationMs: number;
  readonly error?: string;
  /** Set when an expectation was given for this cell. */
  readonly expectation?: { readonly verdict: Verdict; readonly leaks: boolean; readonly matches: boolean };
}

/** A cell leaks when the site learned a secret of the topology, whatever the verdict says. */
export function cellLeaks(result: AuditCellResult): boolean {
  return result.leakedAddresses.length > 0;
}

/** How a cell ended, for tables and exit codes. */
export type CellOutcome = 'leak' | 'ok' | 'error' | 'differs';

export function cellOutcome(result: AuditCellResult): CellOutcome {
  if (result.verdict === 'error') return 'error';
  if (result.expectation && !result.expectation.matches) return 'differs';
  return cellLeaks(result) ? 'leak' : 'ok';
}
