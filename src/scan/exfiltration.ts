import type { HarvestedCandidate } from './candidate-values.js';
import type { RequestRecord } from './capture.js';

/** A request that carried a harvested value: the evidence of `exfiltration`. */
export interface ExfiltrationEvidence {
  readonly requestUrl: string;
  readonly method: string;
  readonly resourceType: string;
  /** Where the value was found, and how it was encoded. */
  readonly where: 'url' | 'body' | 'header';
  readonly encoding: 'plain' | 'url' | 'base64';
  /** The harvested value found (an address, `.local` name or candidate string). */
  readonly value: string;
  readonly initiator: string | null;
}

// Headers the browser fills in itself: they name the page, not what a script chose to send.
const BROWSER_HEADERS = new Set([
  'host',
  'referer',
  'origin',
  'user-agent',
  'accept',
  'accept-language',
  'cookie',
]);
const MAX_TEXT = 256 * 1024;

function urlDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

// Base64 (standard or URL-safe) runs long enough to hold an address; cheap, bounded.
function base64Decodings(text: string): string[] {
  const out: string[] = [];
  const runs = text.match(/[A-Za-z0-9+/_-]{12,}={0,2}/g) ?? [];
  for (const run of runs.slice(0, 200)) {
    const decoded = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    // Keep only text-like results: binary noise would match nothing anyway, but costs time.
    if (/^[\x09\x0a\x0d\x20-\x7e]{6,}/.test(decoded)) out.push(decoded);
  }
  return out;
}

/** The forms of a request part a value is searched in: as sent, URL-decoded, base64-decoded. */
export function decodedForms(
  text: string,
): Array<{ encoding: ExfiltrationEvidence['encoding']; text: string }> {
  const raw = text.slice(0, MAX_TEXT);
  const forms: Array<{ encoding: ExfiltrationEvidence['encoding']; text: string }> = [
    { encoding: 'plain', text: raw },
  ];
  const once = urlDecode(raw);
  if (once !== raw) forms.push({ encoding: 'url', text: `${once}\n${urlDecode(once)}` });
  for (const d of base64Decodings(once)) forms.push({ encoding: 'base64', text: d });
  return forms;
}

// Token boundaries so 10.0.0.1 does not match inside 10.0.0.12 or 110.0.0.1.
function contains(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    const before = haystack[at - 1] ?? '';
    const after = haystack[at + needle.length] ?? '';
    const next = haystack[at + needle.length + 1] ?? '';
    if (/[\w.:-]/.test(before)) continue;
    if (/[\w:]/.test(after) || (after === '.' && /\w/.test(next))) continue;
    return true;
  }
  return false;
}

/** Values worth looking for: addresses, mDNS names and whole candidate strings. */
export function harvestedValues(candidates: readonly HarvestedCandidate[]): string[] {
  const values = new Set<string>();
  for (const c of candidates) {
    if (c.address) values.add(c.address);
    if (c.relatedAddress) values.add(c.relatedAddress);
    if (!c.candidate.startsWith('stats:')) values.add(c.candidate);
  }
  return [...values];
}

/**
 * Requests sent at or after `since` that carry one of `values` in their URL (path, query,
 * fragment — not the host, which names the server), body or script-set headers, as sent,
 * URL-decoded or base64-decoded. One piece of evidence per request (the longest value).
 */
export function findExfiltration(
  values: readonly string[],
  requests: readonly RequestRecord[],
  since: number,
): ExfiltrationEvidence[] {
  const out: ExfiltrationEvidence[] = [];
  const sorted = [...values].sort((a, b) => b.length - a.length);
  if (sorted.length === 0) return out;
  for (const req of requests) {
    if (req.time < since) continue;
    let urlPart = req.url;
    try {
      const u = new URL(req.url);
      urlPart = `${u.pathname}${u.search}${u.hash}`;
    } catch {}
    const parts: Array<{ where: ExfiltrationEvidence['where']; text: string }> = [
      { where: 'url', text: urlPart },
    ];
    if (req.postData) parts.push({ where: 'body', text: req.postData });
    for (const [name, value] of Object.entries(req.headers)) {
      if (!BROWSER_HEADERS.has(name.toLowerCase())) parts.push({ where: 'header', text: value });
    }
    found: for (const part of parts) {
      for (const form of decodedForms(part.text)) {
        const value = sorted.find((v) => contains(form.text, v));
        if (value !== undefined) {
          out.push({
            requestUrl: req.url,
            method: req.method,
            resourceType: req.resourceType,
            where: part.where,
            encoding: form.encoding,
            value,
            initiator: req.initiator,
          });
          break found;
        }
      }
    }
  }
  return out;
}
