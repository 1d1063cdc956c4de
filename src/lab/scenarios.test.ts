import { BlockList, isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type HostRole, SCENARIOS, type ScenarioDefinition } from './scenarios.js';

function blockList(cidrs: string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network = '', bits = ''] = cidr.split('/');
    list.addSubnet(network, Number(bits), isIPv6(network) ? 'ipv6' : 'ipv4');
  }
  return list;
}
/** RFC 5737 and RFC 3849 documentation ranges: the only "public" addresses the lab may use. */
const DOCUMENTATION = blockList(['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32']);
/** RFC 1918, RFC 6598 (CGNAT) and RFC 4193 (ULA): private, only ever inside the lab's namespaces. */
const PRIVATE = blockList(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7']);
const family = (address: string) => (isIPv6(address) ? 'ipv6' : 'ipv4');

function addressesOf(scenario: ScenarioDefinition, host: HostRole): string[] {
  return scenario.links
    .flatMap((link) => [link.a, link.b])
    .filter((end) => end.host === host)
    .flatMap((end) => end.addresses.map((cidr) => cidr.split('/')[0] ?? ''));
}

describe('the scenario table', () => {
  it('has every scenario of the API exactly once', () => {
    expect(SCENARIOS.map((s) => s.name).sort()).toEqual(
      ['cgnat', 'direct', 'http-proxy', 'socks5-proxy', 'vpn-full', 'vpn-ipv4-only', 'vpn-split'].sort(),
    );
  });

  describe.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
    const ends = scenario.links.flatMap((link) => [link.a, link.b]);

    it('has a client and an internet host, and links only hosts it lists', () => {
      expect(scenario.hosts).toContain('client');
      expect(scenario.hosts).toContain('internet');
      for (const end of ends) expect(scenario.hosts).toContain(end.host);
      for (const route of scenario.routes) expect(scenario.hosts).toContain(route.host);
      for (const nat of scenario.nat) expect(scenario.routers).toContain(nat.host);
    });

    it('uses interface names of at most 15 characters, unique within each host', () => {
      for (const host of scenario.hosts) {
        const names = ends.filter((e) => e.host === host).map((e) => e.ifname);
        expect(new Set(names).size).toBe(names.length);
        for (const name of names) expect(name.length).toBeLessThanOrEqual(15);
      }
    });

    it('uses only documentation and private addresses', () => {
      const all = [
        ...ends.flatMap((e) => e.addresses.map((cidr) => cidr.split('/')[0] ?? '')),
        ...scenario.routes.map((r) => r.via),
        scenario.service.ipv4,
        ...(scenario.service.ipv6 ? [scenario.service.ipv6] : []),
      ];
      for (const address of all) {
        const allowed =
          DOCUMENTATION.check(address, family(address)) || PRIVATE.check(address, family(address));
        expect(allowed, address).toBe(true);
      }
    });

    it('gives every public role of the truth a documentation address', () => {
      const { truth } = scenario;
      for (const address of [
        ...truth.homePublic,
        ...truth.carrierPublic,
        ...truth.exit,
        scenario.service.ipv4,
      ]) {
        expect(DOCUMENTATION.check(address, family(address)), address).toBe(true);
      }
      for (const address of truth.lan) expect(PRIVATE.check(address, family(address)), address).toBe(true);
    });

    it('assigns every address of the truth to the host it belongs to', () => {
      const { truth } = scenario;
      const client = addressesOf(scenario, 'client');
      for (const address of [...truth.lan, ...truth.tunnel]) expect(client).toContain(address);
      const exitHosts = [...addressesOf(scenario, 'proxy'), ...addressesOf(scenario, 'vpn')];
      for (const address of truth.exit) expect(exitHosts).toContain(address);
      const natted = [...addressesOf(scenario, 'router'), ...addressesOf(scenario, 'carrier')];
      for (const address of [...truth.homePublic, ...truth.carrierPublic]) {
        expect([...natted, ...client]).toContain(address);
      }
      if (scenario.proxy)
        expect(addressesOf(scenario, scenario.proxy.host)).toContain(scenario.proxy.address);
    });

    it('expects the service to see only addresses the truth names', () => {
      const known = [...scenario.truth.homePublic, ...scenario.truth.carrierPublic, ...scenario.truth.exit];
      for (const seen of Object.values(scenario.truth.expected))
        if (seen !== null) expect(known).toContain(seen);
    });

    it('routes every next hop through an attached subnet of the named interface', () => {
      for (const route of scenario.routes) {
        const end = ends.find((e) => e.host === route.host && e.ifname === route.dev);
        expect(end, `${route.host} has ${route.dev}`).toBeDefined();
        const onLink = blockList(
          (end?.addresses ?? []).filter((cidr) => isIPv6(route.via) === cidr.includes(':')),
        );
        expect(
          onLink.check(route.via, family(route.via)),
          `${route.host}: ${route.to} via ${route.via}`,
        ).toBe(true);
      }
    });

    it('never puts the same subnet on two links', () => {
      const subnets = scenario.links.map((link) => blockList(link.a.addresses.slice()));
      scenario.links.forEach((link, i) => {
        for (const cidr of link.b.addresses) {
          const address = cidr.split('/')[0] ?? '';
          subnets.forEach((other, j) => {
            if (j !== i) expect(other.check(address, family(address)), `${address} on two links`).toBe(false);
          });
        }
      });
    });
  });
});
