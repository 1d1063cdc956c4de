import { describe, expect, it } from 'vitest';
import { isIceleakError } from '../core/errors.js';
import type { ScenarioName } from '../lab/index.js';
import { buildMatrix } from './matrix.js';

const profiles = [
  { id: 'chromium/default', browser: 'chromium' as const },
  { id: 'chromium/disable_non_proxied_udp', browser: 'chromium' as const },
  { id: 'firefox/default', browser: 'firefox' as const },
];
const scenarios: ScenarioName[] = ['direct', 'http-proxy'];

describe('buildMatrix', () => {
  it('crosses every profile with every scenario, grouped by scenario', () => {
    const { cells } = buildMatrix(profiles, scenarios);
    expect(cells.map((c) => c.id)).toEqual([
      'chromium/default@direct',
      'chromium/disable_non_proxied_udp@direct',
      'firefox/default@direct',
      'chromium/default@http-proxy',
      'chromium/disable_non_proxied_udp@http-proxy',
      'firefox/default@http-proxy',
    ]);
  });

  it('takes a bare profile name as every browser’s profile of that name', () => {
    const { cells } = buildMatrix(profiles, scenarios, { profiles: ['default'], scenarios: ['http-proxy'] });
    expect(cells.map((c) => c.id)).toEqual(['chromium/default@http-proxy', 'firefox/default@http-proxy']);
  });

  it('keeps only the selected browsers', () => {
    const { cells } = buildMatrix(profiles, scenarios, { browsers: ['firefox'] });
    expect(cells.every((c) => c.browser === 'firefox')).toBe(true);
  });

  it('rejects an unknown scenario with the list of known ones', () => {
    try {
      buildMatrix(profiles, scenarios, { scenarios: ['moon'] });
      expect.unreachable();
    } catch (error) {
      expect(isIceleakError(error, 'E_AUDIT_UNKNOWN_SCENARIO')).toBe(true);
      expect((error as Error).message).toContain('known: direct, http-proxy');
    }
  });
});
