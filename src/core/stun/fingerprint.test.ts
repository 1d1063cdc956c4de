import { describe, expect, it } from 'vitest';
import { computeFingerprint, crc32, FINGERPRINT_XOR, verifyFingerprint } from './fingerprint.js';
import { RFC5769, RFC5769_VECTORS } from './test-support/fixtures.js';

describe('FINGERPRINT (RFC 8489 §14.7)', () => {
  it('uses the ISO 3309 CRC-32 (check value of "123456789" is 0xCBF43926)', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('XORs the CRC with 0x5354554E', () => {
    const input = RFC5769.request.subarray(0, RFC5769.request.length - 8);
    expect(computeFingerprint(input)).toBe((crc32(input) ^ FINGERPRINT_XOR) >>> 0);
    expect(computeFingerprint(input)).toBe(0xe57a3bcf);
  });

  it.each(RFC5769_VECTORS.slice(0, 3))('detects any single flipped bit in %s', (_name, bytes) => {
    for (let i = 0; i < bytes.length; i++) {
      const flipped = bytes.slice();
      flipped[i]! ^= 0x01;
      expect(verifyFingerprint(flipped), `byte ${i}`).not.toBe('valid');
    }
  });
});
