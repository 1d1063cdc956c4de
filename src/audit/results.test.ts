import { describe, expect, it } from 'vitest';
import type { AuditFinding } from './cell.js';
import { leaksFromFindings } from './results.js';

describe('a host audit judges leaks by the verdict’s findings', () => {
  it('counts public and IPv6 leaks as public, local exposure as lan, and nothing else', () => {
    const findings: AuditFinding[] = [
      { code: 'public-ip-leak', severity: 'critical', address: '203.0.113.5', learnedBy: ['stun-server'] },
      { code: 'ipv6-leak', severity: 'high', address: '2001:db8::23', learnedBy: ['candidate', 'ice-check'] },
      {
        code: 'local-ip-exposed',
        severity: 'medium',
        address: '10.10.0.23',
        learnedBy: ['candidate', 'sdp'],
      },
      { code: 'mdns-stable-identifier', severity: 'low', address: 'a.local', learnedBy: ['candidate'] },
      { code: 'mdns-obfuscated', severity: 'info', address: 'a.local', learnedBy: ['candidate'] },
      { code: 'webrtc-blocked', severity: 'info', address: null, learnedBy: ['candidate'] },
    ];
    expect(leaksFromFindings(findings)).toEqual([
      { address: '203.0.113.5', role: 'public', learnedBy: ['stun-server'] },
      { address: '2001:db8::23', role: 'public', learnedBy: ['candidate', 'ice-check'] },
      { address: '10.10.0.23', role: 'lan', learnedBy: ['candidate', 'sdp'] },
    ]);
  });

  it('ignores a code this version does not know (a result from a service of another version)', () => {
    const foreign = JSON.parse(
      '[{"code":"dns-leak","severity":"high","address":"198.51.100.53","learnedBy":["stun-server"]}]',
    ) as AuditFinding[];
    expect(leaksFromFindings(foreign)).toEqual([]);
  });
});
