import { networkOf } from './address.js';
import type { Topology } from './topology.js';

/** Prefix of every lab namespace; `iceleak lab clean` matches on it. */
export const LAB_NAMESPACE_PREFIX = 'il-';

/**
 * The commands that build one topology (a scenario row or a custom network), computed
 * without touching the system (sans-IO): `netns.ts` runs them. Lines are `ip -batch` lines,
 * run with `ip -n <namespace> -batch -`.
 */
export interface LabPlan {
  id: string;
  /** Host role → namespace name, e.g. `client` → `il-3fa9c2-client`. */
  namespaces: Record<string, string>;
  /**
   * Step 1: one `ip -batch` run that creates every namespace, then every veth pair with both
   * ends created straight inside their namespaces (the host namespace never holds them).
   */
  create: string[];
  /** Step 2: per namespace, addresses, link state and routes. */
  configure: Record<string, string[]>;
  /** Step 2 (parallel): per router namespace, `sysctl -w` assignments. */
  sysctls: Record<string, string[]>;
  /** Step 2 (parallel): per NAT namespace, an `nft -f -` ruleset. */
  nft: Record<string, string>;
}

/** A fresh lab id: 6 hex digits, so a namespace name stays short (`il-3fa9c2-internet`). */
export function newLabId(random: () => number = Math.random): string {
  return Math.floor(random() * 0x1000000)
    .toString(16)
    .padStart(6, '0');
}

/** The namespace name of `role` in lab `id`. */
export function namespaceName(id: string, role: string): string {
  return `${LAB_NAMESPACE_PREFIX}${id}-${role}`;
}

/**
 * The link-local address of one end of one link: unique on its link (the two ends differ)
 * and fixed per topology, so a lab's addresses are all known once it is built.
 */
export function linkLocalAddress(linkIndex: number, endIndex: number): string {
  return `fe80::${(linkIndex + 1).toString(16)}:${(endIndex + 1).toString(16)}`;
}

/** Walks one topology (a scenario row, or a custom network) into the commands that build it. */
export function planLab(topology: Topology, id: string): LabPlan {
  const namespaces: Record<string, string> = {};
  for (const host of topology.hosts) namespaces[host] = namespaceName(id, host);
  const ns = (role: string): string => {
    const name = namespaces[role];
    if (name === undefined) throw new Error(`topology of lab ${id}: host ${role} is used but not listed`);
    return name;
  };

  const create = topology.hosts.map((host) => `netns add ${ns(host)}`);
  const configure: Record<string, string[]> = {};
  for (const host of topology.hosts) configure[ns(host)] = ['link set lo up'];
  const push = (table: Record<string, string[]>, name: string, line: string) => {
    const lines = table[name] ?? [];
    lines.push(line);
    table[name] = lines;
  };

  for (const [linkIndex, link] of topology.links.entries()) {
    create.push(
      `link add name ${link.a.ifname} netns ${ns(link.a.host)} type veth peer name ${link.b.ifname} netns ${ns(link.b.host)}`,
    );
    for (const [endIndex, end] of [link.a, link.b].entries()) {
      // A settled network from the first packet: the kernel would give each link a link-local
      // address (RFC 4291 §2.5.6) only after duplicate address detection, 1-3 s after `up`,
      // and Chromium aborts every request in flight with ERR_NETWORK_CHANGED when that
      // address appears. So the lab assigns it itself, without DAD, before the link goes up.
      push(configure, ns(end.host), `link set dev ${end.ifname} addrgenmode none`);
      push(
        configure,
        ns(end.host),
        `addr add ${linkLocalAddress(linkIndex, endIndex)}/64 dev ${end.ifname} nodad`,
      );
      for (const address of end.addresses) {
        // nodad: the lab's IPv6 addresses must be usable at once, not after duplicate detection.
        push(
          configure,
          ns(end.host),
          `addr add ${address} dev ${end.ifname}${address.includes(':') ? ' nodad' : ''}`,
        );
      }
      push(configure, ns(end.host), `link set ${end.ifname} up`);
    }
  }
  const { service } = topology;
  if (service?.ipv4) push(configure, ns('internet'), `addr add ${service.ipv4}/32 dev lo`);
  if (service?.ipv6) push(configure, ns('internet'), `addr add ${service.ipv6}/128 dev lo nodad`);
  // Everything the internet host sends leaves from the service addresses. A server bound to a
  // wildcard address would otherwise answer UDP from a link address, which the home router's
  // NAT cannot match to the flow and drops: the lab must not punish such a server.
  const sourceOf = (address: string): string | null =>
    service === null ? null : address.includes(':') ? service.ipv6 : service.ipv4;
  for (const end of topology.links.flatMap((link) => [link.a, link.b]).filter((e) => e.host === 'internet')) {
    for (const cidr of end.addresses) {
      const src = sourceOf(cidr);
      if (src === null) continue;
      const kernelRoute = cidr.includes(':') ? 'proto kernel metric 256' : 'proto kernel scope link';
      push(
        configure,
        ns('internet'),
        `route replace ${networkOf(cidr)} dev ${end.ifname} ${kernelRoute} src ${src}`,
      );
    }
  }
  for (const route of topology.routes) {
    // `ip -batch` lines take no family option: spell the IPv6 default route as ::/0.
    const { via } = route;
    const to = route.to === 'default' && via?.includes(':') ? '::/0' : route.to;
    const src = route.host === 'internet' && via ? sourceOf(via) : null;
    push(
      configure,
      ns(route.host),
      `route add ${to}${via ? ` via ${via}` : ''} dev ${route.dev}${src ? ` src ${src}` : ''}`,
    );
  }

  const sysctls: Record<string, string[]> = {};
  for (const host of topology.routers) {
    sysctls[ns(host)] = ['net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1'];
  }

  const nft = natRulesets(topology, ns);

  return {
    id,
    namespaces,
    create,
    configure,
    sysctls,
    nft,
  };
}

/** Per NAT host namespace, the `nft -f -` ruleset that masquerades its rules' outgoing interfaces. */
function natRulesets(topology: Topology, ns: (role: string) => string): Record<string, string> {
  const nft: Record<string, string> = {};
  const natByHost = new Map<string, string[]>();
  for (const rule of topology.nat) {
    const rules = natByHost.get(ns(rule.host)) ?? [];
    rules.push(
      `    meta nfproto ${rule.family === 'ip' ? 'ipv4' : 'ipv6'} oifname "${rule.outIf}" masquerade`,
    );
    natByHost.set(ns(rule.host), rules);
  }
  for (const [name, rules] of natByHost) {
    // One inet table per NAT host: masquerade is what a home router, a carrier or a VPN server does.
    nft[name] = [
      'table inet iceleak_nat {',
      '  chain postrouting {',
      '    type nat hook postrouting priority srcnat; policy accept;',
      ...rules,
      '  }',
      '}',
      '',
    ].join('\n');
  }
  return nft;
}
