import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeXorMappedAddress, encodeXorMappedAddress } from './xor-mapped-address.js';

const transactionId = Uint8Array.from([
  0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
]);

describe('XOR-MAPPED-ADDRESS (RFC 8489 §14.2)', () => {
  it('matches RFC 5769 §2.2 field by field', () => {
    const value = encodeXorMappedAddress(
      { family: 'IPv4', address: '192.0.2.1', port: 32853 },
      transactionId,
    );
    expect(Buffer.from(value).toString('hex')).toBe('0001a147e112a643');
  });

  it('matches RFC 5769 §2.3 field by field (IPv6 is XOR-ed with cookie and transaction id)', () => {
    const address = { family: 'IPv6' as const, address: '2001:db8:1234:5678:11:2233:4455:6677', port: 32853 };
    expect(Buffer.from(encodeXorMappedAddress(address, transactionId)).toString('hex')).toBe(
      '0002a1470113a9faa5d3f179bc25f4b5bed2b9d9',
    );
  });

  it('refuses an unknown family and a length that does not fit the family', () => {
    expect(() => decodeXorMappedAddress(Uint8Array.of(0, 3, 0, 0, 0, 0, 0, 0), transactionId)).toThrow(
      expect.objectContaining({ code: 'E_STUN_BAD_ATTRIBUTE', place: 'stun/xor-mapped-address' }),
    );
    expect(() => decodeXorMappedAddress(Uint8Array.of(0, 2, 0, 0, 0, 0, 0, 0), transactionId)).toThrow(
      expect.objectContaining({ code: 'E_STUN_BAD_ATTRIBUTE' }),
    );
  });

  it('round-trips any IPv4 address and port', () => {
    fc.assert(
      fc.property(
        fc.ipV4(),
        fc.nat(65535),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        (address, port, id) => {
          const value = encodeXorMappedAddress({ family: 'IPv4', address, port }, id);
          expect(decodeXorMappedAddress(value, id)).toEqual({ family: 'IPv4', address, port });
        },
      ),
    );
  });
});
