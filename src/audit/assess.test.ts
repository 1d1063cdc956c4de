import { describe, expect, it } from 'vitest';
import { assessLeaks, type TopologyTruth } from './assess.js';

const proxied: TopologyTruth = {
  lan: ['10.10.0.23', '2001:db8:1::23'],
  tunnel: [],
  homePublic: ['203.0.113.5', '2001:db8:1::23'],
  carrierPublic: [],
  exit: ['198.51.100.7'],
};

describe('assessLeaks', () => {
  it('names the home address learned by an ICE check behind a proxy as a leak', () => {
    const leaks = assessLeaks(proxied, [{ address: '203.0.113.5', how: ['ice-check', 'stun-server'] }]);
    expect(leaks).toEqual([
      { address: '203.0.113.5', role: 'home-public', learnedBy: ['ice-check', 'stun-server'] },
    ]);
  });

  it('does not count the proxy exit address as a leak', () => {
    expect(assessLeaks(proxied, [{ address: '198.51.100.7', how: ['stun-server'] }])).toEqual([]);
  });

  it('does not count the home address on a plain NAT, where HTTP shows it anyway', () => {
    const direct = { ...proxied, exit: [] };
    expect(assessLeaks(direct, [{ address: '203.0.113.5', how: ['candidate'] }])).toEqual([]);
  });

  it('always counts a LAN address, and merges the ways it was learned', () => {
    const direct = { ...proxied, exit: [] };
    const leaks = assessLeaks(direct, [
      { address: '10.10.0.23', how: ['candidate'] },
      { address: '10.10.0.23', how: ['sdp', 'candidate'] },
    ]);
    expect(leaks).toEqual([{ address: '10.10.0.23', role: 'lan', learnedBy: ['candidate', 'sdp'] }]);
  });

  it('compares IPv6 addresses case-insensitively and without brackets', () => {
    const leaks = assessLeaks(proxied, [{ address: '[2001:DB8:1::23]', how: ['ice-check'] }]);
    expect(leaks).toHaveLength(1);
    expect(leaks[0]?.role).toBe('lan');
  });
});
