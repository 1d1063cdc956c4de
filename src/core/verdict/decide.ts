/**
 * `decideVerdict`: probe report + what our servers observed → findings and one verdict, in
 * three steps: collect the sightings (sightings.ts), judge each subject by its rules
 * (rules.ts), and emit the findings with the verdict the finding table ranks worst
 * (findings.ts). Pure, total: a hostile report can make findings wrong, never make this
 * throw. Server observations are processed first and win over anything the page claims.
 */
import { FINDINGS, type FindingCode, SEVERITY_RANK, VERDICT_RANK } from './findings.js';
import { FIXES } from './fixes.js';
import {
  ADDRESS_RULES,
  FOUNDATION_RULES,
  httpSeen,
  NAME_RULES,
  type Rule,
  SESSION_RULES,
  type Subject,
  sessionOf,
} from './rules.js';
import { collectSightings, groupSightings } from './sightings.js';
import type { BrowserFamily, Finding, Verdict, VerdictInput, VerdictResult } from './types.js';

/** A finding as a rule detects it, before the table adds its severity and fixes. */
interface Detected extends Subject {
  readonly code: FindingCode;
  readonly summary: string;
}

/** Applies `rules` to each subject: every matching rule yields a finding, or only the first with `firstOnly`. */
function judge<S extends Subject, C>(
  subjects: Iterable<S>,
  rules: readonly Rule<S, C>[],
  context: C,
  firstOnly = false,
): Detected[] {
  const out: Detected[] = [];
  for (const subject of subjects) {
    for (const rule of rules) {
      const summary = rule.detect(subject, context);
      if (summary === null) continue;
      const { address, classification, evidence } = subject;
      out.push({ code: rule.code, address, classification, evidence, summary });
      if (firstOnly) break;
    }
  }
  return out;
}

/** A finding as reported: the detected one with the table's severity and the browser's fixes. */
function finding(detected: Detected, browser: BrowserFamily): Finding {
  const { code, address, classification, evidence, summary } = detected;
  const { severity, concern } = FINDINGS[code];
  const fixes = concern === null ? [] : (FIXES[browser] ?? FIXES.other)[concern];
  return { code, severity, address, classification, evidence, fixes, summary };
}

/** The worst verdict the findings imply, and at least `floor`. */
function verdictOf(findings: readonly Finding[], floor: Verdict): Verdict {
  let worst = floor;
  for (const f of findings) {
    const implied = FINDINGS[f.code].verdict;
    if (implied !== null && VERDICT_RANK[implied] > VERDICT_RANK[worst]) worst = implied;
  }
  return worst;
}

/**
 * Decides the verdict: one finding per IP address (`ADDRESS_RULES`), findings about mDNS
 * names and foundations (`NAME_RULES`, `FOUNDATION_RULES`) and about the session
 * (`SESSION_RULES`), most severe first; the verdict is the worst any finding implies, else
 * `webrtc-disabled` when WebRTC was unavailable and our servers saw nothing, else `protected`.
 */
export function decideVerdict(input: VerdictInput): VerdictResult {
  const seen = groupSightings(collectSightings(input));
  const session = sessionOf(input.report, seen);
  const detected = [
    ...judge(seen.addresses.values(), ADDRESS_RULES, httpSeen(input.http), true),
    ...judge(seen.names.values(), NAME_RULES, undefined),
    ...judge(seen.foundations.values(), FOUNDATION_RULES, undefined),
    ...judge([session], SESSION_RULES, undefined),
  ];
  const findings = detected
    .map((d) => finding(d, input.browser))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  return { verdict: verdictOf(findings, session.disabled ? 'webrtc-disabled' : 'protected'), findings };
}
