import { IceleakError } from '../core/errors.js';
import type { AuditCell } from './cell.js';

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

function unknown(kind: string, name: string, known: readonly string[]): IceleakError {
  return new IceleakError(
    'E_AUDIT_UNKNOWN_' + kind.toUpperCase(),
    `audit/${kind}`,
    `unknown ${kind} "${name}"; known: ${known.join(', ')}`,
  );
}

/**
 * Browsers × profiles × scenarios, in the order the runner wants them: grouped by scenario
 * (one lab each), and within a scenario by browser (so a browser process can be reused).
 */
export function buildMatrix<P extends MatrixProfile>(
  allProfiles: readonly P[],
  allScenarios: readonly string[],
  selection: MatrixSelection = {},
): { cells: AuditCell[]; profiles: P[]; scenarios: string[] } {
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
  const scenarios = selection.scenarios?.length ? [...selection.scenarios] : [...allScenarios];
  for (const scenario of scenarios) {
    if (!allScenarios.includes(scenario)) throw unknown('scenario', scenario, allScenarios);
  }
  if (profiles.length === 0 || scenarios.length === 0) {
    throw new IceleakError('E_AUDIT_EMPTY', 'audit/matrix', 'the selection leaves no cell to run');
  }
  const cells: AuditCell[] = [];
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
