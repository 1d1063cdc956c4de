import { describe, expect, it } from 'vitest';
import { decodeMessageType, encodeMessageType, isStunMessage, type StunClass } from './header.js';
import { RFC5769_VECTORS } from './test-support/fixtures.js';

describe('message type (RFC 8489 §5)', () => {
  it.each([
    [0x001, 'request', 0x0001],
    [0x001, 'indication', 0x0011],
    [0x001, 'success-response', 0x0101],
    [0x001, 'error-response', 0x0111],
    [0x003, 'request', 0x0003],
    [0xfff, 'error-response', 0x3fff],
  ] as const)('method 0x%s %s is type 0x%s', (method, cls, type) => {
    expect(encodeMessageType(method, cls)).toBe(type);
    expect(decodeMessageType(type)).toEqual({ method, class: cls });
  });

  it('round-trips every method and class', () => {
    const classes: StunClass[] = ['request', 'indication', 'success-response', 'error-response'];
    for (let method = 0; method <= 0xfff; method++) {
      for (const cls of classes)
        expect(decodeMessageType(encodeMessageType(method, cls))).toEqual({ method, class: cls });
    }
  });

  it('refuses methods wider than 12 bits', () => {
    expect(() => encodeMessageType(0x1000, 'request')).toThrow(
      expect.objectContaining({ code: 'E_STUN_BAD_METHOD' }),
    );
  });
});

describe('isStunMessage', () => {
  it.each(RFC5769_VECTORS)('accepts RFC 5769 %s', (_name, bytes) => {
    expect(isStunMessage(bytes)).toBe(true);
  });

  it('rejects a DTLS record, RTP, short input, a wrong cookie and a length that does not match', () => {
    const [, request] = RFC5769_VECTORS[0]!;
    // DTLS 1.2 handshake record header (RFC 6347 §4.1): passes the two-bit test, not the cookie.
    const dtls = Uint8Array.from(
      { length: 40 },
      (_, i) => [22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 27][i] ?? 1,
    );
    const rtp = Uint8Array.from(request, (b, i) => (i === 0 ? 0x80 : b));
    const cookie = Uint8Array.from(request, (b, i) => (i === 7 ? 0x43 : b));
    expect(isStunMessage(dtls)).toBe(false);
    expect(isStunMessage(rtp)).toBe(false);
    expect(isStunMessage(request.subarray(0, 19))).toBe(false);
    expect(isStunMessage(cookie)).toBe(false);
    expect(isStunMessage(request.subarray(0, request.length - 4))).toBe(false);
  });
});
