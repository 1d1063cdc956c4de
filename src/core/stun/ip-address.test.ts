import { isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IceleakError } from '../errors.js';
import { bytesToIp, ipToBytes } from './ip-address.js';

describe('IP address text ↔ bytes', () => {
  it.each([
    ['IPv4', '192.0.2.1', 'c0000201'],
    ['IPv4', '0.0.0.0', '00000000'],
    ['IPv6', '2001:db8:1234:5678:11:2233:4455:6677', '20010db8123456780011223344556677'],
    ['IPv6', '::1', '00000000000000000000000000000001'],
    ['IPv6', '::', '00000000000000000000000000000000'],
    ['IPv6', 'fe80::1', 'fe800000000000000000000000000001'],
    ['IPv6', '::ffff:198.51.100.7', '00000000000000000000ffffc6336407'],
    ['IPv6', '2001:db8::1:0:0:1', '20010db8000000000001000000000001'],
  ] as const)('%s %s', (family, text, hex) => {
    expect(Buffer.from(ipToBytes(family, text)).toString('hex')).toBe(hex);
    expect(bytesToIp(Buffer.from(hex, 'hex'))).toBe(text);
  });

  it('formats IPv6 the RFC 5952 way: lower case, longest zero run, first on a tie, no single-zero ::', () => {
    expect(bytesToIp(ipToBytes('IPv6', '2001:DB8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(bytesToIp(ipToBytes('IPv6', '2001:db8:0:1:1:1:1:1'))).toBe('2001:db8:0:1:1:1:1:1');
    expect(bytesToIp(ipToBytes('IPv6', 'fe80::1%eth0'))).toBe('fe80::1');
  });

  it.each([
    ['IPv4', '256.0.0.1'],
    ['IPv4', '01.2.3.4'],
    ['IPv4', '1.2.3'],
    ['IPv4', '1.2.3.4.5'],
    ['IPv4', '1..2.3'],
    ['IPv4', ''],
    ['IPv6', '1:2:3:4:5:6:7:8:9'],
    ['IPv6', '1::2::3'],
    ['IPv6', '12345::'],
    ['IPv6', 'x'.repeat(100)],
  ] as const)('refuses %s %j with a typed error', (family, text) => {
    expect(() => ipToBytes(family, text)).toThrow(IceleakError);
  });

  it('parses every IPv6 that Node accepts to the same 16 bytes after formatting', () => {
    fc.assert(
      fc.property(fc.ipV6(), (text) => {
        expect(isIPv6(text)).toBe(true);
        const bytes = ipToBytes('IPv6', text);
        expect(ipToBytes('IPv6', bytesToIp(bytes))).toEqual(bytes);
      }),
      { numRuns: 1000 },
    );
  });
});
