/**
 * The audit as a library: plan a matrix of browsers × defence profiles × network scenarios,
 * run it with progress callbacks, and render or judge its report. No argv, no signals, no
 * terminal: `iceleak audit` (src/cli/commands/audit.ts) is one user of this.
 */

export {
  type AuditMode,
  type AuditPlan,
  planAudit,
  type RunAuditOptions,
  runAudit,
} from './audit.js';
export {
  type AuditCell,
  type AuditCellResult,
  type AuditFinding,
  type AuditScenario,
  HOST_SCENARIO,
} from './cell.js';
export { applyExpectations, type Expectations, expectationsFrom, loadExpectations } from './expectations.js';
export type { MatrixSelection } from './matrix.js';
export { type AuditReport, type AuditSummary, auditExitCode, summarize } from './report/audit-report.js';
export { renderHtml } from './report/html.js';
export { renderJunit } from './report/junit.js';
export { renderCellLine, renderMatrix, renderSummary } from './report/table.js';
export { type RunMatrixOptions, runMatrix, type ScenarioRunner } from './runner.js';
