/**
 * A network of namespaces as data: hosts (one namespace each), the veth links between them
 * with their addresses, routes, forwarding and NAT. `plan.ts` walks one into commands.
 * Every scenario row (scenarios.ts) is one; a test or a fixture capture that needs a network
 * of its own describes it the same way and builds it with `startNetwork` (lab.ts), so it gets
 * the lab's names (`il-<id>-<role>`), state record and cleanup.
 */

/** One end of a link: an interface (name ≤ 15 chars, unique within its host) and its addresses in CIDR form. */
export interface LinkEnd<Role extends string = string> {
  host: Role;
  ifname: string;
  addresses: readonly string[];
}

/** A point-to-point link: a veth pair created straight inside the two namespaces (both ends may be in one). */
export interface LinkSpec<Role extends string = string> {
  a: LinkEnd<Role>;
  b: LinkEnd<Role>;
}

/** A route in one host. */
export interface RouteSpec<Role extends string = string> {
  host: Role;
  /** `default` or a CIDR prefix. */
  to: string;
  /** The gateway; the route's family follows from it. Absent: a device route (IPv4), `default dev il0`. */
  via?: string;
  dev: string;
}

/** Source NAT (nft masquerade) of everything a host forwards out of `outIf`. */
export interface NatSpec<Role extends string = string> {
  host: Role;
  family: 'ip' | 'ip6';
  outIf: string;
}

/** A whole network. Host names are lowercase letters: they end namespace names that `lab clean` matches. */
export interface Topology<Role extends string = string> {
  /** Hosts in creation order. */
  hosts: readonly Role[];
  /** Hosts that forward packets (IPv4 and IPv6 forwarding on). */
  routers: readonly Role[];
  links: readonly LinkSpec<Role>[];
  routes: readonly RouteSpec<Role>[];
  nat: readonly NatSpec<Role>[];
  /**
   * Addresses on the `internet` host's `lo` where a service listens and from which everything
   * that host sends leaves (see plan.ts); null when the network has no such host.
   */
  service: { ipv4: string; ipv6: string | null } | null;
}
