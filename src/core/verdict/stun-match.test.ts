import { describe, expect, it } from 'vitest';
import type { StunBindingObservation } from '../observation.js';
import type { ProbeReport } from './report.js';
import { matchStunObservations } from './stun-match.js';

function obs(address: string, port: number, transport: 'udp' | 'tcp' = 'udp'): StunBindingObservation {
  const family = address.includes(':') ? 'IPv6' : 'IPv4';
  return {
    kind: 'stun-binding',
    transport,
    source: { address, port, family },
    local: { address: '203.0.113.1', port: 3478, family },
    time: 0,
    transactionId: '000000000000000000000000',
  };
}

const REPORT: ProbeReport = {
  version: 1,
  userAgent: 'x',
  rtcPeerConnection: 'present',
  mediaPermission: false,
  durationMs: 1,
  connections: [
    {
      label: 'stun-ipv4',
      candidates: [
        'candidate:842163049 1 udp 1677729535 203.0.113.5 53211 typ srflx raddr 0.0.0.0 rport 0 generation 0',
        'garbage',
      ],
      sdp: 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=candidate:1 1 UDP 1686052863 2001:db8::5 40001 typ srflx raddr :: rport 0\r\n',
      stats: [{ address: '198.51.100.9', port: 6000, candidateType: 'srflx', protocol: null }],
      gatheringComplete: true,
      durationMs: 1,
    },
  ],
};

describe('matchStunObservations', () => {
  it('keeps the observations whose source is a srflx of the report (candidate, SDP or stats)', () => {
    const all = [
      obs('203.0.113.5', 53211),
      obs('::ffff:203.0.113.5', 53211),
      obs('2001:DB8:0::5', 40001),
      obs('198.51.100.9', 6000, 'tcp'),
      obs('203.0.113.5', 53212),
      obs('203.0.113.6', 53211),
      obs('203.0.113.5', 53211, 'tcp'),
      obs('0.0.0.0', 0),
    ];
    const matched = matchStunObservations(REPORT, all);
    expect(matched).toEqual([all[0], all[1], all[2], all[3]]);
  });

  it('matches nothing for a report without srflx', () => {
    const empty: ProbeReport = { ...REPORT, connections: [] };
    expect(matchStunObservations(empty, [obs('203.0.113.5', 53211)])).toEqual([]);
  });
});
