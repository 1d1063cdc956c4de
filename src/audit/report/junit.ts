import { type AuditCellResult, cellOutcome } from '../cell.js';
import type { AuditReport } from './audit-report.js';

function xml(text: string): string {
  return text.replace(/[<>&'"\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => {
    switch (c) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case "'":
        return '&apos;';
      case '"':
        return '&quot;';
      default:
        return '';
    }
  });
}

function failureText(cell: AuditCellResult): string {
  const leaks = cell.leakedAddresses.map((l) => `${l.address} (${l.role}) via ${l.learnedBy.join(', ')}`);
  const expected = cell.expectation
    ? `expected verdict ${cell.expectation.verdict}${cell.expectation.leaks ? ' with leaks' : ' without leaks'}; `
    : '';
  return `${expected}verdict ${cell.verdict}; leaked: ${leaks.join('; ') || 'nothing'}`;
}

/** A leak is a failure unless an expectation said it would leak; a difference always is. */
function junitStatus(cell: AuditCellResult): 'pass' | 'failure' | 'error' {
  const outcome = cellOutcome(cell);
  if (outcome === 'error') return 'error';
  if (outcome === 'differs' || (outcome === 'leak' && cell.expectation === undefined)) return 'failure';
  return 'pass';
}

/** JUnit XML: one test suite per scenario, one test case per cell; a leak or a difference is a failure. */
export function renderJunit(report: AuditReport): string {
  const byScenario = new Map<string, AuditCellResult[]>();
  for (const cell of report.cells) {
    const list = byScenario.get(cell.scenario) ?? [];
    list.push(cell);
    byScenario.set(cell.scenario, list);
  }
  const suites = [...byScenario].map(([scenario, cells]) => {
    const statuses = cells.map(junitStatus);
    const failures = statuses.filter((s) => s === 'failure').length;
    const errors = statuses.filter((s) => s === 'error').length;
    const time = cells.reduce((sum, c) => sum + c.durationMs, 0) / 1000;
    const cases = cells.map((cell, index) => {
      const status = statuses[index];
      const head = `    <testcase classname="iceleak.audit.${xml(scenario)}" name="${xml(cell.profile)}" time="${(cell.durationMs / 1000).toFixed(3)}"`;
      if (status === 'error') {
        return `${head}>\n      <error message="${xml(cell.error ?? 'cell failed')}"/>\n    </testcase>`;
      }
      if (status === 'failure') {
        return `${head}>\n      <failure message="${xml(failureText(cell))}"/>\n    </testcase>`;
      }
      return `${head}/>`;
    });
    return `  <testsuite name="${xml(scenario)}" tests="${cells.length}" failures="${failures}" errors="${errors}" time="${time.toFixed(3)}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="iceleak audit">\n${suites.join('\n')}\n</testsuites>\n`;
}
