import { readFileSync } from 'node:fs';

/** RFC 5769's vectors, read from `fixtures/*.hex` (one field per line, `#` comments). */
export const RFC5769 = {
  request: load('rfc5769-2.1-request.hex'),
  ipv4Response: load('rfc5769-2.2-ipv4-response.hex'),
  ipv6Response: load('rfc5769-2.3-ipv6-response.hex'),
  longTermRequest: load('rfc5769-2.4-long-term-request.hex'),
  /** Short-term password of §2.1-2.3. */
  password: 'VOkJxbRl1RmTxUk/WvJxBt',
} as const;

/** Real messages from this machine's browsers (see fixtures/README.md); pwd of the checks. */
export const BROWSER_CAPTURES = {
  chromiumBinding: load('chromium-binding-request.hex'),
  chromiumCheck: load('chromium-ice-check.hex'),
  firefoxBinding: load('firefox-binding-request.hex'),
  firefoxCheck: load('firefox-ice-check.hex'),
  /** Our ufrag and pwd in the ICE-lite answer the browsers checked against. */
  ufrag: 'capU',
  pwd: 'capturepassword0123456789',
} as const;

/** Every vector by section, for table tests. */
export const RFC5769_VECTORS: ReadonlyArray<readonly [string, Uint8Array]> = [
  ['2.1 request', RFC5769.request],
  ['2.2 IPv4 response', RFC5769.ipv4Response],
  ['2.3 IPv6 response', RFC5769.ipv6Response],
  ['2.4 long-term request', RFC5769.longTermRequest],
];

function load(name: string): Uint8Array {
  const text = readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
  const hex = text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .join(' ')
    .split(/\s+/)
    .filter((h) => h !== '');
  return Uint8Array.from(hex.map((h) => Number.parseInt(h, 16)));
}

/** Hex of bytes, for readable assertions. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
