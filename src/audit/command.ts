import { readFileSync } from 'node:fs';
import { DEFENCE_PROFILES, type DefenceProfile, loadProfiles } from '../browser/profiles.js';
import { IceleakError } from '../core/errors.js';
import { checkLabPrerequisites, SCENARIOS } from '../lab/index.js';
import type { AuditCellResult } from './cell.js';
import { applyExpectations, expectationsFrom, loadExpectations } from './expectations.js';
import { openHostScenario } from './host-scenario.js';
import { openLabScenario } from './lab-scenario.js';
import { buildMatrix } from './matrix.js';
import { type AuditReport, auditExitCode, summarize } from './report/audit-report.js';
import { renderHtml } from './report/html.js';
import { renderJunit } from './report/junit.js';
import { renderCellLine, renderMatrix, renderSummary } from './report/table.js';
import { runMatrix } from './runner.js';

/** The audit command's options, as strings from the command line. */
export interface AuditCommandOptions {
  readonly browsers?: string;
  readonly profiles?: string;
  readonly scenarios?: string;
  readonly config?: string;
  readonly expect?: string;
  readonly writeExpect?: string;
  readonly json?: string;
  readonly junit?: string;
  readonly html?: string;
  readonly concurrency?: string;
  readonly lab: boolean;
  readonly server?: string;
  readonly list: boolean;
}

export interface AuditIo {
  readonly stdout: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly writeFile: (path: string, text: string) => Promise<void>;
}

/** The scenario of a host audit: this machine's own network, whatever it is. */
export const HOST_SCENARIO = 'host';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new IceleakError('E_USAGE', `audit/${name}`, `--${name} takes a whole number from 1 to 64`);
  }
  return n;
}

/** Runs `iceleak audit` and returns its exit code: 0 nothing leaks (or all as expected), 1 otherwise, 130 when interrupted. */
export async function runAuditCommand(options: AuditCommandOptions, io: AuditIo): Promise<number> {
  const profiles: DefenceProfile[] = [
    ...DEFENCE_PROFILES,
    ...(options.config ? await loadProfiles(options.config) : []),
  ];
  const scenarioNames = options.lab ? SCENARIOS.map((s) => s.name as string) : [HOST_SCENARIO];
  if (options.list) {
    io.stdout.write('Defence profiles:\n');
    for (const p of profiles) io.stdout.write(`  ${p.id.padEnd(44)} ${p.description}\n`);
    io.stdout.write('Scenarios:\n');
    for (const s of SCENARIOS) io.stdout.write(`  ${s.name.padEnd(44)} ${s.description}\n`);
    return 0;
  }
  if (options.server && options.lab) {
    throw new IceleakError(
      'E_USAGE',
      'audit/server',
      '--server goes with --no-lab (the lab runs its own service)',
    );
  }
  const matrix = buildMatrix(profiles, scenarioNames, {
    browsers: list(options.browsers),
    profiles: list(options.profiles),
    scenarios: options.lab ? list(options.scenarios) : [],
  });
  const expectations = options.expect ? await loadExpectations(options.expect) : undefined;
  const concurrency = positiveInteger(options.concurrency, 'concurrency');
  if (options.lab) await checkLabPrerequisites();

  const byId = new Map(profiles.map((p) => [p.id, p]));
  const controller = new AbortController();
  // First Ctrl-C: stop starting cells, let running ones end, clean up and report what ran.
  // A second one exits at once; 'exit' hooks still remove labs, browsers and their profiles.
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr.write('\niceleak: interrupted, cleaning up… (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const startedAt = new Date();
  const tty = 'isTTY' in io.stdout && io.stdout.isTTY === true;
  const results = new Map<string, AuditCellResult>();
  const running = new Set<string>();
  const profileIds = matrix.profiles.map((p) => p.id);
  let drawnLines = 0;
  const draw = () => {
    const text = renderMatrix(profileIds, matrix.scenarios, results, running);
    const up = drawnLines > 0 ? `\u001b[${drawnLines}F\u001b[J` : '';
    io.stdout.write(`${up}${text}\n${results.size}/${matrix.cells.length} cells\n`);
    drawnLines = text.split('\n').length + 1;
  };
  if (tty) draw();
  else
    io.stdout.write(
      `iceleak audit: ${matrix.cells.length} cells (${matrix.profiles.length} profiles × ${matrix.scenarios.length} scenarios)\n`,
    );

  let cells: AuditCellResult[];
  try {
    cells = await runMatrix({
      cells: matrix.cells,
      concurrency,
      signal: controller.signal,
      openScenario: (scenario) =>
        options.lab ? openLabScenario(scenario, byId) : openHostScenario(byId, options.server),
      onCellStart: (cell) => {
        running.add(cell.id);
        if (tty) draw();
      },
      onCellDone: (result) => {
        running.delete(result.id);
        const withExpectation = expectations
          ? (applyExpectations([result], expectations)[0] ?? result)
          : result;
        results.set(result.id, withExpectation);
        if (tty) draw();
        else io.stdout.write(`${renderCellLine(withExpectation, results.size, matrix.cells.length)}\n`);
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (expectations) cells = applyExpectations(cells, expectations);

  const finishedAt = new Date();
  const browsers = new Map<string, string | null>();
  for (const cell of cells) if (!browsers.get(cell.browser)) browsers.set(cell.browser, cell.browserVersion);
  const report: AuditReport = {
    schemaVersion: 1,
    tool: { name: 'iceleak', version: VERSION },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    mode: options.lab ? 'lab' : 'host',
    browsers: [...browsers].map(([name, version]) => ({ name, version })),
    summary: summarize(cells),
    cells,
  };
  if (!tty)
    io.stdout.write(
      `\n${renderMatrix(profileIds, matrix.scenarios, new Map(cells.map((c) => [c.id, c])))}\n`,
    );
  io.stdout.write(
    `\n${renderSummary(report.summary, (finishedAt.getTime() - startedAt.getTime()) / 1000)}\n`,
  );
  for (const cell of cells) {
    if (cell.verdict === 'error') io.stdout.write(`  error in ${cell.id}: ${cell.error}\n`);
  }
  if (options.json) await io.writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
  if (options.junit) await io.writeFile(options.junit, renderJunit(report));
  if (options.html) await io.writeFile(options.html, renderHtml(report));
  if (options.writeExpect) {
    await io.writeFile(options.writeExpect, `${JSON.stringify(expectationsFrom(cells), null, 2)}\n`);
  }
  return controller.signal.aborted ? 130 : auditExitCode(report);
}
