/**
 * The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and successors),
 * one typed row per registry entry, plus the two multicast blocks (RFC 5771, RFC 4291
 * §2.7) that live in their own registries. `classifyAddress` picks the longest match.
 */

/** Scope of an address as iceleak reports it (what the verdict reasons about). */
export type AddressScope =
  | 'public'
  | 'private'
  | 'shared'
  | 'loopback'
  | 'link-local'
  | 'unique-local'
  | 'unspecified'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'mdns';

/** How an IPv6 prefix carries an IPv4 address inside it. */
export type EmbeddedVia = 'ipv4-mapped' | 'nat64' | '6to4' | 'teredo';

/** One row of the special-purpose registries. */
export interface SpecialPurposeRange {
  readonly cidr: string;
  /** The registry's "Name" column. */
  readonly name: string;
  /** The registry's "RFC" column. */
  readonly rfc: string;
  /**
   * The registry's "Globally Reachable" column; null where it says N/A (Teredo, 6to4) or
   * is left blank (the terminated 192.88.99.0/24 and 2001:10::/28 rows), and for the two
   * multicast rows, whose registries have no such column.
   */
  readonly globallyReachable: boolean | null;
  readonly scope: AddressScope;
  /**
   * False for blocks whose addresses never name one unicast host (broadcast), so they
   * are never "public-like" even though their scope is `reserved`.
   */
  readonly unicast: boolean;
  /** Set on the prefixes that carry an IPv4 address. */
  readonly embeds?: EmbeddedVia;
}

/*
 * Checked row by row (CIDR, Name, RFC, Globally Reachable) against the IANA registries
 * as last updated 2025-10-09 (the "Last Updated" date of both pages in the copy checked):
 *   https://www.iana.org/assignments/iana-ipv4-special-registry/iana-ipv4-special-registry.xhtml
 *   https://www.iana.org/assignments/iana-ipv6-special-registry/iana-ipv6-special-registry.xhtml
 * (CSV exports: iana-ipv4-special-registry-1.csv, iana-ipv6-special-registry-1.csv in the
 * same folders). All 25 IPv4 entries (IANA's single 192.0.0.170/32, 192.0.0.171/32 entry
 * is split into two rows here) and all 25 IPv6 entries, in registry order; the multicast rows come
 * from the IPv4 Multicast Address Space (RFC 5771) and IPv6 Address Space registries.
 */

/** IANA IPv4 Special-Purpose Address Registry, plus 224.0.0.0/4 multicast (RFC 5771). */
export const IPV4_SPECIAL_PURPOSE: readonly SpecialPurposeRange[] = [
  {
    cidr: '0.0.0.0/8',
    name: '"This network"',
    rfc: 'RFC 791 §3.2',
    globallyReachable: false,
    scope: 'reserved',
    unicast: false,
  },
  {
    cidr: '0.0.0.0/32',
    name: '"This host on this network"',
    rfc: 'RFC 1122 §3.2.1.3',
    globallyReachable: false,
    scope: 'unspecified',
    unicast: false,
  },
  {
    cidr: '10.0.0.0/8',
    name: 'Private-Use',
    rfc: 'RFC 1918',
    globallyReachable: false,
    scope: 'private',
    unicast: true,
  },
  {
    cidr: '100.64.0.0/10',
    name: 'Shared Address Space',
    rfc: 'RFC 6598',
    globallyReachable: false,
    scope: 'shared',
    unicast: true,
  },
  {
    cidr: '127.0.0.0/8',
    name: 'Loopback',
    rfc: 'RFC 1122 §3.2.1.3',
    globallyReachable: false,
    scope: 'loopback',
    unicast: true,
  },
  {
    cidr: '169.254.0.0/16',
    name: 'Link Local',
    rfc: 'RFC 3927',
    globallyReachable: false,
    scope: 'link-local',
    unicast: true,
  },
  {
    cidr: '172.16.0.0/12',
    name: 'Private-Use',
    rfc: 'RFC 1918',
    globallyReachable: false,
    scope: 'private',
    unicast: true,
  },
  {
    cidr: '192.0.0.0/24',
    name: 'IETF Protocol Assignments',
    rfc: 'RFC 6890 §2.1',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '192.0.0.0/29',
    name: 'IPv4 Service Continuity Prefix',
    rfc: 'RFC 7335',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '192.0.0.8/32',
    name: 'IPv4 dummy address',
    rfc: 'RFC 7600',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '192.0.0.9/32',
    name: 'Port Control Protocol Anycast',
    rfc: 'RFC 7723',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '192.0.0.10/32',
    name: 'Traversal Using Relays around NAT Anycast',
    rfc: 'RFC 8155',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '192.0.0.170/32',
    name: 'NAT64/DNS64 Discovery',
    rfc: 'RFC 8880, RFC 7050 §2.2',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '192.0.0.171/32',
    name: 'NAT64/DNS64 Discovery',
    rfc: 'RFC 8880, RFC 7050 §2.2',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '192.0.2.0/24',
    name: 'Documentation (TEST-NET-1)',
    rfc: 'RFC 5737',
    globallyReachable: false,
    scope: 'documentation',
    unicast: true,
  },
  {
    cidr: '192.31.196.0/24',
    name: 'AS112-v4',
    rfc: 'RFC 7535',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '192.52.193.0/24',
    name: 'AMT',
    rfc: 'RFC 7450',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '192.88.99.0/24',
    name: 'Deprecated (6to4 Relay Anycast)',
    rfc: 'RFC 7526',
    globallyReachable: null,
    scope: 'reserved',
    unicast: true,
  },
  {
    // Still a live registry row (not terminated) although it sits inside the /24 above.
    cidr: '192.88.99.2/32',
    name: '6a44-relay anycast address',
    rfc: 'RFC 6751',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '192.168.0.0/16',
    name: 'Private-Use',
    rfc: 'RFC 1918',
    globallyReachable: false,
    scope: 'private',
    unicast: true,
  },
  {
    cidr: '192.175.48.0/24',
    name: 'Direct Delegation AS112 Service',
    rfc: 'RFC 7534',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '198.18.0.0/15',
    name: 'Benchmarking',
    rfc: 'RFC 2544',
    globallyReachable: false,
    scope: 'benchmarking',
    unicast: true,
  },
  {
    cidr: '198.51.100.0/24',
    name: 'Documentation (TEST-NET-2)',
    rfc: 'RFC 5737',
    globallyReachable: false,
    scope: 'documentation',
    unicast: true,
  },
  {
    cidr: '203.0.113.0/24',
    name: 'Documentation (TEST-NET-3)',
    rfc: 'RFC 5737',
    globallyReachable: false,
    scope: 'documentation',
    unicast: true,
  },
  {
    cidr: '224.0.0.0/4',
    name: 'Multicast',
    rfc: 'RFC 5771',
    globallyReachable: null,
    scope: 'multicast',
    unicast: false,
  },
  {
    cidr: '240.0.0.0/4',
    name: 'Reserved',
    rfc: 'RFC 1112 §4',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '255.255.255.255/32',
    name: 'Limited Broadcast',
    rfc: 'RFC 8190, RFC 919 §7',
    globallyReachable: false,
    scope: 'reserved',
    unicast: false,
  },
];

/** IANA IPv6 Special-Purpose Address Registry, plus ff00::/8 multicast (RFC 4291 §2.7). */
export const IPV6_SPECIAL_PURPOSE: readonly SpecialPurposeRange[] = [
  {
    cidr: '::1/128',
    name: 'Loopback Address',
    rfc: 'RFC 4291',
    globallyReachable: false,
    scope: 'loopback',
    unicast: true,
  },
  {
    cidr: '::/128',
    name: 'Unspecified Address',
    rfc: 'RFC 4291',
    globallyReachable: false,
    scope: 'unspecified',
    unicast: false,
  },
  {
    cidr: '::ffff:0:0/96',
    name: 'IPv4-mapped Address',
    rfc: 'RFC 4291',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
    embeds: 'ipv4-mapped',
  },
  {
    cidr: '64:ff9b::/96',
    name: 'IPv4-IPv6 Translat.',
    rfc: 'RFC 6052',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
    embeds: 'nat64',
  },
  {
    cidr: '64:ff9b:1::/48',
    name: 'IPv4-IPv6 Translat.',
    rfc: 'RFC 8215',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '100::/64',
    name: 'Discard-Only Address Block',
    rfc: 'RFC 6666',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '100:0:0:1::/64',
    name: 'Dummy IPv6 Prefix',
    rfc: 'RFC 9780',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '2001::/23',
    name: 'IETF Protocol Assignments',
    rfc: 'RFC 2928',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '2001::/32',
    name: 'TEREDO',
    rfc: 'RFC 4380, RFC 8190',
    globallyReachable: null,
    scope: 'reserved',
    unicast: true,
    embeds: 'teredo',
  },
  {
    cidr: '2001:1::1/128',
    name: 'Port Control Protocol Anycast',
    rfc: 'RFC 7723',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '2001:1::2/128',
    name: 'Traversal Using Relays around NAT Anycast',
    rfc: 'RFC 8155',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '2001:1::3/128',
    name: 'DNS-SD Service Registration Protocol Anycast',
    rfc: 'RFC 9665',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '2001:2::/48',
    name: 'Benchmarking',
    rfc: 'RFC 5180, RFC Errata 1752',
    globallyReachable: false,
    scope: 'benchmarking',
    unicast: true,
  },
  {
    cidr: '2001:3::/32',
    name: 'AMT',
    rfc: 'RFC 7450',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '2001:4:112::/48',
    name: 'AS112-v6',
    rfc: 'RFC 7535',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '2001:10::/28',
    name: 'Deprecated (previously ORCHID)',
    rfc: 'RFC 4843',
    globallyReachable: null,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '2001:20::/28',
    name: 'ORCHIDv2',
    rfc: 'RFC 7343',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '2001:30::/28',
    name: 'Drone Remote ID Protocol Entity Tags (DETs) Prefix',
    rfc: 'RFC 9374',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '2001:db8::/32',
    name: 'Documentation',
    rfc: 'RFC 3849',
    globallyReachable: false,
    scope: 'documentation',
    unicast: true,
  },
  {
    cidr: '2002::/16',
    name: '6to4',
    rfc: 'RFC 3056',
    globallyReachable: null,
    scope: 'reserved',
    unicast: true,
    embeds: '6to4',
  },
  {
    cidr: '2620:4f:8000::/48',
    name: 'Direct Delegation AS112 Service',
    rfc: 'RFC 7534',
    globallyReachable: true,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: '3fff::/20',
    name: 'Documentation',
    rfc: 'RFC 9637',
    globallyReachable: false,
    scope: 'documentation',
    unicast: true,
  },
  {
    cidr: '5f00::/16',
    name: 'Segment Routing (SRv6) SIDs',
    rfc: 'RFC 9602',
    globallyReachable: false,
    scope: 'reserved',
    unicast: true,
  },
  {
    cidr: 'fc00::/7',
    name: 'Unique-Local',
    rfc: 'RFC 4193, RFC 8190',
    globallyReachable: false,
    scope: 'unique-local',
    unicast: true,
  },
  {
    cidr: 'fe80::/10',
    name: 'Link-Local Unicast',
    rfc: 'RFC 4291',
    globallyReachable: false,
    scope: 'link-local',
    unicast: true,
  },
  {
    cidr: 'ff00::/8',
    name: 'Multicast',
    rfc: 'RFC 4291 §2.7',
    globallyReachable: null,
    scope: 'multicast',
    unicast: false,
  },
];
