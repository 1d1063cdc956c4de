import { describe, expect, it } from 'vitest';
import { decodeErrorCode, encodeErrorCode } from './error-code.js';
import { decodeNonce, encodeNonce, MAX_NONCE_BYTES } from './nonce.js';
import { decodeRealm, encodeRealm, MAX_REALM_BYTES } from './realm.js';
import { decodeSoftware, encodeSoftware, MAX_SOFTWARE_BYTES } from './software.js';
import { decodeUsername, encodeUsername, MAX_USERNAME_BYTES } from './username.js';

// One row per UTF-8 text attribute (RFC 8489 §14.3, §14.9, §14.10, §14.14).
const TEXT_ATTRIBUTES = [
  {
    name: 'USERNAME',
    place: 'stun/username',
    max: MAX_USERNAME_BYTES,
    decode: decodeUsername,
    encode: encodeUsername,
  },
  { name: 'REALM', place: 'stun/realm', max: MAX_REALM_BYTES, decode: decodeRealm, encode: encodeRealm },
  { name: 'NONCE', place: 'stun/nonce', max: MAX_NONCE_BYTES, decode: decodeNonce, encode: encodeNonce },
  {
    name: 'SOFTWARE',
    place: 'stun/software',
    max: MAX_SOFTWARE_BYTES,
    decode: decodeSoftware,
    encode: encodeSoftware,
  },
] as const;

const refused = (place: string) => expect.objectContaining({ code: 'E_STUN_BAD_ATTRIBUTE', place });

describe.each(TEXT_ATTRIBUTES)('$name', ({ place, max, decode, encode }) => {
  it('round-trips UTF-8 text up to its byte limit', () => {
    const text = `é${'a'.repeat(max - 2)}`;
    expect(encode(text)).toHaveLength(max);
    expect(decode(encode(text))).toBe(text);
  });

  it('refuses a value one byte over the limit, both ways, naming the attribute', () => {
    expect(() => encode('a'.repeat(max + 1))).toThrow(refused(place));
    expect(() => decode(new Uint8Array(max + 1).fill(0x61))).toThrow(refused(place));
  });

  it('refuses invalid UTF-8 as the codec error, not a TypeError', () => {
    expect(() => decode(Uint8Array.of(0x61, 0xc3))).toThrow(refused(place));
  });
});

describe('the ERROR-CODE reason phrase', () => {
  it('is a text attribute of at most 763 bytes (RFC 8489 §14.8)', () => {
    const reason = 'a'.repeat(763);
    expect(decodeErrorCode(encodeErrorCode({ code: 420, reason }))).toEqual({ code: 420, reason });
    expect(() => encodeErrorCode({ code: 420, reason: `${reason}a` })).toThrow(refused('stun/error-code'));
  });
});
