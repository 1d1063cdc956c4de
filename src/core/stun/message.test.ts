import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IceleakError } from '../errors.js';
import { verifyFingerprint } from './fingerprint.js';
import {
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  type StunAttribute,
  type StunMessage,
} from './message.js';
import { longTermKey, shortTermKey, verifyMessageIntegrity } from './message-integrity.js';
import { hex, RFC5769, RFC5769_VECTORS } from './test-support/fixtures.js';

const withoutComputed = (m: StunMessage): StunMessage => ({
  ...m,
  attributes: m.attributes.filter((a) => a.type !== 'MESSAGE-INTEGRITY' && a.type !== 'FINGERPRINT'),
});

describe('RFC 5769 §2.1 sample request', () => {
  const message = decodeStunMessage(RFC5769.request);

  it('decodes every field', () => {
    expect(message.class).toBe('request');
    expect(message.method).toBe(0x001);
    expect(hex(message.transactionId)).toBe('b7e7a701bc34d686fa87dfae');
    expect(message.attributes.map((a) => a.type)).toEqual([
      'SOFTWARE',
      'PRIORITY',
      'ICE-CONTROLLED',
      'USERNAME',
      'MESSAGE-INTEGRITY',
      'FINGERPRINT',
    ]);
    expect(getAttribute(message, 'SOFTWARE')).toBe('STUN test client');
    expect(getAttribute(message, 'PRIORITY')).toBe(0x6e0001ff);
    expect(getAttribute(message, 'ICE-CONTROLLED')).toBe(0x932ff9b151263b36n);
    expect(getAttribute(message, 'USERNAME')).toBe('evtj:h6vY');
    expect(hex(getAttribute(message, 'MESSAGE-INTEGRITY')!)).toBe('9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2');
    expect(getAttribute(message, 'FINGERPRINT')).toBe(0xe57a3bcf);
  });

  it('keeps the space padding of USERNAME', () => {
    expect(message.attributes[3]?.padding).toEqual(Uint8Array.of(0x20, 0x20, 0x20));
  });

  it('re-encodes to the original bytes', () => {
    expect(hex(encodeStunMessage(message))).toBe(hex(RFC5769.request));
  });

  it('recomputes the same MESSAGE-INTEGRITY and FINGERPRINT from the password', () => {
    const bytes = encodeStunMessage(withoutComputed(message), {
      messageIntegrity: shortTermKey(RFC5769.password),
      fingerprint: true,
    });
    expect(hex(bytes)).toBe(hex(RFC5769.request));
  });

  it('verifies integrity with the right password only', () => {
    expect(verifyMessageIntegrity(RFC5769.request, shortTermKey(RFC5769.password))).toBe('valid');
    expect(verifyMessageIntegrity(RFC5769.request, shortTermKey('VOkJxbRl1RmTxUk/WvJxBT'))).toBe('invalid');
    expect(verifyFingerprint(RFC5769.request)).toBe('valid');
  });
});

describe.each([
  ['2.2', RFC5769.ipv4Response, { family: 'IPv4', address: '192.0.2.1', port: 32853 }],
  [
    '2.3',
    RFC5769.ipv6Response,
    { family: 'IPv6', address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 },
  ],
] as const)('RFC 5769 §%s sample response', (_section, bytes, mapped) => {
  const message = decodeStunMessage(bytes);

  it('decodes every field', () => {
    expect(message.class).toBe('success-response');
    expect(message.method).toBe(0x001);
    expect(hex(message.transactionId)).toBe('b7e7a701bc34d686fa87dfae');
    expect(message.attributes.map((a) => a.type)).toEqual([
      'SOFTWARE',
      'XOR-MAPPED-ADDRESS',
      'MESSAGE-INTEGRITY',
      'FINGERPRINT',
    ]);
    expect(getAttribute(message, 'SOFTWARE')).toBe('test vector');
    expect(getAttribute(message, 'XOR-MAPPED-ADDRESS')).toEqual(mapped);
  });

  it('re-encodes to the original bytes, and recomputes integrity and fingerprint', () => {
    expect(hex(encodeStunMessage(message))).toBe(hex(bytes));
    const recomputed = encodeStunMessage(withoutComputed(message), {
      messageIntegrity: shortTermKey(RFC5769.password),
      fingerprint: true,
    });
    expect(hex(recomputed)).toBe(hex(bytes));
  });

  it('verifies integrity with the right password only, and the fingerprint', () => {
    expect(verifyMessageIntegrity(bytes, shortTermKey(RFC5769.password))).toBe('valid');
    expect(verifyMessageIntegrity(bytes, shortTermKey('wrong password'))).toBe('invalid');
    expect(verifyFingerprint(bytes)).toBe('valid');
  });
});

describe('RFC 5769 §2.4 request with long-term authentication', () => {
  const message = decodeStunMessage(RFC5769.longTermRequest);
  const username = '\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9';

  it('decodes every field', () => {
    expect(message.class).toBe('request');
    expect(hex(message.transactionId)).toBe('78ad3433c6ad72c029da412e');
    expect(message.attributes.map((a) => a.type)).toEqual([
      'USERNAME',
      'NONCE',
      'REALM',
      'MESSAGE-INTEGRITY',
    ]);
    expect(getAttribute(message, 'USERNAME')).toBe(username);
    expect(getAttribute(message, 'NONCE')).toBe('f//499k954d6OL34oL9FSTvy64sA');
    expect(getAttribute(message, 'REALM')).toBe('example.org');
  });

  it('verifies with the SASLprep-ed long-term key and not with a wrong password', () => {
    const key = longTermKey(username, 'example.org', 'The\u00adM\u00aatr\u2168');
    expect(hex(key)).toBe(hex(longTermKey(username, 'example.org', 'TheMatrIX')));
    expect(verifyMessageIntegrity(RFC5769.longTermRequest, key)).toBe('valid');
    expect(
      verifyMessageIntegrity(RFC5769.longTermRequest, longTermKey(username, 'example.org', 'TheMatrix')),
    ).toBe('invalid');
    expect(verifyFingerprint(RFC5769.longTermRequest)).toBe('missing');
  });

  it('re-encodes to the original bytes, and recomputes the same integrity', () => {
    expect(hex(encodeStunMessage(message))).toBe(hex(RFC5769.longTermRequest));
    const key = longTermKey(username, 'example.org', 'TheMatrIX');
    expect(hex(encodeStunMessage(withoutComputed(message), { messageIntegrity: key }))).toBe(
      hex(RFC5769.longTermRequest),
    );
  });
});

describe('received bytes are never modified', () => {
  it('verifying and decoding a Node Buffer leaves it intact and shares no memory with the result', () => {
    const buffer = Buffer.from(RFC5769.request);
    expect(verifyFingerprint(buffer)).toBe('valid');
    expect(verifyMessageIntegrity(buffer, shortTermKey(RFC5769.password))).toBe('valid');
    const message = decodeStunMessage(buffer);
    expect(hex(buffer)).toBe(hex(RFC5769.request));
    buffer.fill(0);
    expect(hex(message.transactionId)).toBe('b7e7a701bc34d686fa87dfae');
  });
});

describe('decoding hostile input', () => {
  it.each(RFC5769_VECTORS)('every truncation of %s is a typed error', (_name, bytes) => {
    for (let n = 0; n < bytes.length; n++) {
      const cut = bytes.subarray(0, n);
      expect(() => decodeStunMessage(cut), `${n} bytes`).toThrow(IceleakError);
      try {
        decodeStunMessage(cut);
      } catch (error) {
        expect((error as IceleakError).code).toBe('E_STUN_TRUNCATED');
      }
    }
  });

  it.each(RFC5769_VECTORS)(
    '%s with its length field shrunk to each smaller multiple of 4 is a typed error',
    (_n, bytes) => {
      const length = bytes.length - 20;
      for (let l = 0; l < length; l += 4) {
        const copy = bytes.slice(0, 20 + l);
        copy[2] = l >> 8;
        copy[3] = l & 0xff;
        // A shorter message may be valid on its own (cut between attributes); it must never crash.
        try {
          decodeStunMessage(copy);
        } catch (error) {
          expect(error).toBeInstanceOf(IceleakError);
        }
      }
    },
  );

  it('names the place and code of each header fault', () => {
    const bad = (mutate: (b: Uint8Array) => void) => {
      const b = RFC5769.request.slice();
      mutate(b);
      try {
        decodeStunMessage(b);
      } catch (error) {
        return `${(error as IceleakError).code} ${(error as IceleakError).place}`;
      }
      return 'decoded';
    };
    expect(bad((b) => (b[0] = 0x40))).toBe('E_STUN_NOT_STUN stun/header');
    expect(bad((b) => (b[4] = 0x22))).toBe('E_STUN_BAD_COOKIE stun/header');
    expect(bad((b) => (b[3] = 0x59))).toBe('E_STUN_BAD_LENGTH stun/header');
    expect(bad((b) => (b[22] = 0x11))).toBe('E_STUN_TRUNCATED stun/attribute');
    expect(bad((b) => (b[79] = 0x10))).toBe('E_STUN_BAD_ATTRIBUTE stun/message-integrity');
    expect(bad((b) => (b[43] = 0x08))).toBe('E_STUN_BAD_ATTRIBUTE stun/priority');
  });

  it('refuses trailing bytes after the announced length', () => {
    const longer = new Uint8Array(RFC5769.request.length + 4);
    longer.set(RFC5769.request);
    expect(() => decodeStunMessage(longer)).toThrow(expect.objectContaining({ code: 'E_STUN_BAD_LENGTH' }));
  });

  it('refuses an attribute after FINGERPRINT', () => {
    const extra = Uint8Array.of(0x80, 0x22, 0x00, 0x00);
    const b = new Uint8Array(RFC5769.request.length + 4);
    b.set(RFC5769.request);
    b.set(extra, RFC5769.request.length);
    b[3] = RFC5769.request.length + 4 - 20;
    expect(() => decodeStunMessage(b)).toThrow(expect.objectContaining({ code: 'E_STUN_BAD_ATTRIBUTE' }));
  });

  it('random bytes never throw anything but IceleakError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeStunMessage(bytes);
        } catch (error) {
          if (!(error instanceof IceleakError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('random attribute bodies behind a valid header never throw anything but IceleakError', () => {
    const body = fc
      .array(
        fc.record({
          type: fc.constantFrom(
            0x0001,
            0x0006,
            0x0008,
            0x0009,
            0x000a,
            0x0014,
            0x0015,
            0x001c,
            0x0020,
            0x0024,
            0x0025,
            0x8022,
            0x8028,
            0x8029,
            0x802a,
            0x7777,
          ),
          value: fc.uint8Array({ maxLength: 40 }),
        }),
        { maxLength: 8 },
      )
      .map((attrs) => {
        const parts = attrs.flatMap(({ type, value }) => {
          const padded = new Uint8Array(4 + value.length + ((4 - (value.length % 4)) % 4));
          padded.set([type >> 8, type & 0xff, value.length >> 8, value.length & 0xff]);
          padded.set(value, 4);
          return [...padded];
        });
        const out = new Uint8Array(20 + parts.length);
        out.set(RFC5769.request.subarray(0, 20));
        out[2] = parts.length >> 8;
        out[3] = parts.length & 0xff;
        out.set(parts, 20);
        return out;
      });
    fc.assert(
      fc.property(body, (bytes) => {
        try {
          decodeStunMessage(bytes);
        } catch (error) {
          if (!(error instanceof IceleakError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encode → decode round-trip', () => {
  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
  const ipv6 = fc.ipV6();
  const text = (max: number) => fc.string({ maxLength: max, unit: 'grapheme' });
  const attribute: fc.Arbitrary<StunAttribute> = fc.oneof(
    fc.record({
      type: fc.constantFrom('XOR-MAPPED-ADDRESS' as const, 'MAPPED-ADDRESS' as const),
      value: fc.oneof(
        fc.record({ family: fc.constant('IPv4' as const), address: ipv4, port: fc.nat(65535) }),
        fc.record({ family: fc.constant('IPv6' as const), address: ipv6, port: fc.nat(65535) }),
      ),
    }),
    fc.record({
      type: fc.constantFrom('USERNAME' as const, 'SOFTWARE' as const, 'REALM' as const, 'NONCE' as const),
      value: text(30),
    }),
    fc.record({ type: fc.constant('PRIORITY' as const), value: fc.nat(0xffffffff) }),
    fc.record({ type: fc.constant('USE-CANDIDATE' as const), value: fc.constant(true as const) }),
    fc.record({
      type: fc.constantFrom('ICE-CONTROLLED' as const, 'ICE-CONTROLLING' as const),
      value: fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }),
    }),
    fc.record({
      type: fc.constant('ERROR-CODE' as const),
      value: fc.record({ code: fc.integer({ min: 300, max: 699 }), reason: text(20) }),
    }),
    fc.record({
      type: fc.constant('UNKNOWN-ATTRIBUTES' as const),
      value: fc.array(fc.nat(0xffff), { maxLength: 5 }),
    }),
    fc.record({
      type: fc.constant('UNKNOWN' as const),
      code: fc.integer({ min: 0xc000, max: 0xffff }),
      value: fc.uint8Array({ maxLength: 16 }),
    }),
  );
  const message = fc.record({
    class: fc.constantFrom(
      'request' as const,
      'indication' as const,
      'success-response' as const,
      'error-response' as const,
    ),
    method: fc.nat(0xfff),
    transactionId: fc.uint8Array({ minLength: 12, maxLength: 12 }),
    attributes: fc.array(attribute, { maxLength: 10 }),
  });

  it('decode(encode(m)) re-encodes to the same bytes and keeps every value', () => {
    fc.assert(
      fc.property(message, fc.boolean(), (m, protect) => {
        const key = shortTermKey('0123456789abcdefghijkl');
        const bytes = encodeStunMessage(m, protect ? { messageIntegrity: key, fingerprint: true } : {});
        const decoded = decodeStunMessage(bytes);
        expect(hex(encodeStunMessage(decoded))).toBe(hex(bytes));
        expect(decoded.class).toBe(m.class);
        expect(decoded.method).toBe(m.method);
        const values = decoded.attributes.slice(0, m.attributes.length);
        expect(values.map((a) => a.type)).toEqual(m.attributes.map((a) => a.type));
        for (const [i, a] of m.attributes.entries()) {
          const got = values[i]!;
          if (a.type === 'XOR-MAPPED-ADDRESS' || a.type === 'MAPPED-ADDRESS') {
            // Text forms differ (fc.ipV6 is not canonical); the bytes above already match.
            expect((got.value as { port: number }).port).toBe(a.value.port);
          } else {
            expect(got.value).toEqual(a.value);
          }
        }
        if (protect) {
          expect(verifyMessageIntegrity(bytes, key)).toBe('valid');
          expect(verifyFingerprint(bytes)).toBe('valid');
        }
      }),
      { numRuns: 500 },
    );
  });
});
