import { addressesFromReport, FINDINGS, isFindingCode } from '../core/verdict/index.js';
import type { ProbeReport } from '../core/verdict/report.js';
import type { StoredResult } from '../core/verdict/result.js';
import type { LearnedHow } from '../core/verdict/types.js';
import type { LeakedAddress, LearnedAddress } from './assess.js';
import type { AuditFinding } from './cell.js';

/** Placeholders browsers put where no address is meant (RFC 8839 §5.1: `0.0.0.0`, `::`, port 9). */
const PLACEHOLDERS = new Set(['0.0.0.0', '::', '']);

/**
 * Every address a site learned in one leak test, however it learned it: the sources our
 * servers observed (ground truth) and every address the page could read (candidates, raddr,
 * SDP, stats). The audit judges these against the lab's truth itself, independently of
 * the verdict's own notion of "public".
 */
export function learnedAddressesOf(result: StoredResult): LearnedAddress[] {
  const learned = new Map<string, Set<LearnedHow>>();
  const add = (address: string, how: LearnedHow) => {
    if (PLACEHOLDERS.has(address)) return;
    const set = learned.get(address) ?? new Set<LearnedHow>();
    set.add(how);
    learned.set(address, set);
  };
  for (const o of result.server.stun) add(o.source.address, 'stun-server');
  for (const o of result.server.iceChecks) add(o.source.address, 'ice-check');
  if (result.client) {
    const report: ProbeReport = {
      version: 1,
      userAgent: result.browser.userAgent,
      rtcPeerConnection: result.client.rtcPeerConnection,
      mediaPermission: result.client.mediaPermission,
      connections: result.client.connections,
      durationMs: result.client.durationMs,
    };
    for (const a of addressesFromReport(report)) add(a.address, a.how);
  }
  return [...learned].map(([address, how]) => ({ address, how: [...how] }));
}

/** The service's findings as the audit keeps them (no prose, no fixes). */
export function findingsOf(result: StoredResult): AuditFinding[] {
  return result.findings.map((f) => ({
    code: f.code,
    severity: f.severity,
    address: f.address,
    learnedBy: [...new Set(f.evidence.map((e) => e.how))].sort(),
  }));
}

/**
 * A host audit's leaks: without a lab there is no topology to judge against, so the
 * verdict's findings decide — each one the finding table marks as a leaked address
 * (`FindingRule.leak`), with the role it gives.
 */
export function leaksFromFindings(findings: readonly AuditFinding[]): LeakedAddress[] {
  const leaks: LeakedAddress[] = [];
  for (const f of findings) {
    const role = isFindingCode(f.code) ? FINDINGS[f.code].leak : null;
    if (f.address !== null && role !== null) leaks.push({ address: f.address, role, learnedBy: f.learnedBy });
  }
  return leaks;
}
