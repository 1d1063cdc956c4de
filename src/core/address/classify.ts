/**
 * `classifyAddress`: family and scope of any IP literal or host name a browser or packet
 * hands us, with the IANA special-purpose range it falls in (see `special-purpose.ts`).
 */
import ipaddr from 'ipaddr.js';
import { IceleakError } from '../errors.js';
import {
  type AddressScope,
  type EmbeddedVia,
  IPV4_SPECIAL_PURPOSE,
  IPV6_SPECIAL_PURPOSE,
  type SpecialPurposeRange,
} from './special-purpose.js';

export type { AddressScope, EmbeddedVia } from './special-purpose.js';

/** Longest input we parse: 253 is the longest DNS name; IPv6 with a zone fits easily. */
export const MAX_ADDRESS_LENGTH = 253;

/** The registry row an address matched. */
export interface AddressRange {
  readonly cidr: string;
  readonly name: string;
  readonly rfc: string;
}

/** The IPv4 address an IPv6 address carries (RFC 4291 §2.5.5.2, RFC 6052, RFC 3056, RFC 4380 §4). */
export interface EmbeddedIpv4 {
  readonly via: EmbeddedVia;
  readonly address: string;
  readonly scope: AddressScope;
}

/** What `classifyAddress` says about one address or name. */
export interface AddressClassification {
  readonly input: string;
  readonly family: 'IPv4' | 'IPv6' | 'name';
  /** Canonical text: dotted quad, RFC 5952 IPv6, or the lower-cased name. */
  readonly normalized: string;
  readonly scope: AddressScope;
  readonly range: AddressRange | null;
  readonly embedded?: EmbeddedIpv4;
  /**
   * True for every unicast IP literal that is not private, shared, loopback,
   * link-local, unique-local, unspecified or multicast: documentation, benchmarking and
   * reserved unicast addresses count, because the lab uses them as its "internet".
   */
  readonly publicLike: boolean;
}

interface CompiledRange {
  readonly row: SpecialPurposeRange;
  readonly network: ipaddr.IPv4 | ipaddr.IPv6;
  readonly bits: number;
}

function compile(rows: readonly SpecialPurposeRange[]): readonly CompiledRange[] {
  return rows.map((row) => {
    const [network, bits] = ipaddr.parseCIDR(row.cidr);
    return { row, network, bits };
  });
}

const IPV4_RANGES = compile(IPV4_SPECIAL_PURPOSE);
const IPV6_RANGES = compile(IPV6_SPECIAL_PURPOSE);
const [GLOBAL_UNICAST_V6, GLOBAL_UNICAST_V6_BITS] = ipaddr.IPv6.parseCIDR('2000::/3');

const LOCAL_SCOPES: ReadonlySet<AddressScope> = new Set([
  'private',
  'shared',
  'loopback',
  'link-local',
  'unique-local',
  'unspecified',
  'multicast',
  'mdns',
]);

function longestMatch(
  address: ipaddr.IPv4 | ipaddr.IPv6,
  ranges: readonly CompiledRange[],
): SpecialPurposeRange | null {
  let best: CompiledRange | null = null;
  for (const range of ranges) {
    if (range.network.kind() !== address.kind()) continue;
    // ipaddr's match() wants both sides of the same kind; checked above.
    if ((address as ipaddr.IPv4).match(range.network as ipaddr.IPv4, range.bits)) {
      if (best === null || range.bits > best.bits) best = range;
    }
  }
  return best?.row ?? null;
}

function rangeOf(row: SpecialPurposeRange | null): AddressRange | null {
  return row === null ? null : { cidr: row.cidr, name: row.name, rfc: row.rfc };
}

function classifyIpv4(input: string, ip: ipaddr.IPv4): AddressClassification {
  const row = longestMatch(ip, IPV4_RANGES);
  const scope = row?.scope ?? 'public';
  const unicast = row?.unicast ?? true;
  return {
    input,
    family: 'IPv4',
    normalized: ip.toString(),
    scope,
    range: rangeOf(row),
    publicLike: unicast && !LOCAL_SCOPES.has(scope),
  };
}

/** The IPv4 an IPv6 address carries for the given prefix. */
function carriedIpv4(ip: ipaddr.IPv6, via: EmbeddedVia): ipaddr.IPv4 {
  const b = ip.toByteArray();
  const at = (i: number): number => b[i] ?? 0;
  switch (via) {
    case 'ipv4-mapped':
    case 'nat64':
      // RFC 4291 §2.5.5.2 and RFC 6052 §2.2 (/96 well-known prefix): last 32 bits.
      return new ipaddr.IPv4([at(12), at(13), at(14), at(15)]);
    case '6to4':
      // RFC 3056 §2: 2002:V4ADDR::/48.
      return new ipaddr.IPv4([at(2), at(3), at(4), at(5)]);
    case 'teredo':
      // RFC 4380 §4: the client's mapped (public) IPv4 is the last 32 bits, inverted.
      return new ipaddr.IPv4([at(12) ^ 0xff, at(13) ^ 0xff, at(14) ^ 0xff, at(15) ^ 0xff]);
  }
}

function classifyIpv6(input: string, ip: ipaddr.IPv6): AddressClassification {
  const row = longestMatch(ip, IPV6_RANGES);
  const normalized = ip.toRFC5952String();
  if (row?.embeds !== undefined) {
    // Decision: an address that carries an IPv4 takes that IPv4's scope. An IPv4-mapped
    // address *is* the IPv4 on the wire; NAT64, 6to4 and Teredo addresses reach (and
    // reveal) the host owning that IPv4, so a carried RFC 1918 address is as local as
    // the IPv4 itself and a carried public one is as identifying. `range` still names the
    // IPv6 prefix so the report shows how it was wrapped.
    const v4 = classifyIpv4(input, carriedIpv4(ip, row.embeds));
    return {
      input,
      family: 'IPv6',
      normalized,
      scope: v4.scope,
      range: rangeOf(row),
      embedded: { via: row.embeds, address: v4.normalized, scope: v4.scope },
      publicLike: v4.publicLike,
    };
  }
  // Outside 2000::/3 and every registry row: unallocated space, never seen on a real
  // host, reported as `reserved` (still unicast-looking, hence publicLike).
  const scope = row?.scope ?? (ip.match(GLOBAL_UNICAST_V6, GLOBAL_UNICAST_V6_BITS) ? 'public' : 'reserved');
  const unicast = row?.unicast ?? true;
  return {
    input,
    family: 'IPv6',
    normalized,
    scope,
    range: rangeOf(row),
    publicLike: unicast && !LOCAL_SCOPES.has(scope),
  };
}

// RFC 1123 §2.1 host name labels; "_" tolerated because some resolvers hand them out.
const HOST_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;
// RFC 3696 §2: a top-level label is never all-numeric, so "0x7f.0.0.1" is no name either.
const NUMERIC_LAST_LABEL = /(?:^|\.)\d+\.?$/;

function invalid(input: string, why: string): IceleakError {
  return new IceleakError('E_ADDRESS_INVALID', 'address/classify', why, { input: input.slice(0, 64) });
}

/**
 * Classifies an IPv4/IPv6 literal or a host name. IPv6 may carry brackets or a zone id.
 * `.local` names (RFC 6762) are `mdns`; other names are family `name`, scope `reserved`
 * and never publicLike: without a DNS lookup (the core does none) a name says nothing
 * about the address behind it.
 */
export function classifyAddress(address: string): AddressClassification {
  if (typeof address !== 'string') throw invalid('', 'not a string');
  // Guard before any regex or parser runs: the input is untrusted.
  if (address.length === 0 || address.length > MAX_ADDRESS_LENGTH + 2) {
    throw invalid(address, `length ${address.length} outside 1..${MAX_ADDRESS_LENGTH}`);
  }
  let text = address;
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (text.includes(':')) {
    if (!ipaddr.IPv6.isValid(text)) throw invalid(address, 'not an IPv6 address');
    return classifyIpv6(address, ipaddr.IPv6.parse(text));
  }
  // Strictly four decimal parts: ipaddr also accepts "127.1" or "0x7f.0.0.1", which a
  // browser never emits in a candidate and which would hide what the address is.
  if (DOTTED_QUAD.test(text)) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(text)) throw invalid(address, 'not an IPv4 address');
    return classifyIpv4(address, ipaddr.IPv4.parse(text));
  }
  if (NUMERIC_LAST_LABEL.test(text) || !HOST_NAME.test(text))
    throw invalid(address, 'not an IP address or host name');
  const normalized = text.toLowerCase().replace(/\.$/, '');
  const mdns = normalized.endsWith('.local');
  return {
    input: address,
    family: 'name',
    normalized,
    scope: mdns ? 'mdns' : 'reserved',
    range: mdns ? { cidr: '.local', name: 'Multicast DNS', rfc: 'RFC 6762' } : null,
    publicLike: false,
  };
}
