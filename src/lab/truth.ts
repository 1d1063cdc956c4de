import type { LabTruth } from './scenarios.js';

/** One interface as `ip -j addr show` prints it (only the fields the lab reads). */
export interface IpAddrJson {
  ifname: string;
  addr_info?: { family: string; local: string; scope: string }[];
}

/**
 * Completes a scenario's truth with what only exists at run time: the kernel picks the
 * client's IPv6 link-local addresses (fe80::/10, RFC 4291 §2.5.6) per run, and a site that
 * learns one has learned a LAN (or tunnel) address just the same.
 */
export function withLinkLocalAddresses(truth: LabTruth, clientInterfaces: readonly IpAddrJson[]): LabTruth {
  const holding = (address: string | undefined) =>
    clientInterfaces.find((i) => address !== undefined && i.addr_info?.some((a) => a.local === address));
  const linkLocal = (iface: IpAddrJson | undefined) =>
    (iface?.addr_info ?? []).filter((a) => a.family === 'inet6' && a.scope === 'link').map((a) => a.local);
  const next = structuredClone(truth);
  next.lan.push(...linkLocal(holding(truth.lan[0])).filter((a) => !next.lan.includes(a)));
  next.tunnel.push(...linkLocal(holding(truth.tunnel[0])).filter((a) => !next.tunnel.includes(a)));
  return next;
}
