import { describe, expect, it } from 'vitest';
import type { StunBindingObservation } from '../core/observation.js';
import { confirmingBindings, stunServerEndpoint } from './confirm.js';
import type { ScriptFinding } from './rules.js';

const binding = (port: number, time: number, local = '198.51.100.1'): StunBindingObservation => ({
  kind: 'stun-binding',
  transport: 'udp',
  source: { address: '203.0.113.5', port, family: 'IPv4' },
  local: { address: local, port: 3478, family: 'IPv4' },
  time,
  transactionId: '00'.repeat(12),
});

const finding = (harvested: ScriptFinding['evidence']['harvested']): ScriptFinding => ({
  script: 'https://a.example/t.js',
  classifications: ['public-ip-harvest'],
  harvesting: true,
  evidence: { calls: [], iceServers: ['stun:198.51.100.1:3478'], harvested, exfiltration: [] },
});

describe('stunServerEndpoint', () => {
  it.each([
    ['stun:198.51.100.1:3478', { host: '198.51.100.1', port: 3478 }],
    ['stun:stun.example.org', { host: 'stun.example.org', port: 3478 }],
    ['turns:[2001:db8::1]?transport=tcp', { host: '2001:db8::1', port: 5349 }],
    ['https://x.example', null],
  ])('%s', (url, want) => expect(stunServerEndpoint(url)).toEqual(want));
});

describe('confirmingBindings', () => {
  it('matches the Binding request from the port of the srflx candidate the script read', () => {
    const f = finding([
      { candidate: 'c', address: '203.0.113.5', port: 4000, type: 'srflx', relatedAddress: null },
    ]);
    expect(
      confirmingBindings(f, [binding(4000, 1), binding(4001, 1)], { from: 0, to: 0 }).map(
        (o) => o.source.port,
      ),
    ).toEqual([4000]);
  });
  it('falls back to the page time window when no srflx port was read', () => {
    expect(
      confirmingBindings(finding([]), [binding(1, 50), binding(2, 500)], { from: 0, to: 100 }),
    ).toHaveLength(1);
  });
  it('ignores requests to other servers', () => {
    expect(confirmingBindings(finding([]), [binding(1, 50, '198.51.100.2')], { from: 0, to: 100 })).toEqual(
      [],
    );
  });
});
