import { describe, expect, it } from 'vitest';
import { candidatesInSdp, parseCandidateValues } from './candidate-values.js';

// Captured from Chromium 156 in the scan lab (src/scan/fixtures, poc-2015 page).
const HOST =
  'candidate:4057873354 1 udp 2113937151 ff6ddab4-8f4d-4452-a6a2-f8a46b0e85ac.local 56233 typ host generation 0 ufrag f8LL network-cost 999';
const SRFLX =
  'candidate:1896590268 1 udp 1677729535 10.77.0.2 56233 typ srflx raddr 0.0.0.0 rport 0 generation 0 ufrag f8LL network-cost 999';

describe('parseCandidateValues', () => {
  it('reads the mDNS name of a host candidate', () => {
    expect(parseCandidateValues(HOST)).toMatchObject({
      address: 'ff6ddab4-8f4d-4452-a6a2-f8a46b0e85ac.local',
      port: 56233,
      type: 'host',
      relatedAddress: null,
    });
  });
  it('reads a srflx candidate and drops the unspecified raddr', () => {
    expect(parseCandidateValues(SRFLX)).toMatchObject({
      address: '10.77.0.2',
      port: 56233,
      type: 'srflx',
      relatedAddress: null,
    });
  });
  it('keeps a real raddr (the private address behind a srflx when mDNS is off)', () => {
    const c = 'candidate:1 1 udp 1 203.0.113.5 4000 typ srflx raddr 192.168.1.20 rport 5000';
    expect(parseCandidateValues(c)?.relatedAddress).toBe('192.168.1.20');
  });
  it('accepts the a= prefix and rejects what is not a candidate', () => {
    expect(parseCandidateValues(`a=${SRFLX}`)?.address).toBe('10.77.0.2');
    expect(parseCandidateValues('hello')).toBeNull();
  });
  it('survives every truncation of a valid candidate without throwing', () => {
    for (let i = 0; i <= SRFLX.length; i++)
      expect(() => parseCandidateValues(SRFLX.slice(0, i))).not.toThrow();
  });
});

describe('candidatesInSdp', () => {
  it('finds the candidate lines of an SDP and ignores the rest', () => {
    const sdp = `v=0\r\nc=IN IP4 0.0.0.0\r\na=candidate:${HOST.slice(10)}\r\na=mid:0\r\na=${SRFLX}\r\n`;
    expect(candidatesInSdp(sdp).map((c) => c.type)).toEqual(['host', 'srflx']);
  });
});
