import { type ErrorCode, IceleakError } from '../core/errors.js';
import type { AuditCell, AuditScenario } from './cell.js';

/** The part of a defence profile the matrix needs (the full table lives in src/browser/profiles.ts). */
export interface MatrixProfile {
  readonly id: string;
  readonly browser: 'chromium' | 'firefox';
}

export interface MatrixSelection {
  /** Browser names to keep; all when empty. */
  readonly browsers?: readonly string[];
  /** Profile ids (`chromium/default`) or bare names (`default`, meaning every browser's); all when empty. */
  readonly profiles?: readonly string[];
  /** Scenario names; all when empty. */
  readonly scenarios?: readonly string[];
}

/** The code of an unknown name, by what it names. */
const UNKNOWN_CODE = {
  browser: 'E_AUDIT_UNKNOWN_BROWSER',
  profile: 'E_AUDIT_UNKNOWN_PROFILE',
  scenario: 'E_AUDIT_UNKNOWN_SCENARIO',
} as const satisfies Record<string, ErrorCode>;

function unknown(kind: keyof typeof UNKNOWN_CODE, name: string, known: readonly string[]): IceleakError {
  return new IceleakError(
    UNKNOWN_CODE[kind],
    `audit/${kind}`,
    `unknown ${kind} "${name}"; known: ${known.join(', ')}`,
  );
}

/**
 * Browsers × profiles × scenarios, in the order the runner wants them: grouped by scenario
 * (one lab each), and within a scenario by browser (so a browser process can be reused).
 */
export function buildMatrix<P extends MatrixProfile, S extends AuditScenario>(
  allProfiles: readonly P[],
  allScenarios: readonly S[],
  selection: MatrixSelection = {},
): { cells: AuditCell<S>[]; profiles: P[]; scenarios: S[] } {
  const browsers = selection.browsers?.length ? selection.browsers : ['chromium', 'firefox'];
  for (const browser of browsers) {
    if (browser !== 'chromium' && browser !== 'firefox')
      throw unknown('browser', browser, ['chromium', 'firefox']);
  }
  let profiles = allProfiles.filter((p) => browsers.includes(p.browser));
  if (selection.profiles?.length) {
    const wanted = selection.profiles;
    for (const name of wanted) {
      if (!allProfiles.some((p) => p.id === name || p.id.endsWith(`/${name}`))) {
        throw unknown(
          'profile',
          name,
          allProfiles.map((p) => p.id),
        );
      }
    }
    profiles = profiles.filter((p) => wanted.some((name) => p.id === name || p.id.endsWith(`/${name}`)));
  }
  // Names from outside become scenarios here, once.
  const isKnown = (name: string): name is S => (allScenarios as readonly string[]).includes(name);
  const scenarios = selection.scenarios?.length
    ? selection.scenarios.map((name) => {
        if (!isKnown(name)) throw unknown('scenario', name, allScenarios);
        return name;
      })
    : [...allScenarios];
  if (profiles.length === 0 || scenarios.length === 0) {
    throw new IceleakError('E_AUDIT_EMPTY', 'audit/matrix', 'the selection leaves no cell to run');
  }
  const cells: AuditCell<S>[] = [];
  for (const scenario of scenarios) {
    for (const profile of profiles) {
      cells.push({
        id: `${profile.id}@${scenario}`,
        browser: profile.browser,
        profile: profile.id,
        scenario,
      });
    }
  }
  return { cells, profiles, scenarios };
}
