import { writeFile } from 'node:fs/promises';
import {
  type AuditCell,
  type AuditCellResult,
  type AuditPlan,
  type AuditReport,
  auditExitCode,
  expectationsFrom,
  loadExpectations,
  planAudit,
  renderCellLine,
  renderHtml,
  renderJunit,
  renderMatrix,
  renderSummary,
  runAudit,
} from '../../audit/index.js';
import { DEFENCE_PROFILES, type DefenceProfile, loadProfiles } from '../../browser/profiles.js';
import { IceleakError } from '../../core/errors.js';
import { SCENARIOS } from '../../lab/index.js';
import {
  defineCliCommand,
  type FlagValues,
  integerIn,
  interruptOnSignal,
  listFlag,
  parseText,
  stringFlag,
  switchFlag,
  valueFlag,
} from '../options.js';
import { VERSION } from '../version.js';

/** `iceleak audit`'s command line: no positional arguments, one row per flag. */
export const AUDIT = {
  command: 'audit',
  flags: {
    browsers: listFlag(parseText, 'Comma-separated browsers (chromium,firefox); default both'),
    profiles: listFlag(
      parseText,
      'Comma-separated profile ids (chromium/default) or names (default); default all',
    ),
    scenarios: listFlag(parseText, 'Comma-separated lab scenarios; default all'),
    config: stringFlag('JSON file with extra defence profiles'),
    expect: stringFlag('Expectation file: exit 1 when a cell differs from it'),
    'write-expect': stringFlag('Write this run as an expectation file'),
    json: stringFlag('Write the report as JSON (schemaVersion 1)'),
    junit: stringFlag('Write a JUnit XML report'),
    html: stringFlag('Write a self-contained HTML report'),
    concurrency: valueFlag(integerIn(1, 64), 'Scenarios run at once (default: number of cores)'),
    lab: switchFlag('Use the network lab (--no-lab: this host’s network)', { default: true }),
    server: stringFlag('With --no-lab: URL of a deployed `iceleak serve` (default: embedded)'),
    list: switchFlag('List profiles and scenarios, then exit'),
  },
} as const;

export type AuditFlags = FlagValues<typeof AUDIT.flags>;

/** Where the audit writes: the terminal (or a test's sink) and report files. */
export interface AuditIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly writeFile: (path: string, text: string) => Promise<void>;
}

function printList(profiles: readonly DefenceProfile[], io: AuditIo): void {
  io.stdout.write('Defence profiles:\n');
  for (const p of profiles) io.stdout.write(`  ${p.id.padEnd(44)} ${p.description}\n`);
  io.stdout.write('Scenarios:\n');
  for (const s of SCENARIOS) io.stdout.write(`  ${s.name.padEnd(44)} ${s.description}\n`);
}

/** Progress as the cells run: on a terminal the matrix redrawn in place, else one line per cell. */
function progressView(plan: AuditPlan, out: AuditIo['stdout']) {
  const tty = out.isTTY === true;
  const results = new Map<string, AuditCellResult>();
  const running = new Set<string>();
  const profileIds = plan.profiles.map((p) => p.id);
  let drawnLines = 0;
  const draw = () => {
    const text = renderMatrix(profileIds, plan.scenarios, results, running);
    // Cursor up over the previous drawing (CSI n F) and clear to the end of the screen (CSI J).
    const up = drawnLines > 0 ? `\u001b[${drawnLines}F\u001b[J` : '';
    out.write(`${up}${text}\n${results.size}/${plan.cells.length} cells\n`);
    drawnLines = text.split('\n').length + 1;
  };
  if (tty) draw();
  else
    out.write(
      `iceleak audit: ${plan.cells.length} cells (${plan.profiles.length} profiles × ${plan.scenarios.length} scenarios)\n`,
    );
  return {
    started(cell: AuditCell) {
      running.add(cell.id);
      if (tty) draw();
    },
    done(result: AuditCellResult) {
      running.delete(result.id);
      results.set(result.id, result);
      if (tty) draw();
      else out.write(`${renderCellLine(result, results.size, plan.cells.length)}\n`);
    },
    finish(report: AuditReport) {
      const { cells } = report;
      if (!tty)
        out.write(`\n${renderMatrix(profileIds, plan.scenarios, new Map(cells.map((c) => [c.id, c])))}\n`);
      const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
      out.write(`\n${renderSummary(report.summary, seconds)}\n`);
      for (const cell of cells) {
        if (cell.verdict === 'error') out.write(`  error in ${cell.id}: ${cell.error}\n`);
      }
    },
  };
}

async function writeReports(report: AuditReport, flags: AuditFlags, io: AuditIo): Promise<void> {
  if (flags.json) await io.writeFile(flags.json, `${JSON.stringify(report, null, 2)}\n`);
  if (flags.junit) await io.writeFile(flags.junit, renderJunit(report));
  if (flags.html) await io.writeFile(flags.html, renderHtml(report));
  if (flags['write-expect']) {
    await io.writeFile(flags['write-expect'], `${JSON.stringify(expectationsFrom(report.cells), null, 2)}\n`);
  }
}

/**
 * Runs `iceleak audit` and returns its exit code: 0 nothing leaks (or all as expected), 1
 * otherwise, 130 when interrupted. The first Ctrl-C stops starting cells, lets running ones
 * end, cleans up and reports what ran; a second one exits at once.
 */
export async function audit(flags: AuditFlags, io: AuditIo): Promise<number> {
  const profiles = [...DEFENCE_PROFILES, ...(flags.config ? await loadProfiles(flags.config) : [])];
  if (flags.list) {
    printList(profiles, io);
    return 0;
  }
  if (flags.server && flags.lab) {
    throw new IceleakError(
      'E_USAGE',
      'cli/audit/--server',
      '--server goes with --no-lab (the lab runs its own service)',
    );
  }
  const plan = await planAudit(profiles, flags.lab ? 'lab' : 'host', {
    browsers: flags.browsers,
    profiles: flags.profiles,
    scenarios: flags.scenarios,
  });
  const expectations = flags.expect ? await loadExpectations(flags.expect) : undefined;
  const interrupt = interruptOnSignal(() =>
    io.stderr.write('\niceleak: interrupted, cleaning up… (Ctrl-C again to quit at once)\n'),
  );
  let report: AuditReport;
  try {
    const view = progressView(plan, io.stdout);
    report = await runAudit(plan, {
      toolVersion: VERSION,
      server: flags.server,
      concurrency: flags.concurrency,
      expectations,
      signal: interrupt.signal,
      onCellStart: view.started,
      onCellDone: view.done,
    });
    view.finish(report);
  } finally {
    interrupt.release();
  }
  await writeReports(report, flags, io);
  return interrupt.signal.aborted ? 130 : auditExitCode(report);
}

/** `iceleak audit`: real browsers × defence profiles × network scenarios, with a verdict for each. */
export default defineCliCommand({
  ...AUDIT,
  description:
    'Run real browsers under each defence profile through each lab network and report which combinations leak.',
  async run({ flags }) {
    process.exitCode = await audit(flags, { stdout: process.stdout, stderr: process.stderr, writeFile });
  },
});
