import type { LearnedHow } from '../core/verdict/types.js';

/**
 * Whose an address is, according to the lab's topology. A host audit has no topology:
 * there `public` is a public address the site learned beside the HTTP-seen one, and `lan`
 * any local address it learned (the verdict's own judgement).
 */
export type AddressRole = 'lan' | 'tunnel' | 'home-public' | 'carrier-public' | 'public';

/** The part of the lab's truth the assessment needs (see `LabTruth` in src/lab). */
export interface TopologyTruth {
  readonly lan: readonly string[];
  readonly tunnel: readonly string[];
  readonly homePublic: readonly string[];
  readonly carrierPublic: readonly string[];
  /** Proxy or VPN exit addresses: what a site is meant to see. Empty when there is no proxy or VPN. */
  readonly exit: readonly string[];
}

/** An address a site learned, with every way it learned it. */
export interface LearnedAddress {
  readonly address: string;
  readonly how: readonly LearnedHow[];
}

/** An address the site learned although the topology says it should not have. */
export interface LeakedAddress {
  readonly address: string;
  readonly role: AddressRole;
  readonly learnedBy: readonly LearnedHow[];
}

/** Canonical text of an IP address for comparison (lower case, no brackets, no zone). */
function canonical(address: string): string {
  return address
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
}

/**
 * The addresses a site must not learn in this topology. LAN and tunnel addresses never;
 * the home and carrier public addresses only when a proxy or VPN is meant to hide them —
 * on a plain NAT the site sees them over HTTP anyway, so learning them again is no leak.
 */
export function secretAddresses(truth: TopologyTruth): Map<string, AddressRole> {
  const secrets = new Map<string, AddressRole>();
  const hidden = truth.exit.length > 0;
  const add = (list: readonly string[], role: AddressRole) => {
    for (const address of list) secrets.set(canonical(address), role);
  };
  if (hidden) {
    add(truth.carrierPublic, 'carrier-public');
    add(truth.homePublic, 'home-public');
  }
  add(truth.tunnel, 'tunnel');
  add(truth.lan, 'lan');
  return secrets;
}

/** What a site learned that it should not have: the learned addresses that are secrets of the topology. */
export function assessLeaks(truth: TopologyTruth, learned: readonly LearnedAddress[]): LeakedAddress[] {
  const secrets = secretAddresses(truth);
  const byAddress = new Map<string, { role: AddressRole; how: Set<LearnedHow> }>();
  for (const entry of learned) {
    const key = canonical(entry.address);
    const role = secrets.get(key);
    if (role === undefined) continue;
    const found = byAddress.get(key) ?? { role, how: new Set<LearnedHow>() };
    for (const how of entry.how) found.how.add(how);
    byAddress.set(key, found);
  }
  return [...byAddress]
    .map(([address, { role, how }]) => ({ address, role, learnedBy: [...how].sort() }))
    .sort((a, b) => a.address.localeCompare(b.address));
}
