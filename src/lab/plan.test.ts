import { describe, expect, it } from 'vitest';
import { namespaceName, newLabId, planLab } from './plan.js';
import { findScenario, type ScenarioName } from './scenarios.js';

function scenario(name: ScenarioName) {
  const found = findScenario(name);
  if (!found) throw new Error(`no ${name}`);
  return found;
}

describe('planLab', () => {
  it('names every namespace il-<id>-<role>, one per host', () => {
    const plan = planLab(scenario('http-proxy'), 'a1b2c3');
    expect(plan.namespaces).toEqual({
      client: 'il-a1b2c3-client',
      router: 'il-a1b2c3-router',
      internet: 'il-a1b2c3-internet',
      proxy: 'il-a1b2c3-proxy',
    });
    expect(plan.create.slice(0, 4)).toEqual(Object.values(plan.namespaces).map((ns) => `netns add ${ns}`));
  });

  it('creates each veth pair once, both ends straight inside their namespaces', () => {
    const plan = planLab(scenario('direct'), 'a1b2c3');
    expect(plan.create.slice(3)).toEqual([
      'link add name lan0 netns il-a1b2c3-client type veth peer name lan0 netns il-a1b2c3-router',
      'link add name wan0 netns il-a1b2c3-router type veth peer name home0 netns il-a1b2c3-internet',
    ]);
  });

  it('configures the client of direct: lo, its own link-local and LAN addresses (IPv6 without DAD) and both default routes', () => {
    const plan = planLab(scenario('direct'), 'a1b2c3');
    expect(plan.configure['il-a1b2c3-client']).toEqual([
      'link set lo up',
      'link set dev lan0 addrgenmode none',
      'addr add fe80::1:1/64 dev lan0 nodad',
      'addr add 10.10.0.23/24 dev lan0',
      'addr add 2001:db8:1::23/64 dev lan0 nodad',
      'link set lan0 up',
      'route add default via 10.10.0.1 dev lan0',
      'route add ::/0 via 2001:db8:1::1 dev lan0',
    ]);
  });

  it('puts the service addresses on the internet namespace lo', () => {
    const lines = planLab(scenario('direct'), 'a1b2c3').configure['il-a1b2c3-internet'] ?? [];
    expect(lines).toContain('addr add 192.0.2.1/32 dev lo');
    expect(lines).toContain('addr add 2001:db8:53::1/128 dev lo nodad');
  });

  it('turns forwarding on in routers only', () => {
    const plan = planLab(scenario('vpn-full'), 'a1b2c3');
    expect(Object.keys(plan.sysctls).sort()).toEqual([
      'il-a1b2c3-internet',
      'il-a1b2c3-router',
      'il-a1b2c3-vpn',
    ]);
    expect(plan.sysctls['il-a1b2c3-vpn']).toEqual([
      'net.ipv4.ip_forward=1',
      'net.ipv6.conf.all.forwarding=1',
    ]);
  });

  it('masquerades IPv4 and IPv6 at the full VPN, IPv4 only at the IPv4-only VPN', () => {
    const full = planLab(scenario('vpn-full'), 'a1b2c3').nft['il-a1b2c3-vpn'] ?? '';
    expect(full).toContain('meta nfproto ipv4 oifname "wan0" masquerade');
    expect(full).toContain('meta nfproto ipv6 oifname "wan0" masquerade');
    const v4only = planLab(scenario('vpn-ipv4-only'), 'a1b2c3').nft['il-a1b2c3-vpn'] ?? '';
    expect(v4only).toContain('meta nfproto ipv4 oifname "wan0" masquerade');
    expect(v4only).not.toContain('ipv6');
  });

  it('routes the service prefixes outside the tunnel in vpn-split only', () => {
    const split = planLab(scenario('vpn-split'), 'a1b2c3').configure['il-a1b2c3-client'] ?? [];
    expect(split).toContain('route add 192.0.2.0/24 via 10.10.0.1 dev lan0');
    expect(split).toContain('route add 2001:db8:53::/48 via 2001:db8:1::1 dev lan0');
    const full = planLab(scenario('vpn-full'), 'a1b2c3').configure['il-a1b2c3-client'] ?? [];
    expect(full.filter((line) => line.includes('192.0.2.0/24'))).toEqual([]);
  });

  it('NATs twice in cgnat: at the home router and at the carrier', () => {
    const plan = planLab(scenario('cgnat'), 'a1b2c3');
    expect(Object.keys(plan.nft).sort()).toEqual(['il-a1b2c3-carrier', 'il-a1b2c3-router']);
  });
});

describe('lab ids', () => {
  it('are 6 lowercase hex digits, so il-<id>-internet stays short', () => {
    expect(newLabId(() => 0)).toBe('000000');
    expect(newLabId(() => 0.999999999)).toBe('ffffff');
    expect(namespaceName('0a0b0c', 'internet')).toBe('il-0a0b0c-internet');
  });
});

describe('the internet host', () => {
  it('sends everything from the service addresses, so wildcard-bound servers survive NAT', () => {
    const lines = planLab(scenario('direct'), 'a1b2c3').configure['il-a1b2c3-internet'] ?? [];
    expect(lines).toContain('route replace 203.0.113.0/24 dev home0 proto kernel scope link src 192.0.2.1');
    expect(lines).toContain(
      'route replace 2001:db8:ff01::/64 dev home0 proto kernel metric 256 src 2001:db8:53::1',
    );
    expect(lines).toContain('route add 2001:db8:1::/64 via 2001:db8:ff01::5 dev home0 src 2001:db8:53::1');
  });
});
