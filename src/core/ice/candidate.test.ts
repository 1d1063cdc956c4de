import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IceleakError } from '../errors.js';
import {
  type CandidateType,
  candidateExtension,
  formatCandidate,
  type IceCandidate,
  MAX_CANDIDATE_LENGTH,
  parseCandidate,
  type TcpType,
} from './candidate.js';

// Shapes as Chromium and Firefox emit them (addresses moved to documentation ranges).
const VALID_LINES = [
  // Chromium, mDNS host
  'candidate:3048265936 1 udp 2113937151 0f5c3f2a-6d5b-4e2b-9d3c-1a2b3c4d5e6f.local 50602 typ host generation 0 ufrag Xb+3 network-cost 999',
  // Chromium, srflx with hidden raddr
  'candidate:842163049 1 udp 1677729535 203.0.113.5 53211 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag 4ZcD network-cost 999',
  // Chromium, raw host + TCP active placeholder port 9
  'candidate:4233069003 1 tcp 1518280447 10.10.0.23 9 typ host tcptype active generation 0 network-id 1',
  // Chromium, IPv6 host
  'candidate:1840965416 1 udp 2122262783 2001:db8:1:2::23 54400 typ host generation 0 ufrag 4ZcD network-id 2 network-cost 10',
  // Firefox
  'candidate:0 1 UDP 2122252543 8f5f0a0e-0c8a-4b7c-9d28-8a4b4f9e6d1c.local 51920 typ host',
  'candidate:1 1 UDP 1686052863 203.0.113.5 51920 typ srflx raddr 0.0.0.0 rport 0',
  'candidate:2 1 TCP 2105524479 8f5f0a0e-0c8a-4b7c-9d28-8a4b4f9e6d1c.local 9 typ host tcptype active',
  // Shapes quoted in public issue threads (livekit/livekit#1270 Firefox, QuickBlox iOS SDK #751 Chromium).
  'candidate:0 1 UDP 2121859327 192.168.31.50 57261 typ host',
  'candidate:21 1 TCP 2105131263 192.168.31.50 9 typ host tcptype active',
  'candidate:3506029053 1 udp 2122262783 2001:db8:6125:a900:51e9:9381:e9c2:cddf 56278 typ host generation 0 ufrag +ScT network-id 2 network-cost 10',
  'candidate:1167774669 1 tcp 1518280447 192.168.1.101 9 typ host tcptype active generation 0 ufrag eMp/ network-id 1 network-cost 10',
  // relay with raddr, RFC 8839 §5.1 example shape
  'candidate:a+/9 2 udp 16777215 198.51.100.7 3478 typ relay raddr 203.0.113.5 rport 53211',
  // prflx, IPv4-mapped, unknown extension
  'candidate:7 1 udp 1853824767 ::ffff:203.0.113.5 40000 typ prflx raddr 10.0.0.2 rport 40000 x-custom v=1',
];

function roundTrip(line: string): string {
  return formatCandidate(parseCandidate(line));
}

describe('parseCandidate', () => {
  it('reads every field of a Chromium srflx line', () => {
    const c = parseCandidate(VALID_LINES[1] as string);
    expect(c).toEqual({
      foundation: '842163049',
      component: 1,
      transport: 'udp',
      priority: 1677729535,
      address: '203.0.113.5',
      port: 53211,
      type: 'srflx',
      relatedAddress: '0.0.0.0',
      relatedPort: 0,
      tcpType: null,
      extensions: [
        { name: 'generation', value: '0' },
        { name: 'ufrag', value: '4ZcD' },
        { name: 'network-cost', value: '999' },
      ],
    } satisfies IceCandidate);
    expect(candidateExtension(c, 'ufrag')).toBe('4ZcD');
    expect(candidateExtension(c, 'network-id')).toBeNull();
  });

  it('reads Firefox TCP active host with tcptype', () => {
    const c = parseCandidate(VALID_LINES[6] as string);
    expect([c.transport, c.port, c.type, c.tcpType, c.extensions]).toEqual(['TCP', 9, 'host', 'active', []]);
  });

  it.each(VALID_LINES)('round-trips %s', (line) => {
    expect(roundTrip(line)).toBe(line);
    expect(roundTrip(`a=${line}`)).toBe(line);
    expect(roundTrip(line.slice('candidate:'.length))).toBe(line);
    expect(roundTrip(`${line}\r`)).toBe(line);
  });

  it.each(VALID_LINES)('every truncation of %s parses to itself or throws IceleakError', (line) => {
    const typeEnd = line.indexOf(' typ ') + 5;
    const typeTokenEnd = line.indexOf(' ', typeEnd) === -1 ? line.length : line.indexOf(' ', typeEnd);
    for (let n = 0; n < line.length; n++) {
      const prefix = line.slice(0, n);
      let formatted: string | null = null;
      try {
        formatted = roundTrip(prefix);
      } catch (error) {
        expect(error, prefix).toBeInstanceOf(IceleakError);
        expect((error as IceleakError).code).toBe('E_CANDIDATE_SYNTAX');
        expect(typeof (error as IceleakError).details.position).toBe('number');
      }
      if (n < typeTokenEnd - 1 && formatted !== null) {
        // Short of the full "typ <type>" only a prefix that is itself a shorter valid type would parse.
        throw new Error(`truncation "${prefix}" parsed`);
      }
      if (formatted !== null) expect(formatted, prefix).toBe(prefix.trimEnd());
    }
  });

  it.each([
    ['', 'candidate/foundation', 0],
    ['candidate:', 'candidate/foundation', 10],
    ['candidate:abc$ 1 udp 1 192.0.2.1 1 typ host', 'candidate/foundation', 10],
    [`candidate:${'a'.repeat(33)} 1 udp 1 192.0.2.1 1 typ host`, 'candidate/foundation', 10],
    ['candidate:1 123456 udp 1 192.0.2.1 1 typ host', 'candidate/component', 12],
    ['candidate:1 1 sctp 1 192.0.2.1 1 typ host', 'candidate/transport', 14],
    ['candidate:1 1 udp 4294967296 192.0.2.1 1 typ host', 'candidate/priority', 18],
    ['candidate:1 1 udp 1 192.0.2.256 1 typ host', 'candidate/address', 20],
    ['candidate:1 1 udp 1 1::2::3 1 typ host', 'candidate/address', 20],
    ['candidate:1 1 udp 1 192.0.2.1 65536 typ host', 'candidate/port', 30],
    ['candidate:1 1 udp 1 192.0.2.1 1 type host', 'candidate/type', 32],
    ['candidate:1 1 udp 1 192.0.2.1 1 typ local', 'candidate/type', 36],
    ['candidate:1 1 udp 1 192.0.2.1 1 typ srflx raddr x..y rport 1', 'candidate/raddr', 48],
    ['candidate:1 1 tcp 1 192.0.2.1 9 typ host tcptype both', 'candidate/tcptype', 49],
    ['candidate:1 1 udp 1 192.0.2.1 1 typ host generation', 'candidate/extension', 41],
    ['candidate:1 1 udp 1 192.0.2.1 1 typ host <script> x', 'candidate/extension', 41],
    ['candidate:1 1 udp 1 192.0.2.1 1 typ host\tgeneration 0', 'candidate/line', 40],
  ])('rejects %j at %s, position %i', (line, place, position) => {
    try {
      parseCandidate(line);
      expect.unreachable(line);
    } catch (error) {
      expect(error).toBeInstanceOf(IceleakError);
      expect((error as IceleakError).code).toBe('E_CANDIDATE_SYNTAX');
      expect((error as IceleakError).place).toBe(place);
      expect((error as IceleakError).details.position).toBe(position);
    }
  });

  it('caps the length before parsing', () => {
    const long = `candidate:1 1 udp 1 192.0.2.1 1 typ host x ${'y'.repeat(MAX_CANDIDATE_LENGTH)}`;
    expect(() => parseCandidate(long)).toThrow(expect.objectContaining({ code: 'E_CANDIDATE_TOO_LONG' }));
  });

  it('formatCandidate refuses an object that would not parse back the same', () => {
    const base = parseCandidate(VALID_LINES[5] as string);
    expect(() => formatCandidate({ ...base, port: 70000 })).toThrow(IceleakError);
    expect(() => formatCandidate({ ...base, address: 'a b' })).toThrow(IceleakError);
    expect(() =>
      formatCandidate({
        ...base,
        relatedAddress: null,
        relatedPort: null,
        extensions: [{ name: 'raddr', value: '1.2.3.4' }],
      }),
    ).toThrow(IceleakError);
  });
});

const iceChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/'.split(''),
);
const ipv4 = fc.ipV4();
const address = fc.oneof(
  ipv4,
  fc.ipV6().filter((a) => !a.includes('%')),
  fc.uuid().map((u) => `${u}.local`),
  fc.domain(),
);
const extensionName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,15}$/)
  .filter((n) => n !== 'raddr' && n !== 'rport' && n !== 'tcptype');
const candidateArb: fc.Arbitrary<IceCandidate> = fc.record({
  foundation: fc.array(iceChar, { minLength: 1, maxLength: 32 }).map((a) => a.join('')),
  component: fc.integer({ min: 0, max: 99999 }),
  transport: fc.constantFrom('udp', 'UDP', 'tcp', 'TCP', 'Udp'),
  priority: fc.integer({ min: 0, max: 0xffffffff }),
  address,
  port: fc.integer({ min: 0, max: 65535 }),
  type: fc.constantFrom<CandidateType>('host', 'srflx', 'prflx', 'relay'),
  relatedAddress: fc.option(address, { nil: null }),
  relatedPort: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }),
  tcpType: fc.option(fc.constantFrom<TcpType>('active', 'passive', 'so'), { nil: null }),
  extensions: fc.array(fc.record({ name: extensionName, value: fc.stringMatching(/^[\x21-\x7e]{1,20}$/) }), {
    maxLength: 5,
  }),
});

describe('candidate properties', () => {
  it('random candidates round-trip: parse(format(c)) equals c', () => {
    fc.assert(
      fc.property(candidateArb, (c) => {
        const line = formatCandidate(c);
        expect(parseCandidate(line)).toEqual(c);
        expect(formatCandidate(parseCandidate(line))).toBe(line);
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it('random strings never throw anything but IceleakError', () => {
    const noisy = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc
        .array(
          fc.constantFrom(
            'candidate:',
            '1',
            'udp',
            'typ',
            'host',
            'raddr',
            'rport',
            'tcptype',
            '::',
            '0.0.0.0',
            ' ',
            'x',
          ),
          { maxLength: 30 },
        )
        .map((a) => a.join(' ')),
    );
    fc.assert(
      fc.property(noisy, (s) => {
        try {
          parseCandidate(s);
        } catch (error) {
          expect(error).toBeInstanceOf(IceleakError);
        }
      }),
      { numRuns: 600 },
    );
  }, 30_000);
});
