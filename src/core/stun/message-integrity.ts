import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { StunAttributeType } from './attribute.js';
import { readU16 } from './byte-reader.js';
import { locateAttribute, prefixWithAdjustedLength } from './received-bytes.js';

/** Size of the MESSAGE-INTEGRITY value: one HMAC-SHA1 (RFC 8489 §14.5). */
export const MESSAGE_INTEGRITY_LENGTH = 20;

/** Outcome of checking an integrity attribute on received bytes. */
export type IntegrityCheck = 'valid' | 'invalid' | 'missing';

const utf8 = new TextEncoder();

/**
 * Short-term credential key: the password itself (RFC 8489 §9.1.1). ICE uses the peer's
 * `ice-pwd` (RFC 8445 §7.2.2); ICE passwords are ice-chars, so OpaqueString preparation is
 * the identity and plain UTF-8 is exact.
 */
export function shortTermKey(password: string): Uint8Array {
  return utf8.encode(password);
}

// RFC 3454 table B.1 (mapped to nothing) and C.1.2 (non-ASCII spaces, mapped to U+0020),
// as code-point ranges: a regex class would mix in combining characters.
const MAP_TO_NOTHING: ReadonlyArray<readonly [number, number]> = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x1806, 0x1806],
  [0x180b, 0x180d],
  [0x200b, 0x200d],
  [0x2060, 0x2060],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
];
const NON_ASCII_SPACE: ReadonlyArray<readonly [number, number]> = [
  [0x00a0, 0x00a0],
  [0x1680, 0x1680],
  [0x2000, 0x200b],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];
const inRanges = (cp: number, ranges: ReadonlyArray<readonly [number, number]>) =>
  ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

function saslPrepMapping(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (inRanges(cp, MAP_TO_NOTHING)) continue;
    out += inRanges(cp, NON_ASCII_SPACE) ? ' ' : ch;
  }
  return out.normalize('NFKC');
}

/**
 * Long-term credential key: MD5(username ":" realm ":" password) (RFC 8489 §9.2.2). The
 * strings get RFC 4013 SASLprep's mapping and NFKC normalisation, which is what RFC 5769's
 * vector needs; SASLprep's prohibited-output and bidi checks are not applied.
 */
export function longTermKey(username: string, realm: string, password: string): Uint8Array {
  const input = `${saslPrepMapping(username)}:${saslPrepMapping(realm)}:${saslPrepMapping(password)}`;
  return new Uint8Array(createHash('md5').update(input, 'utf8').digest());
}

/** HMAC-SHA1 of `input` (the message prefix with its length adjusted) under `key` (RFC 8489 §14.5). */
export function computeMessageIntegrity(input: Uint8Array, key: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha1', key).update(input).digest());
}

/**
 * Checks MESSAGE-INTEGRITY on a message as received (RFC 8489 §14.5): HMAC-SHA1 over the
 * bytes before the attribute, with the header length counting up to the end of
 * MESSAGE-INTEGRITY, so attributes after it (FINGERPRINT, and anything else, which the
 * receiver must ignore) do not change the result. Comparison is constant-time.
 */
export function verifyMessageIntegrity(bytes: Uint8Array, key: Uint8Array): IntegrityCheck {
  const offset = locateAttribute(bytes, StunAttributeType['MESSAGE-INTEGRITY']);
  if (offset === -1) return 'missing';
  if (readU16(bytes, offset + 2, 'stun/message-integrity') !== MESSAGE_INTEGRITY_LENGTH) return 'invalid';
  const expected = computeMessageIntegrity(
    prefixWithAdjustedLength(bytes, offset, MESSAGE_INTEGRITY_LENGTH),
    key,
  );
  const received = bytes.subarray(offset + 4, offset + 4 + MESSAGE_INTEGRITY_LENGTH);
  return timingSafeEqual(expected, received) ? 'valid' : 'invalid';
}
