import { describe, expect, it } from 'vitest';
import { decodeStunMessage, encodeStunMessage } from './message.js';
import { shortTermKey, verifyMessageIntegrity } from './message-integrity.js';
import { verifyMessageIntegritySha256 } from './message-integrity-sha256.js';
import { RFC5769 } from './test-support/fixtures.js';

const key = shortTermKey(RFC5769.password);

describe('MESSAGE-INTEGRITY (RFC 8489 §14.5)', () => {
  it('is missing from a message without it', () => {
    const bare = encodeStunMessage({ ...decodeStunMessage(RFC5769.request), attributes: [] });
    expect(verifyMessageIntegrity(bare, key)).toBe('missing');
  });

  it('fails when any byte it covers changes', () => {
    const miOffset = RFC5769.request.length - 8 - 24;
    for (let i = 0; i < miOffset + 24; i++) {
      if (i === 2 || i === 3) continue; // the length field is replaced before hashing
      const changed = RFC5769.request.slice();
      changed[i]! ^= 0x80;
      // 'missing' when the change breaks the attribute walk before MESSAGE-INTEGRITY.
      expect(verifyMessageIntegrity(changed, key), `byte ${i}`).not.toBe('valid');
    }
  });

  it('ignores what follows it: dropping FINGERPRINT keeps it valid', () => {
    const withoutFingerprint = RFC5769.request.slice(0, RFC5769.request.length - 8);
    withoutFingerprint[3] = withoutFingerprint.length - 20;
    expect(verifyMessageIntegrity(withoutFingerprint, key)).toBe('valid');
  });
});

describe('MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6)', () => {
  it('is computed after MESSAGE-INTEGRITY, before FINGERPRINT, and verifies only with its key', () => {
    const message = {
      class: 'request' as const,
      method: 1,
      transactionId: new Uint8Array(12).fill(7),
      attributes: [],
    };
    const bytes = encodeStunMessage(message, {
      messageIntegrity: key,
      messageIntegritySha256: key,
      fingerprint: true,
    });
    expect(decodeStunMessage(bytes).attributes.map((a) => a.type)).toEqual([
      'MESSAGE-INTEGRITY',
      'MESSAGE-INTEGRITY-SHA256',
      'FINGERPRINT',
    ]);
    expect(verifyMessageIntegrity(bytes, key)).toBe('valid');
    expect(verifyMessageIntegritySha256(bytes, key)).toBe('valid');
    expect(verifyMessageIntegritySha256(bytes, shortTermKey('other'))).toBe('invalid');
    expect(verifyMessageIntegritySha256(RFC5769.request, key)).toBe('missing');
  });
});
