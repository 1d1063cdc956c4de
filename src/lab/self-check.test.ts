import { describe, expect, it } from 'vitest';
import { ipv6Bytes, networkOf } from './address.js';
import { unmapIPv4 } from './echo-server.js';
import { findScenario } from './scenarios.js';
import { labExpectations } from './self-check.js';

describe('the lab self-check', () => {
  it('expects HTTP through the proxy to show the exit and UDP to show the home address', () => {
    const scenario = findScenario('http-proxy');
    if (!scenario) throw new Error('no http-proxy');
    const rows = labExpectations({ service: scenario.service, truth: scenario.truth, proxy: null });
    expect(rows).toEqual([
      { target: '192.0.2.1', channel: 'http', expected: '198.51.100.7' },
      { target: '192.0.2.1', channel: 'udp', expected: '203.0.113.5' },
      { target: '2001:db8:53::1', channel: 'http', expected: '2001:db8:7::7' },
      { target: '2001:db8:53::1', channel: 'udp', expected: '2001:db8:1::23' },
    ]);
  });

  it('compares IPv4 peers of a dual-stack socket as plain IPv4', () => {
    expect(unmapIPv4('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(unmapIPv4('2001:db8:1::23')).toBe('2001:db8:1::23');
  });

  it('writes IPv6 targets of a SOCKS5 CONNECT as 16 bytes', () => {
    expect(ipv6Bytes('2001:db8:53::1').toString('hex')).toBe('20010db8005300000000000000000001');
    expect(ipv6Bytes('::1').toString('hex')).toBe('00000000000000000000000000000001');
    expect(ipv6Bytes('fd08::').toString('hex')).toBe('fd080000000000000000000000000000');
  });

  it('names the network of a link address the way ip route does', () => {
    expect(networkOf('198.51.100.49/28')).toBe('198.51.100.48/28');
    expect(networkOf('203.0.113.1/24')).toBe('203.0.113.0/24');
    expect(networkOf('2001:db8:ff01::1/64')).toBe('2001:db8:ff01::/64');
    expect(networkOf('fd08::1/64')).toBe('fd08::/64');
  });
});
