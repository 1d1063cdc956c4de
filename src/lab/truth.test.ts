import { describe, expect, it } from 'vitest';
import { findScenario } from './scenarios.js';
import { withLinkLocalAddresses } from './truth.js';

describe('withLinkLocalAddresses', () => {
  it('adds the link-local address of the LAN interface to lan and of the tunnel to tunnel', () => {
    const truth = findScenario('vpn-full')?.truth;
    if (!truth) throw new Error('no vpn-full');
    const completed = withLinkLocalAddresses(truth, [
      { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', scope: 'host' }] },
      {
        ifname: 'lan0',
        addr_info: [
          { family: 'inet', local: '10.10.0.23', scope: 'global' },
          { family: 'inet6', local: '2001:db8:1::23', scope: 'global' },
          { family: 'inet6', local: 'fe80::1:2', scope: 'link' },
        ],
      },
      {
        ifname: 'tun0',
        addr_info: [
          { family: 'inet', local: '10.8.0.2', scope: 'global' },
          { family: 'inet6', local: 'fe80::3:4', scope: 'link' },
        ],
      },
    ]);
    expect(completed.lan).toEqual(['10.10.0.23', 'fe80::1:2']);
    expect(completed.tunnel).toEqual(['10.8.0.2', 'fd08::2', 'fe80::3:4']);
    expect(truth.lan).toEqual(['10.10.0.23']); // the table row itself is not changed
  });
});
