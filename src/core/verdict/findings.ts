/**
 * What each finding code means, as one typed table: how severe it is, which fixes it
 * offers, which verdict it implies, and whether it is an address a site should not have
 * learned. The verdict (`decide.ts`), the page (src/probe/render.ts) and the audit read
 * this table; the rules that detect a finding live in `rules.ts`.
 *
 * No runtime imports: the probe bundle (src/probe) loads this file.
 */

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export type Verdict = 'leak' | 'local-exposure' | 'protected' | 'webrtc-disabled';

/** What a fix has to achieve; `FIXES` (fixes.ts) holds the remedies per browser family. */
export type FixConcern = 'public-ip' | 'ipv6' | 'local-ip' | 'mdns-stable';

/** Verdicts by how bad they are: a result's verdict is the worst one its findings imply. */
export const VERDICT_RANK: Readonly<Record<Verdict, number>> = {
  protected: 0,
  'webrtc-disabled': 1,
  'local-exposure': 2,
  leak: 3,
};

/** Severities, worst first: findings are listed in this order. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4,
};

/** What one finding code means. */
export interface FindingRule {
  readonly severity: Severity;
  /** The fixes it offers (`FIXES[browser][concern]`); null when there is nothing to fix. */
  readonly concern: FixConcern | null;
  /** The verdict a result with this finding has at least; null when it does not move the verdict. */
  readonly verdict: Verdict | null;
  /**
   * Whose address a site learned that it should not have: `public` (the user's public
   * address) or `lan` (a local one); null when the finding is no such address. A host
   * audit, which has no lab topology to judge against, counts exactly these as leaks.
   */
  readonly leak: 'public' | 'lan' | null;
}

const ROWS = {
  /** A public IPv4 address (or an IPv6 one carrying it) other than the one the site sees over HTTP. */
  'public-ip-leak': { severity: 'critical', concern: 'public-ip', verdict: 'leak', leak: 'public' },
  /**
   * A public IPv6 address the site does not see over HTTP. `high`, not `critical`: with
   * privacy addresses (RFC 8981) the HTTP path and WebRTC often show two addresses of the
   * same /64 — a real exposure, not proof of a bypass.
   */
  'ipv6-leak': { severity: 'high', concern: 'ipv6', verdict: 'leak', leak: 'public' },
  /** A private, CGNAT, unique-local or link-local address. */
  'local-ip-exposed': { severity: 'medium', concern: 'local-ip', verdict: 'local-exposure', leak: 'lan' },
  /** An mDNS name or candidate foundation repeated across connections: a tracking identifier. */
  'mdns-stable-identifier': { severity: 'low', concern: 'mdns-stable', verdict: null, leak: null },
  /** A host address hidden behind a random mDNS name (the protection working). */
  'mdns-obfuscated': { severity: 'info', concern: null, verdict: null, leak: null },
  /**
   * WebRTC unavailable or gathering nothing. The verdict depends on why, not on the code:
   * `webrtc-disabled` only when WebRTC was unavailable and our servers saw nothing
   * (`Session.disabled`, rules.ts); a browser that gathers nothing is `protected`.
   */
  'webrtc-blocked': { severity: 'info', concern: null, verdict: null, leak: null },
} as const satisfies Record<string, FindingRule>;

/** Every finding code: the keys of the table, so a code without a row cannot exist. */
export type FindingCode = keyof typeof ROWS;

/** The finding table (see `FindingRule`). */
export const FINDINGS: Readonly<Record<FindingCode, FindingRule>> = ROWS;

/**
 * False for a code this version has no row for: a result read back from JSON (stored, or
 * from a deployed service of another version) may carry one, and it then means nothing here.
 */
export function isFindingCode(code: string): code is FindingCode {
  return Object.hasOwn(FINDINGS, code);
}
