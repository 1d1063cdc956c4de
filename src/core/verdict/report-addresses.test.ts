import { describe, expect, it } from 'vitest';
import type { ProbeReport } from './report.js';
import { addressesFromReport, REPORT_LIMITS } from './report-addresses.js';

const REPORT: ProbeReport = {
  version: 1,
  userAgent: 'x',
  rtcPeerConnection: 'present',
  mediaPermission: true,
  durationMs: 1,
  connections: [
    {
      label: 'stun-ipv4',
      candidates: [
        'candidate:842163049 1 udp 1677729535 203.0.113.5 53211 typ srflx raddr 10.10.0.23 rport 50000 generation 0',
        'not a candidate',
      ],
      sdp: 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n',
      stats: [
        { address: '10.10.0.23', port: 50000, candidateType: 'host', protocol: 'UDP', foundation: 'f1' },
      ],
      gatheringComplete: true,
      durationMs: 1,
    },
  ],
};

describe('addressesFromReport', () => {
  it('flattens candidates (address and raddr), SDP c= lines and stats, skipping garbage', () => {
    expect(
      addressesFromReport(REPORT).map((a) => [
        a.how,
        a.role,
        a.address,
        a.port,
        a.candidateType,
        a.transport,
      ]),
    ).toEqual([
      ['candidate', 'address', '203.0.113.5', 53211, 'srflx', 'udp'],
      ['candidate', 'raddr', '10.10.0.23', 50000, 'srflx', 'udp'],
      ['sdp', 'c-line', '0.0.0.0', null, null, null],
      ['stats', 'address', '10.10.0.23', 50000, 'host', 'udp'],
    ]);
  });

  it('returns nothing for a null report and caps connections', () => {
    expect(addressesFromReport(null)).toEqual([]);
    const many = {
      ...REPORT,
      connections: Array.from({ length: 100 }, () => REPORT.connections[0]),
    } as ProbeReport;
    const indexes = new Set(addressesFromReport(many).map((a) => a.connectionIndex));
    expect(indexes.size).toBe(REPORT_LIMITS.connections);
  });
});
