/**
 * The lab's scenarios as ONE typed table: each row lists the hosts (namespaces), the links
 * between them with their addresses, the routes, the NATs and the proxy. `plan.ts` walks a
 * row into commands; nothing else in the lab knows what a scenario looks like.
 *
 * "Public" addresses come only from the documentation ranges (RFC 5737, RFC 3849);
 * private ones (RFC 1918, RFC 6598, RFC 4193) exist only inside the lab's namespaces.
 */

import type {
  LinkSpec as GenericLinkSpec,
  NatSpec as GenericNatSpec,
  RouteSpec as GenericRouteSpec,
  Topology,
} from './topology.js';

/** The scenarios iceleak's lab can build. */
export type ScenarioName =
  | 'direct'
  | 'cgnat'
  | 'http-proxy'
  | 'socks5-proxy'
  | 'vpn-full'
  | 'vpn-ipv4-only'
  | 'vpn-split';

/** A host of the lab; each becomes one network namespace. `client` and `internet` always exist. */
export type HostRole = 'client' | 'router' | 'carrier' | 'internet' | 'proxy' | 'vpn';

type LinkSpec = GenericLinkSpec<HostRole>;
/** A route of a scenario always names its gateway. */
export type ScenarioRoute = GenericRouteSpec<HostRole> & { via: string };
type NatSpec = GenericNatSpec<HostRole>;

/** A proxy on the "internet" (an existing implementation: tinyproxy or microsocks). */
export interface ProxySpec {
  kind: 'http' | 'socks5';
  host: HostRole;
  address: string;
  port: number;
  /** Source addresses allowed to use the proxy (the home address). */
  allow: readonly string[];
}

/** What the topology says is true: which addresses are whose. */
export interface LabTruth {
  /** The client's LAN addresses (v4 private, v6 if any): never to be learned by a site. */
  lan: string[];
  /** The home router's public v4 and the LAN's native global v6 client address(es). */
  homePublic: string[];
  /** cgnat: the carrier's public address. */
  carrierPublic: string[];
  /** Proxy / VPN exit addresses (what a site is *meant* to see). */
  exit: string[];
  /** VPN tunnel interface addresses of the client. */
  tunnel: string[];
  /** What the service should see from the client (HTTP via the proxy if any; UDP direct). */
  expected: {
    httpSourceIPv4: string;
    httpSourceIPv6: string | null;
    udpSourceIPv4: string;
    udpSourceIPv6: string | null;
  };
}

/** One row of the scenario table: a topology (`client` and `internet` always among its hosts) and what it means. */
export interface ScenarioDefinition extends Topology<HostRole> {
  name: ScenarioName;
  description: string;
  routes: readonly ScenarioRoute[];
  proxy: ProxySpec | null;
  /** Where iceleak's service listens (on the internet host's `lo`). */
  service: { ipv4: string; ipv6: string | null };
  truth: LabTruth;
}

// ── Shared address plan (see docs/lab.md for the diagrams) ──────────────────────────────
const SERVICE = { ipv4: '192.0.2.1', ipv6: '2001:db8:53::1' } as const;
const CLIENT_LAN4 = '10.10.0.23';
const CLIENT_LAN6 = '2001:db8:1::23';
const HOME_PUBLIC4 = '203.0.113.5';
const CARRIER_PUBLIC4 = '203.0.113.77';
const PROXY4 = '198.51.100.7';
const PROXY6 = '2001:db8:7::7';
const VPN_EXIT4 = '198.51.100.50';
const VPN_EXIT6 = '2001:db8:ee::50';
const TUNNEL4 = '10.8.0.2';
const TUNNEL6 = 'fd08::2';

/** Client ↔ home router: the home LAN, with native global IPv6 (routed, not NATed). */
const HOME_LAN: LinkSpec = {
  a: { host: 'client', ifname: 'lan0', addresses: [`${CLIENT_LAN4}/24`, `${CLIENT_LAN6}/64`] },
  b: { host: 'router', ifname: 'lan0', addresses: ['10.10.0.1/24', '2001:db8:1::1/64'] },
};
/** Home router ↔ internet: the router's WAN holds the home public address. */
const HOME_WAN: LinkSpec = {
  a: { host: 'router', ifname: 'wan0', addresses: [`${HOME_PUBLIC4}/24`, '2001:db8:ff01::5/64'] },
  b: { host: 'internet', ifname: 'home0', addresses: ['203.0.113.1/24', '2001:db8:ff01::1/64'] },
};
/** Client routes of a plain home network. */
const CLIENT_VIA_HOME: ScenarioRoute[] = [
  { host: 'client', to: 'default', via: '10.10.0.1', dev: 'lan0' },
  { host: 'client', to: 'default', via: '2001:db8:1::1', dev: 'lan0' },
];
const ROUTER_VIA_INTERNET: ScenarioRoute[] = [
  { host: 'router', to: 'default', via: '203.0.113.1', dev: 'wan0' },
  { host: 'router', to: 'default', via: '2001:db8:ff01::1', dev: 'wan0' },
];
/** The internet knows where the home's native IPv6 prefix lives. */
const INTERNET_TO_HOME6: ScenarioRoute = {
  host: 'internet',
  to: '2001:db8:1::/64',
  via: '2001:db8:ff01::5',
  dev: 'home0',
};
const HOME_NAT: NatSpec = { host: 'router', family: 'ip', outIf: 'wan0' };

const PROXY_LINK: LinkSpec = {
  a: { host: 'proxy', ifname: 'eth0', addresses: [`${PROXY4}/26`, `${PROXY6}/64`] },
  b: { host: 'internet', ifname: 'prx0', addresses: ['198.51.100.1/26', '2001:db8:7::1/64'] },
};
const PROXY_ROUTES: ScenarioRoute[] = [
  { host: 'proxy', to: 'default', via: '198.51.100.1', dev: 'eth0' },
  { host: 'proxy', to: 'default', via: '2001:db8:7::1', dev: 'eth0' },
];

/** The "VPN server" as seen from the internet, holding the exit addresses. */
function vpnWan(ipv6: boolean): LinkSpec {
  return {
    a: { host: 'vpn', ifname: 'wan0', addresses: [`${VPN_EXIT4}/28`, ...(ipv6 ? [`${VPN_EXIT6}/64`] : [])] },
    b: {
      host: 'internet',
      ifname: 'vpn0',
      addresses: ['198.51.100.49/28', ...(ipv6 ? ['2001:db8:ee::1/64'] : [])],
    },
  };
}
/** The tunnel: a veth pair named like a tun device (no encryption, routing effect only). */
function vpnTunnel(ipv6: boolean): LinkSpec {
  return {
    a: { host: 'client', ifname: 'tun0', addresses: [`${TUNNEL4}/24`, ...(ipv6 ? [`${TUNNEL6}/64`] : [])] },
    b: { host: 'vpn', ifname: 'tun0', addresses: ['10.8.0.1/24', ...(ipv6 ? ['fd08::1/64'] : [])] },
  };
}
function vpnRoutes(ipv6: boolean): ScenarioRoute[] {
  const routes: ScenarioRoute[] = [{ host: 'vpn', to: 'default', via: '198.51.100.49', dev: 'wan0' }];
  if (ipv6) routes.push({ host: 'vpn', to: 'default', via: '2001:db8:ee::1', dev: 'wan0' });
  return routes;
}
function vpnNat(ipv6: boolean): NatSpec[] {
  return [
    { host: 'vpn', family: 'ip', outIf: 'wan0' },
    ...(ipv6 ? [{ host: 'vpn', family: 'ip6', outIf: 'wan0' } as NatSpec] : []),
  ];
}

const HOME_HOSTS: HostRole[] = ['client', 'router', 'internet'];
const NO_TUNNEL = { carrierPublic: [], exit: [], tunnel: [] };
const HOME_EXPECTED = {
  httpSourceIPv4: HOME_PUBLIC4,
  httpSourceIPv6: CLIENT_LAN6,
  udpSourceIPv4: HOME_PUBLIC4,
  udpSourceIPv6: CLIENT_LAN6,
};

function proxyScenario(kind: 'http' | 'socks5'): ScenarioDefinition {
  return {
    name: kind === 'http' ? 'http-proxy' : 'socks5-proxy',
    description:
      kind === 'http'
        ? `direct, plus an HTTP proxy (tinyproxy) on the internet whose exit is ${PROXY4}`
        : `direct, plus a SOCKS5 proxy (microsocks) on the internet whose exit is ${PROXY4}`,
    hosts: [...HOME_HOSTS, 'proxy'],
    routers: ['router', 'internet'],
    links: [HOME_LAN, HOME_WAN, PROXY_LINK],
    routes: [...CLIENT_VIA_HOME, ...ROUTER_VIA_INTERNET, INTERNET_TO_HOME6, ...PROXY_ROUTES],
    nat: [HOME_NAT],
    proxy: {
      kind,
      host: 'proxy',
      address: PROXY4,
      port: kind === 'http' ? 8888 : 1080,
      allow: [HOME_PUBLIC4, CLIENT_LAN6],
    },
    service: SERVICE,
    truth: {
      lan: [CLIENT_LAN4],
      homePublic: [HOME_PUBLIC4, CLIENT_LAN6],
      carrierPublic: [],
      exit: [PROXY4, PROXY6],
      tunnel: [],
      expected: {
        httpSourceIPv4: PROXY4,
        httpSourceIPv6: PROXY6,
        udpSourceIPv4: HOME_PUBLIC4,
        udpSourceIPv6: CLIENT_LAN6,
      },
    },
  };
}

function vpnScenario(name: 'vpn-full' | 'vpn-ipv4-only' | 'vpn-split'): ScenarioDefinition {
  const tunnel6 = name !== 'vpn-ipv4-only';
  const clientRoutes: ScenarioRoute[] = [
    { host: 'client', to: 'default', via: '10.8.0.1', dev: 'tun0' },
    tunnel6
      ? { host: 'client', to: 'default', via: 'fd08::1', dev: 'tun0' }
      : { host: 'client', to: 'default', via: '2001:db8:1::1', dev: 'lan0' },
  ];
  if (name === 'vpn-split') {
    // The split: the service's prefixes go to the home router instead of the tunnel.
    clientRoutes.push(
      { host: 'client', to: '192.0.2.0/24', via: '10.10.0.1', dev: 'lan0' },
      { host: 'client', to: '2001:db8:53::/48', via: '2001:db8:1::1', dev: 'lan0' },
    );
  }
  const exit = tunnel6 ? [VPN_EXIT4, VPN_EXIT6] : [VPN_EXIT4];
  const description = {
    'vpn-full': `all client IPv4 and IPv6 routed through a VPN that NATs to ${VPN_EXIT4} / ${VPN_EXIT6}`,
    'vpn-ipv4-only': `the VPN carries IPv4 only (exit ${VPN_EXIT4}); IPv6 goes out natively from ${CLIENT_LAN6}`,
    'vpn-split': `full VPN, but routes send the service's prefixes (192.0.2.0/24, 2001:db8:53::/48) via the home router`,
  }[name];
  const expected =
    name === 'vpn-full'
      ? {
          httpSourceIPv4: VPN_EXIT4,
          httpSourceIPv6: VPN_EXIT6,
          udpSourceIPv4: VPN_EXIT4,
          udpSourceIPv6: VPN_EXIT6,
        }
      : name === 'vpn-ipv4-only'
        ? {
            httpSourceIPv4: VPN_EXIT4,
            httpSourceIPv6: CLIENT_LAN6,
            udpSourceIPv4: VPN_EXIT4,
            udpSourceIPv6: CLIENT_LAN6,
          }
        : HOME_EXPECTED;
  return {
    name,
    description,
    hosts: [...HOME_HOSTS, 'vpn'],
    routers: ['router', 'internet', 'vpn'],
    links: [HOME_LAN, HOME_WAN, vpnTunnel(tunnel6), vpnWan(tunnel6)],
    routes: [...clientRoutes, ...ROUTER_VIA_INTERNET, INTERNET_TO_HOME6, ...vpnRoutes(tunnel6)],
    nat: [HOME_NAT, ...vpnNat(tunnel6)],
    proxy: null,
    service: SERVICE,
    truth: {
      lan: [CLIENT_LAN4],
      homePublic: [HOME_PUBLIC4, CLIENT_LAN6],
      carrierPublic: [],
      exit,
      tunnel: tunnel6 ? [TUNNEL4, TUNNEL6] : [TUNNEL4],
      expected,
    },
  };
}

/** Every scenario of the lab, in the order `iceleak lab list` shows them. */
export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'direct',
    description: `client ${CLIENT_LAN4} on a home LAN behind a NAT router (public ${HOME_PUBLIC4}), native IPv6 ${CLIENT_LAN6}`,
    hosts: HOME_HOSTS,
    routers: ['router', 'internet'],
    links: [HOME_LAN, HOME_WAN],
    routes: [...CLIENT_VIA_HOME, ...ROUTER_VIA_INTERNET, INTERNET_TO_HOME6],
    nat: [HOME_NAT],
    proxy: null,
    service: SERVICE,
    truth: {
      lan: [CLIENT_LAN4],
      homePublic: [HOME_PUBLIC4, CLIENT_LAN6],
      ...NO_TUNNEL,
      expected: HOME_EXPECTED,
    },
  },
  {
    name: 'cgnat',
    description: `the home router's WAN is 100.64.0.5 (RFC 6598) behind a carrier NAT whose public address is ${CARRIER_PUBLIC4}`,
    hosts: ['client', 'router', 'carrier', 'internet'],
    routers: ['router', 'carrier', 'internet'],
    links: [
      HOME_LAN,
      {
        a: { host: 'router', ifname: 'wan0', addresses: ['100.64.0.5/24', '2001:db8:64::5/64'] },
        b: { host: 'carrier', ifname: 'cpe0', addresses: ['100.64.0.1/24', '2001:db8:64::1/64'] },
      },
      {
        a: { host: 'carrier', ifname: 'wan0', addresses: [`${CARRIER_PUBLIC4}/24`, '2001:db8:ff02::77/64'] },
        b: { host: 'internet', ifname: 'isp0', addresses: ['203.0.113.1/24', '2001:db8:ff02::1/64'] },
      },
    ],
    routes: [
      ...CLIENT_VIA_HOME,
      { host: 'router', to: 'default', via: '100.64.0.1', dev: 'wan0' },
      { host: 'router', to: 'default', via: '2001:db8:64::1', dev: 'wan0' },
      { host: 'carrier', to: 'default', via: '203.0.113.1', dev: 'wan0' },
      { host: 'carrier', to: 'default', via: '2001:db8:ff02::1', dev: 'wan0' },
      { host: 'carrier', to: '2001:db8:1::/64', via: '2001:db8:64::5', dev: 'cpe0' },
      { host: 'internet', to: '2001:db8:1::/64', via: '2001:db8:ff02::77', dev: 'isp0' },
    ],
    nat: [HOME_NAT, { host: 'carrier', family: 'ip', outIf: 'wan0' }],
    proxy: null,
    service: SERVICE,
    truth: {
      lan: [CLIENT_LAN4],
      homePublic: [CLIENT_LAN6],
      carrierPublic: [CARRIER_PUBLIC4],
      exit: [],
      tunnel: [],
      expected: {
        httpSourceIPv4: CARRIER_PUBLIC4,
        httpSourceIPv6: CLIENT_LAN6,
        udpSourceIPv4: CARRIER_PUBLIC4,
        udpSourceIPv6: CLIENT_LAN6,
      },
    },
  },
  proxyScenario('http'),
  proxyScenario('socks5'),
  vpnScenario('vpn-full'),
  vpnScenario('vpn-ipv4-only'),
  vpnScenario('vpn-split'),
];

/** The scenario called `name`, or undefined: how a name from outside (the CLI) is checked, once. */
export function findScenario(name: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** The row of a scenario id; a `ScenarioName` was checked where it came in, so this cannot miss. */
export function scenarioRow(name: ScenarioName): ScenarioDefinition {
  const row = findScenario(name);
  if (!row) throw new Error(`the scenario table has no row "${name}"`);
  return row;
}
