import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IceleakError } from '../errors.js';
import { verifyFingerprint } from './fingerprint.js';
import { decodeStunMessage, encodeStunMessage, getAttribute } from './message.js';
import { shortTermKey, verifyMessageIntegrity } from './message-integrity.js';
import { BROWSER_CAPTURES as C, hex } from './test-support/fixtures.js';

describe.each([
  ['Chromium', C.chromiumBinding],
  ['Firefox', C.firefoxBinding],
])('%s Binding request to a STUN server', (_browser, bytes) => {
  it('is a bare 20-byte Binding request that re-encodes to the same bytes', () => {
    const message = decodeStunMessage(bytes);
    expect(message.class).toBe('request');
    expect(message.method).toBe(1);
    expect(message.attributes).toEqual([]);
    expect(hex(encodeStunMessage(message))).toBe(hex(bytes));
  });
});

describe.each([
  [
    'Chromium',
    C.chromiumCheck,
    ['USERNAME', 'UNKNOWN', 'ICE-CONTROLLING', 'PRIORITY', 'MESSAGE-INTEGRITY', 'FINGERPRINT'],
  ],
  [
    'Firefox',
    C.firefoxCheck,
    ['USERNAME', 'USE-CANDIDATE', 'PRIORITY', 'ICE-CONTROLLING', 'MESSAGE-INTEGRITY', 'FINGERPRINT'],
  ],
])('%s ICE connectivity check', (browser, bytes, order) => {
  const message = decodeStunMessage(bytes);

  it('decodes every attribute in order, with USERNAME = ourUfrag:theirUfrag', () => {
    expect(message.attributes.map((a) => a.type)).toEqual(order);
    expect(getAttribute(message, 'USERNAME')).toMatch(/^capU:[A-Za-z0-9+/]{4,}$/);
    expect(getAttribute(message, 'PRIORITY')).toBeGreaterThan(0);
    expect(typeof getAttribute(message, 'ICE-CONTROLLING')).toBe('bigint');
    expect(getAttribute(message, 'USE-CANDIDATE')).toBe(browser === 'Firefox' ? true : undefined);
  });

  it('keeps the attributes it does not know (Chromium: GOOG-NETWORK-INFO 0xC057) and re-encodes byte for byte', () => {
    const unknown = message.attributes.filter((a) => a.type === 'UNKNOWN');
    expect(unknown.map((a) => (a.type === 'UNKNOWN' ? a.code : 0))).toEqual(
      browser === 'Chromium' ? [0xc057] : [],
    );
    expect(hex(encodeStunMessage(message))).toBe(hex(bytes));
  });

  it('verifies MESSAGE-INTEGRITY under our pwd only, and FINGERPRINT', () => {
    expect(verifyMessageIntegrity(bytes, shortTermKey(C.pwd))).toBe('valid');
    expect(verifyMessageIntegrity(bytes, shortTermKey(`${C.pwd}x`))).toBe('invalid');
    expect(verifyFingerprint(bytes)).toBe('valid');
  });

  it('gives a typed error for every truncation', () => {
    for (let n = 0; n < bytes.length; n++) {
      expect(() => decodeStunMessage(bytes.subarray(0, n))).toThrow(IceleakError);
    }
  });
});

/**
 * The second set of captures, fixtures/browsers/ (README there): taken through a veth from a
 * client namespace by src/browser/test-support/capture-fixtures.ts, with the credentials in
 * credentials.json, decoded with the codec from ./index.js.
 */
describe('fixtures/browsers (capture-fixtures.ts)', () => {
  const dir = new URL('./fixtures/browsers/', import.meta.url);
  const creds = JSON.parse(readFileSync(new URL('credentials.json', dir), 'utf8')) as {
    ufrag: string;
    pwd: string;
  };
  const load = (name: string) =>
    new Uint8Array(
      Buffer.from(
        readFileSync(new URL(name, dir), 'utf8')
          .split('\n')
          .filter((line) => !line.startsWith('#'))
          .join('')
          .replace(/\s+/g, ''),
        'hex',
      ),
    );

  describe.each(['chromium', 'firefox'])('%s', (browser) => {
    it('sent a bare Binding request to the STUN server', () => {
      const bytes = load(`${browser}-binding-request.hex`);
      const message = decodeStunMessage(bytes);
      expect(message.class).toBe('request');
      expect(message.method).toBe(1);
      expect(message.attributes).toEqual([]);
      expect(hex(encodeStunMessage(message))).toBe(hex(bytes));
    });

    it('sent ICE checks with USERNAME = ourUfrag:theirUfrag, valid under our pwd only', () => {
      const bytes = load(`${browser}-ice-check.hex`);
      const message = decodeStunMessage(bytes);
      expect(message.class).toBe('request');
      expect(getAttribute(message, 'USERNAME')).toMatch(new RegExp(`^${creds.ufrag}:[A-Za-z0-9+/]{4,}$`));
      expect(typeof getAttribute(message, 'ICE-CONTROLLING')).toBe('bigint');
      expect(getAttribute(message, 'PRIORITY')).toBeGreaterThan(0);
      expect(verifyMessageIntegrity(bytes, shortTermKey(creds.pwd))).toBe('valid');
      expect(verifyMessageIntegrity(bytes, shortTermKey(`${creds.pwd}x`))).toBe('invalid');
      expect(verifyFingerprint(bytes)).toBe('valid');
      expect(hex(encodeStunMessage(message))).toBe(hex(bytes));
    });
  });
});
