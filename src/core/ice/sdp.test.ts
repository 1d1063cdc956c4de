import { describe, expect, it } from 'vitest';
import { IceleakError } from '../errors.js';
import { candidatesFromSdp, MAX_SDP_LENGTH } from './sdp.js';

// A Chromium-shaped data-channel offer after gathering (addresses in documentation ranges).
const OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'm=application 53211 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 203.0.113.5',
  'a=candidate:3048265936 1 udp 2113937151 0f5c3f2a-6d5b-4e2b-9d3c-1a2b3c4d5e6f.local 50602 typ host generation 0 network-cost 999',
  'a=candidate:842163049 1 udp 1677729535 203.0.113.5 53211 typ srflx raddr 0.0.0.0 rport 0 generation 0 network-cost 999',
  'a=ice-ufrag:4ZcD',
  'a=mid:0',
  'a=sctp-port:5000',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP6 ::',
  'a=mid:1',
  'a=candidate:1 1 udp 1 192.0.2.1 1 typ bogus',
  'a=candidate:2 1 UDP 2122252543 2001:db8::23 40000 typ host',
  '',
];

describe('candidatesFromSdp', () => {
  it.each([
    ['\\r\\n', '\r\n'],
    ['\\n', '\n'],
  ])('extracts candidates with mid and m-line index (%s endings)', (_name, eol) => {
    const out = candidatesFromSdp(OFFER.join(eol));
    expect(out.candidates.map((c) => [c.mLineIndex, c.mid, c.line, c.candidate.address])).toEqual([
      [0, '0', 8, '0f5c3f2a-6d5b-4e2b-9d3c-1a2b3c4d5e6f.local'],
      [0, '0', 9, '203.0.113.5'],
      [1, '1', 17, '2001:db8::23'],
    ]);
    expect(out.errors).toHaveLength(1);
    expect(out.errors[0]?.line).toBe(16);
    expect(out.errors[0]?.mid).toBe('1');
    expect(out.errors[0]?.error).toBeInstanceOf(IceleakError);
    expect(out.errors[0]?.error.place).toBe('candidate/type');
    expect(out.connectionAddresses.map((c) => [c.mLineIndex, c.addrType, c.address])).toEqual([
      [0, 'IP4', '203.0.113.5'],
      [1, 'IP6', '::'],
    ]);
  });

  it('reads session-level c= and strips /ttl', () => {
    const out = candidatesFromSdp('v=0\nc=IN IP4 233.252.0.1/127\nm=audio 9 RTP/AVP 0\n');
    expect(out.connectionAddresses).toEqual([
      {
        mLineIndex: null,
        mid: null,
        line: 2,
        raw: 'c=IN IP4 233.252.0.1/127',
        netType: 'IN',
        addrType: 'IP4',
        address: '233.252.0.1',
      },
    ]);
  });

  it('ignores odd lines and never throws on garbage', () => {
    for (const junk of [
      '',
      '\n\n\n',
      'c=',
      'c=IN',
      'a=candidate:',
      'm=\na=mid:\na=candidate:<img src=x onerror=alert(1)>',
      '\u0000\u0001\r\r\n',
    ]) {
      expect(() => candidatesFromSdp(junk)).not.toThrow();
    }
  });

  it('caps the size with E_SDP_TOO_LONG', () => {
    expect(() => candidatesFromSdp('a'.repeat(MAX_SDP_LENGTH + 1))).toThrow(
      expect.objectContaining({ code: 'E_SDP_TOO_LONG', place: 'sdp' }),
    );
  });
});
