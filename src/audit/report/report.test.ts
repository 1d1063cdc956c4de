import { describe, expect, it } from 'vitest';
import type { AuditCellResult } from '../cell.js';
import { applyExpectations } from '../expectations.js';
import { type AuditReport, auditExitCode, summarize } from './audit-report.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMatrix } from './table.js';

function cell(overrides: Partial<AuditCellResult>): AuditCellResult {
  return {
    id: 'chromium/default@http-proxy',
    browser: 'chromium',
    profile: 'chromium/default',
    scenario: 'http-proxy',
    browserVersion: 'Chromium 156',
    verdict: 'leak',
    findings: [],
    leakedAddresses: [{ address: '203.0.113.5', role: 'home-public', learnedBy: ['ice-check'] }],
    durationMs: 1200,
    ...overrides,
  };
}

function report(cells: AuditCellResult[]): AuditReport {
  return {
    schemaVersion: 1,
    tool: { name: 'iceleak', version: '0.0.0' },
    startedAt: '2026-11-25T00:00:00.000Z',
    finishedAt: '2026-11-25T00:00:10.000Z',
    mode: 'lab',
    browsers: [{ name: 'chromium', version: 'Chromium 156' }],
    summary: summarize(cells),
    cells,
  };
}

const leaking = cell({});
const protectedCell = cell({
  id: 'chromium/disable_non_proxied_udp@http-proxy',
  profile: 'chromium/disable_non_proxied_udp',
  verdict: 'protected',
  leakedAddresses: [],
});

describe('audit reports', () => {
  it('exits 1 when a cell leaks and no expectation was given', () => {
    expect(auditExitCode(report([leaking, protectedCell]))).toBe(1);
    expect(auditExitCode(report([protectedCell]))).toBe(0);
  });

  it('exits 0 when every cell matches its expectation, leaks included', () => {
    const expectations = new Map([
      [leaking.id, { verdict: 'leak' as const, leaks: true }],
      [protectedCell.id, { verdict: 'protected' as const, leaks: false }],
    ]);
    expect(auditExitCode(report(applyExpectations([leaking, protectedCell], expectations)))).toBe(0);
  });

  it('exits 1 when a cell differs from its expectation', () => {
    const expectations = new Map([[leaking.id, { verdict: 'protected' as const, leaks: false }]]);
    const cells = applyExpectations([leaking], expectations);
    expect(cells[0]?.expectation?.matches).toBe(false);
    expect(auditExitCode(report(cells))).toBe(1);
  });

  it('writes a JUnit failure for a leaking cell and none for a protected one', () => {
    const xml = renderJunit(report([leaking, protectedCell]));
    expect(xml).toContain('<testsuite name="http-proxy" tests="2" failures="1" errors="0"');
    expect(xml).toMatch(
      /name="chromium\/default"[^>]*>\s*<failure message="verdict leak; leaked: 203\.0\.113\.5 \(home-public\) via ice-check"/,
    );
  });

  it('escapes hostile text in the HTML report and loads nothing external', () => {
    const hostile = cell({ verdict: 'error', error: '<script>alert(1)</script>', leakedAddresses: [] });
    const page = renderHtml(report([hostile]));
    expect(page).not.toContain('<script');
    expect(page).toContain('&#60;script&#62;');
    expect(page).not.toMatch(/(src|href)=/);
  });

  it('draws the matrix with one row per profile and one column per scenario', () => {
    const results = new Map([leaking, protectedCell].map((c) => [c.id, c]));
    const text = renderMatrix(
      ['chromium/default', 'chromium/disable_non_proxied_udp'],
      ['http-proxy'],
      results,
    );
    expect(text.split('\n')).toEqual([
      'profile                           http-proxy',
      '--------------------------------  -----------',
      'chromium/default                  ✗ leak',
      'chromium/disable_non_proxied_udp  ✓ protected',
    ]);
  });
});
