import { type AuditCellResult, type CellOutcome, cellOutcome } from '../cell.js';
import type { AuditReport } from './audit-report.js';

function html(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const LABEL: Record<CellOutcome, string> = {
  leak: 'leaks',
  ok: 'no leak',
  error: 'error',
  differs: 'differs from expectation',
};

function cellHtml(cell: AuditCellResult | undefined): string {
  if (!cell) return '<td class="none">—</td>';
  const outcome = cellOutcome(cell);
  const leaks = cell.leakedAddresses
    .map(
      (l) => `<li><code>${html(l.address)}</code> ${html(l.role)} via ${html(l.learnedBy.join(', '))}</li>`,
    )
    .join('');
  const error = cell.error ? `<p class="err">${html(cell.error)}</p>` : '';
  const expected =
    cell.expectation && !cell.expectation.matches
      ? `<p>expected <b>${html(cell.expectation.verdict)}</b></p>`
      : '';
  return `<td class="${outcome}" title="${html(cell.id)}"><b>${html(cell.verdict)}</b> <span class="tag">${LABEL[outcome]}</span>${expected}${leaks ? `<ul>${leaks}</ul>` : ''}${error}<small>${(cell.durationMs / 1000).toFixed(1)} s</small></td>`;
}

/** One self-contained HTML page (inline CSS, no script, no external request) a person can open and share. */
export function renderHtml(report: AuditReport): string {
  const profiles = [...new Set(report.cells.map((c) => c.profile))];
  const scenarios = [...new Set(report.cells.map((c) => c.scenario))];
  const byId = new Map(report.cells.map((c) => [c.id, c]));
  const head = scenarios.map((s) => `<th scope="col">${html(s)}</th>`).join('');
  const rows = profiles
    .map(
      (profile) =>
        `<tr><th scope="row">${html(profile)}</th>${scenarios.map((s) => cellHtml(byId.get(`${profile}@${s}`))).join('')}</tr>`,
    )
    .join('\n');
  const browsers = report.browsers.map((b) => `${html(b.name)} ${html(b.version ?? 'unknown')}`).join(', ');
  const s = report.summary;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>iceleak audit — ${s.leaking} of ${s.cells} cells leak</title>
<style>
:root { color-scheme: light dark; --ok: #1a7f37; --leak: #cf222e; --warn: #9a6700; --bg: #fff; --fg: #1f2328; --line: #d0d7de; }
@media (prefers-color-scheme: dark) { :root { --ok: #3fb950; --leak: #ff7b72; --warn: #d29922; --bg: #0d1117; --fg: #e6edf3; --line: #30363d; } }
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem; background: var(--bg); color: var(--fg); }
table { border-collapse: collapse; } th, td { border: 1px solid var(--line); padding: .4rem .6rem; vertical-align: top; text-align: left; }
td.leak { border-left: 4px solid var(--leak); } td.ok { border-left: 4px solid var(--ok); } td.error, td.differs { border-left: 4px solid var(--warn); }
.tag { font-size: .8em; opacity: .8; } td ul { margin: .3rem 0 0 1rem; padding: 0; font-size: .85em; } small { display: block; opacity: .6; }
.err { color: var(--warn); font-size: .85em; max-width: 24rem; } code { font-size: .9em; }
</style>
</head>
<body>
<main>
<h1>iceleak audit</h1>
<p><strong>${s.leaking}</strong> of ${s.cells} cells let a site learn an address it should not have${s.errors ? `; ${s.errors} could not run` : ''}${s.differing ? `; ${s.differing} differ from the expectation` : ''}.</p>
<p>Browsers: ${browsers || 'none'}. Mode: ${html(report.mode)}. Started ${html(report.startedAt)}, finished ${html(report.finishedAt)}. iceleak ${html(report.tool.version)}.</p>
<table>
<caption>Verdict per defence profile (rows) and network scenario (columns); listed addresses are what a site learned that the topology says it should not have.</caption>
<thead><tr><th scope="col">profile</th>${head}</tr></thead>
<tbody>
${rows}
</tbody>
</table>
</main>
</body>
</html>
`;
}
