import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { isIceleakError } from '../errors.js';
import { classifyAddress } from './classify.js';
import { IPV4_SPECIAL_PURPOSE, IPV6_SPECIAL_PURPOSE, type SpecialPurposeRange } from './special-purpose.js';

/** First, last and middle address of a CIDR, as text. */
function corners(cidr: string): [string, string, string] {
  const [network, bits] = ipaddr.parseCIDR(cidr);
  const bytes = network.toByteArray();
  const first = [...bytes];
  const last = [...bytes];
  const middle = [...bytes];
  for (let bit = bits; bit < bytes.length * 8; bit++) {
    const i = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    last[i] = (last[i] ?? 0) | mask;
    // Middle: set the first host bit only (halfway through the block).
    if (bit === bits) middle[i] = (middle[i] ?? 0) | mask;
    first[i] = (first[i] ?? 0) & ~mask;
  }
  const text = (b: number[]) => ipaddr.fromByteArray(b).toString();
  return [text(first), text(last), text(bits === bytes.length * 8 ? first : middle)];
}

function contains(outer: string, inner: string): boolean {
  const [o, ob] = ipaddr.parseCIDR(outer);
  const [i, ib] = ipaddr.parseCIDR(inner);
  return o.kind() === i.kind() && ib >= ob && (i as ipaddr.IPv4).match(o as ipaddr.IPv4, ob);
}

const ALL_ROWS: readonly SpecialPurposeRange[] = [...IPV4_SPECIAL_PURPOSE, ...IPV6_SPECIAL_PURPOSE];

describe('special-purpose registry, row by row', () => {
  for (const row of ALL_ROWS) {
    it(`${row.cidr} (${row.name})`, () => {
      for (const address of corners(row.cidr)) {
        const c = classifyAddress(address);
        expect(c.range, address).not.toBeNull();
        const matched = c.range?.cidr ?? '';
        // Longest-prefix match: the row itself, or a more specific row nested inside it.
        expect(matched === row.cidr || contains(row.cidr, matched), `${address} matched ${matched}`).toBe(
          true,
        );
        if (matched === row.cidr && row.embeds === undefined) {
          expect(c.scope).toBe(row.scope);
          expect(c.publicLike).toBe(
            row.unicast && ['public', 'documentation', 'benchmarking', 'reserved'].includes(row.scope),
          );
        }
      }
    });
  }

  it('has no duplicate rows and every CIDR is canonical', () => {
    const seen = new Set<string>();
    for (const row of ALL_ROWS) {
      expect(seen.has(row.cidr), row.cidr).toBe(false);
      seen.add(row.cidr);
      const [network, bits] = ipaddr.parseCIDR(row.cidr);
      expect(corners(row.cidr)[0]).toBe(network.toString());
      expect(bits).toBeGreaterThan(0);
    }
  });
});

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'IPv4', 'public', true],
    ['203.0.113.5', 'IPv4', 'documentation', true],
    ['198.18.0.1', 'IPv4', 'benchmarking', true],
    ['10.10.0.23', 'IPv4', 'private', false],
    ['172.31.255.255', 'IPv4', 'private', false],
    ['172.32.0.1', 'IPv4', 'public', true],
    ['100.64.0.1', 'IPv4', 'shared', false],
    ['100.128.0.1', 'IPv4', 'public', true],
    ['127.0.0.1', 'IPv4', 'loopback', false],
    ['169.254.1.1', 'IPv4', 'link-local', false],
    ['0.0.0.0', 'IPv4', 'unspecified', false],
    ['224.0.0.251', 'IPv4', 'multicast', false],
    ['255.255.255.255', 'IPv4', 'reserved', false],
    ['240.0.0.1', 'IPv4', 'reserved', true],
    ['2a00:1450::1', 'IPv6', 'public', true],
    ['2001:db8::5', 'IPv6', 'documentation', true],
    ['fd00::1', 'IPv6', 'unique-local', false],
    ['fe80::1%eth0', 'IPv6', 'link-local', false],
    ['[::1]', 'IPv6', 'loopback', false],
    ['::', 'IPv6', 'unspecified', false],
    ['ff02::fb', 'IPv6', 'multicast', false],
    ['4000::1', 'IPv6', 'reserved', true],
    ['5b2c0f2e-6d5b-4e2b-9d3c-1a2b3c4d5e6f.local', 'name', 'mdns', false],
    ['stun.example.com', 'name', 'reserved', false],
  ] as const)('%s → %s %s publicLike=%s', (address, family, scope, publicLike) => {
    const c = classifyAddress(address);
    expect([c.family, c.scope, c.publicLike]).toEqual([family, scope, publicLike]);
  });

  it('unwraps IPv4-mapped, NAT64, 6to4 and Teredo to the IPv4 they carry', () => {
    const mapped = classifyAddress('::ffff:192.168.1.10');
    expect(mapped.embedded).toEqual({ via: 'ipv4-mapped', address: '192.168.1.10', scope: 'private' });
    expect([mapped.scope, mapped.publicLike]).toEqual(['private', false]);
    expect(classifyAddress('::ffff:cb00:7105').embedded?.address).toBe('203.0.113.5');
    expect(classifyAddress('64:ff9b::198.51.100.7').embedded).toEqual({
      via: 'nat64',
      address: '198.51.100.7',
      scope: 'documentation',
    });
    const sixToFour = classifyAddress('2002:0a00:0001::1');
    expect(sixToFour.embedded).toEqual({ via: '6to4', address: '10.0.0.1', scope: 'private' });
    expect(sixToFour.publicLike).toBe(false);
    // RFC 4380 §4 example layout: client IPv4 stored inverted in the last 32 bits.
    const teredo = classifyAddress('2001:0:4136:e378:8000:63bf:3fff:fdd2');
    expect(teredo.embedded).toEqual({ via: 'teredo', address: '192.0.2.45', scope: 'documentation' });
    expect(teredo.range?.cidr).toBe('2001::/32');
  });

  it.each([
    '',
    '1.2.3',
    '256.1.1.1',
    '127.1',
    '0x7f.0.0.1',
    '3232235777',
    '1.2.3.4.5',
    ':::',
    '1::2::3',
    'bad name!',
    '-leading.example',
    'a'.repeat(300),
    '<script>alert(1)</script>',
  ])('rejects %j with E_ADDRESS_INVALID', (input) => {
    expect(() => classifyAddress(input)).toThrow(
      expect.objectContaining({ code: 'E_ADDRESS_INVALID', place: 'address/classify' }),
    );
    try {
      classifyAddress(input);
    } catch (error) {
      expect(isIceleakError(error, 'E_ADDRESS_INVALID')).toBe(true);
    }
  });
});
