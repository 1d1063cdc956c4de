import { describe, expect, it } from 'vitest';
import { FINDINGS, isFindingCode, SEVERITY_RANK, VERDICT_RANK } from './findings.js';
import { FIXES } from './fixes.js';
import type { BrowserFamily } from './types.js';

const FAMILIES: readonly BrowserFamily[] = ['chromium', 'firefox', 'safari', 'other'];

describe('the finding table', () => {
  it.each(Object.entries(FINDINGS))(
    '%s offers a fix for every browser family when it has a concern',
    (_, row) => {
      expect(SEVERITY_RANK[row.severity]).toBeTypeOf('number');
      if (row.concern === null) return;
      for (const family of FAMILIES) expect(FIXES[family][row.concern].length).toBeGreaterThan(0);
    },
  );

  it('ranks a leak above local exposure, and both above a disabled or protected browser', () => {
    expect(VERDICT_RANK.leak).toBeGreaterThan(VERDICT_RANK['local-exposure']);
    expect(VERDICT_RANK['local-exposure']).toBeGreaterThan(VERDICT_RANK['webrtc-disabled']);
    expect(VERDICT_RANK['webrtc-disabled']).toBeGreaterThan(VERDICT_RANK.protected);
  });

  it('knows its own codes and nothing else, prototype keys included', () => {
    for (const code of Object.keys(FINDINGS)) expect(isFindingCode(code)).toBe(true);
    for (const code of ['dns-leak', 'constructor', 'toString', '__proto__', '']) {
      expect(isFindingCode(code)).toBe(false);
    }
  });
});
