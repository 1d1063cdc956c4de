/**
 * The ICE candidate attribute, RFC 8839 §5.1 (with RFC 6544 §4.5 `tcptype`):
 * `parseCandidate` / `formatCandidate`. Lines come from untrusted pages, so the length is
 * capped before anything else runs and every failure is one `IceleakError` saying which
 * token failed and where.
 */
import { IceleakError } from '../errors.js';

/** Longest candidate line we parse. Browsers emit ~100–250 characters. */
export const MAX_CANDIDATE_LENGTH = 1024;

/** cand-type, RFC 8839 §5.1 / RFC 8445 §5.1.1. */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay';

/** tcp-type, RFC 6544 §4.5. */
export type TcpType = 'active' | 'passive' | 'so';

/** A `cand-extension` (extension-att-name SP extension-att-value), kept in line order. */
export interface CandidateExtension {
  readonly name: string;
  readonly value: string;
}

/** One ICE candidate, RFC 8839 §5.1, field names after the RFC's grammar. */
export interface IceCandidate {
  readonly foundation: string;
  /** component-id: 1 = RTP (or the only component with bundle/rtcp-mux). */
  readonly component: number;
  /** Transport as written ("udp", "UDP", "tcp", "TCP"): kept for round-trip. Compare lower-cased. */
  readonly transport: string;
  readonly priority: number;
  /** connection-address: IPv4, IPv6 or FQDN (mDNS `<uuid>.local`). */
  readonly address: string;
  readonly port: number;
  readonly type: CandidateType;
  /** rel-addr, or null when absent. */
  readonly relatedAddress: string | null;
  /** rel-port, or null when absent. */
  readonly relatedPort: number | null;
  /** RFC 6544 tcp-type; formatted right after rel-addr/rel-port, where browsers put it. */
  readonly tcpType: TcpType | null;
  /** Every other extension attribute (`generation`, `ufrag`, `network-id`, `network-cost`, unknown ones), in order. */
  readonly extensions: readonly CandidateExtension[];
}

const CANDIDATE_TYPES: readonly CandidateType[] = ['host', 'srflx', 'prflx', 'relay'];
const TCP_TYPES: readonly TcpType[] = ['active', 'passive', 'so'];

// ice-char = ALPHA / DIGIT / "+" / "/"
const FOUNDATION = /^[A-Za-z0-9+/]{1,32}$/;
const DIGITS = /^[0-9]+$/;
// token (RFC 4566 §9): the characters an extension-att-name may use.
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;
// VCHAR (%x21-7E): extension-att-value = *VCHAR, one token since SP separates attributes.
const VCHARS = /^[\x21-\x7e]+$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_CHARS = /^[0-9A-Fa-f:.]{2,45}$/;
const FQDN =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

interface Token {
  readonly text: string;
  /** Offset of the token's first character in the caller's line. */
  readonly position: number;
}

function syntax(place: string, message: string, token: Token | null, fallbackPosition: number): IceleakError {
  return new IceleakError('E_CANDIDATE_SYNTAX', `candidate/${place}`, message, {
    position: token?.position ?? fallbackPosition,
    token: token?.text.slice(0, 64) ?? null,
  });
}

/** RFC 4291 §2.2 text form, checked by structure (no zone ids: SDP never carries them). */
function isIpv6(text: string): boolean {
  if (!IPV6_CHARS.test(text)) return false;
  let head = text;
  let groupsForV4 = 0;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!IPV4.test(tail)) return false;
    head = `${text.slice(0, lastColon + 1)}0`;
    groupsForV4 = 1;
  }
  const halves = head.split('::');
  if (halves.length > 2) return false;
  const groups = (part: string): string[] | null => {
    if (part === '') return [];
    const g = part.split(':');
    return g.every((x) => /^[0-9A-Fa-f]{1,4}$/.test(x)) ? g : null;
  };
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (left === null || right === null) return false;
  const count = left.length + right.length + groupsForV4;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** connection-address (RFC 8839 §5.1 via RFC 4566): IPv4 / IPv6 / FQDN. */
function isConnectionAddress(text: string): boolean {
  if (text.includes(':')) return isIpv6(text);
  if (/^[0-9.]+$/.test(text)) return IPV4.test(text);
  return FQDN.test(text);
}

function tokenize(line: string, start: number): Token[] {
  const tokens: Token[] = [];
  const re = /[^ ]+/g;
  re.lastIndex = start;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) tokens.push({ text: m[0], position: m.index });
  return tokens;
}

function parsePort(place: string, token: Token | undefined, end: number): number {
  // port = 1*DIGIT (RFC 4566 §9); 0 is legal (rport 0 is seen in the wild, see below).
  if (token === undefined) throw syntax(place, 'missing port', null, end);
  if (!DIGITS.test(token.text) || token.text.length > 5 || Number(token.text) > 65535) {
    throw syntax(place, 'port must be 0..65535', token, end);
  }
  return Number(token.text);
}

/**
 * Parses a `candidate-attribute` (RFC 8839 §5.1), with or without the `a=` and
 * `candidate:` prefixes, as RTCIceCandidate.candidate or an SDP line carries it.
 */
export function parseCandidate(line: string): IceCandidate {
  if (typeof line !== 'string') throw syntax('line', 'not a string', null, 0);
  if (line.length > MAX_CANDIDATE_LENGTH) {
    throw new IceleakError(
      'E_CANDIDATE_TOO_LONG',
      'candidate/line',
      `longer than ${MAX_CANDIDATE_LENGTH} characters`,
      {
        position: MAX_CANDIDATE_LENGTH,
        token: null,
      },
    );
  }
  // Tolerated: a trailing CR or LF from an SDP split on "\n" only.
  const text = line.replace(/[\r\n]+$/, '');
  if (/[^\x20-\x7e]/.test(text)) {
    const at = text.search(/[^\x20-\x7e]/);
    throw syntax('line', 'control or non-ASCII character', { text: text.charAt(at), position: at }, at);
  }
  let start = 0;
  if (text.startsWith('a=')) start = 2;
  // "candidate" ":"  — case-insensitive like every SDP attribute name.
  if (text.slice(start, start + 10).toLowerCase() === 'candidate:') start += 10;
  const tokens = tokenize(text, start);
  const end = text.length;
  let i = 0;
  const next = (): Token | undefined => tokens[i++];

  // foundation = 1*32ice-char
  const foundation = next();
  if (foundation === undefined || !FOUNDATION.test(foundation.text)) {
    throw syntax('foundation', 'foundation must be 1-32 ice-chars', foundation ?? null, end);
  }
  // component-id = 1*3DIGIT (RFC 8839); RFC 5245 allowed 1*5DIGIT, which we still accept.
  const component = next();
  if (component === undefined || !DIGITS.test(component.text) || component.text.length > 5) {
    throw syntax('component', 'component-id must be 1-5 digits', component ?? null, end);
  }
  // transport = "UDP" / transport-extension; browsers only emit UDP and TCP (RFC 6544).
  const transport = next();
  if (transport === undefined || !/^(?:udp|tcp)$/i.test(transport.text)) {
    throw syntax('transport', 'transport must be udp or tcp', transport ?? null, end);
  }
  // priority = 1*10DIGIT, and RFC 8445 §5.1.2 makes it a 32-bit value.
  const priority = next();
  if (
    priority === undefined ||
    !DIGITS.test(priority.text) ||
    priority.text.length > 10 ||
    Number(priority.text) > 0xffffffff
  ) {
    throw syntax('priority', 'priority must be 0..2^32-1', priority ?? null, end);
  }
  // connection-address = IPv4 / IPv6 / FQDN; FQDN includes mDNS "<uuid>.local" (draft-ietf-mmusic-mdns-ice-candidates)
  const address = next();
  if (address === undefined || !isConnectionAddress(address.text)) {
    throw syntax('address', 'connection-address must be an IPv4, IPv6 or FQDN', address ?? null, end);
  }
  // port
  const port = parsePort('port', next(), end);
  // cand-type = "typ" SP candidate-types
  const typ = next();
  if (typ === undefined || typ.text !== 'typ') throw syntax('type', 'expected "typ"', typ ?? null, end);
  // candidate-types = "host" / "srflx" / "prflx" / "relay" / token
  const type = next();
  if (type === undefined || !CANDIDATE_TYPES.includes(type.text as CandidateType)) {
    throw syntax('type', 'candidate type must be host, srflx, prflx or relay', type ?? null, end);
  }

  let relatedAddress: string | null = null;
  let relatedPort: number | null = null;
  let tcpType: TcpType | null = null;
  const extensions: CandidateExtension[] = [];
  while (i < tokens.length) {
    const name = next() as Token;
    const value = next();
    if (value === undefined)
      throw syntax('extension', `attribute "${name.text.slice(0, 32)}" has no value`, name, end);
    if (name.text === 'raddr' && relatedAddress === null && extensions.length === 0 && tcpType === null) {
      // rel-addr = "raddr" SP connection-address. Seen in the wild: Firefox and Chromium
      // send "raddr 0.0.0.0 rport 0" for srflx when the host address is hidden.
      if (!isConnectionAddress(value.text))
        throw syntax('raddr', 'raddr must be an IPv4, IPv6 or FQDN', value, end);
      relatedAddress = value.text;
    } else if (name.text === 'rport' && relatedPort === null && extensions.length === 0 && tcpType === null) {
      // rel-port = "rport" SP port
      relatedPort = parsePort('rport', value, end);
    } else if (name.text === 'tcptype' && tcpType === null) {
      // tcp-type-ext = "tcptype" SP tcp-type (RFC 6544 §4.5); tcp-type = "active" / "passive" / "so"
      if (!TCP_TYPES.includes(value.text as TcpType))
        throw syntax('tcptype', 'tcptype must be active, passive or so', value, end);
      tcpType = value.text as TcpType;
    } else {
      // cand-extension = extension-att-name SP extension-att-value. Seen in the wild:
      // Chromium's trailing "generation 0 ufrag X network-id 1 network-cost 10".
      if (!TOKEN.test(name.text)) throw syntax('extension', 'extension name must be a token', name, end);
      if (!VCHARS.test(value.text)) throw syntax('extension', 'extension value must be VCHARs', value, end);
      extensions.push({ name: name.text, value: value.text });
    }
  }
  return {
    foundation: foundation.text,
    component: Number(component.text),
    transport: transport.text,
    priority: Number(priority.text),
    address: address.text,
    port,
    type: type.text as CandidateType,
    relatedAddress,
    relatedPort,
    tcpType,
    extensions,
  };
}

/**
 * Formats a candidate as RTCIceCandidate.candidate does (`candidate:` prefix, no `a=`).
 * The result is re-parsed, so an invalid object throws the same typed error.
 */
export function formatCandidate(c: IceCandidate): string {
  const parts = [
    `candidate:${c.foundation}`,
    String(c.component),
    c.transport,
    String(c.priority),
    c.address,
    String(c.port),
    'typ',
    c.type,
  ];
  if (c.relatedAddress !== null) parts.push('raddr', c.relatedAddress);
  if (c.relatedPort !== null) parts.push('rport', String(c.relatedPort));
  if (c.tcpType !== null) parts.push('tcptype', c.tcpType);
  for (const e of c.extensions) parts.push(e.name, e.value);
  const line = parts.join(' ');
  const check = parseCandidate(line);
  // Extensions named like the typed fields would be re-read as those fields.
  if (check.extensions.length !== c.extensions.length) {
    throw syntax('extension', 'extension duplicates raddr, rport or tcptype', null, 0);
  }
  return line;
}

/** The value of the first extension attribute with this name (e.g. `ufrag`), or null. */
export function candidateExtension(c: IceCandidate, name: string): string | null {
  return c.extensions.find((e) => e.name === name)?.value ?? null;
}
