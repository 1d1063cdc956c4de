/** Browser family from a User-Agent string, for picking fixes (not for security decisions). */
import type { BrowserFamily } from './types.js';

/** UA strings longer than this are cut before matching (they are untrusted). */
const MAX_UA_LENGTH = 512;

/**
 * Order matters: every Chromium UA also says "Safari/", and Firefox on iOS is WebKit
 * but takes Firefox-style advice no better than Safari's, so FxiOS/CriOS count as Safari.
 */
const RULES: readonly { readonly family: BrowserFamily; readonly pattern: RegExp }[] = [
  { family: 'safari', pattern: /\b(?:FxiOS|CriOS|EdgiOS)\// },
  { family: 'firefox', pattern: /\bFirefox\// },
  { family: 'chromium', pattern: /\b(?:Chrome|Chromium|HeadlessChrome|Edg|OPR)\// },
  { family: 'safari', pattern: /\bVersion\/[\d.]+.*\bSafari\// },
];

/** The family whose fixes apply to this User-Agent; `other` when none matches. */
export function browserFamilyFromUserAgent(ua: string): BrowserFamily {
  if (typeof ua !== 'string') return 'other';
  const text = ua.slice(0, MAX_UA_LENGTH);
  return RULES.find((rule) => rule.pattern.test(text))?.family ?? 'other';
}
