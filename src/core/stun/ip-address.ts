import { IceleakError } from '../errors.js';
import { readU16 } from './byte-reader.js';

/** An IP address as text plus its family, as socket APIs and STUN address attributes carry it. */
export type IpFamily = 'IPv4' | 'IPv6';

/** A transport address (RFC 8489 §3): what MAPPED-ADDRESS and XOR-MAPPED-ADDRESS carry. */
export interface StunAddress {
  readonly family: IpFamily;
  /** Dotted quad, or RFC 5952 text for IPv6 (lower case, longest zero run compressed). */
  readonly address: string;
  readonly port: number;
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function bad(address: string, place: string): IceleakError {
  return new IceleakError(
    'E_STUN_BAD_ADDRESS',
    place,
    `not an IP address literal: ${JSON.stringify(address)}`,
  );
}

/** The 4 or 16 bytes of an IPv4 dotted quad or IPv6 text (RFC 4291 §2.2); `place` names the caller. */
export function ipToBytes(family: IpFamily, address: string, place = 'stun/address'): Uint8Array {
  // Guard the input before any regex runs: no literal is longer than 45 characters.
  if (address.length > 45) throw bad(address.slice(0, 48), place);
  if (family === 'IPv4') {
    const out = parseIpv4(address);
    if (out === undefined) throw bad(address, place);
    return out;
  }
  const out = new Uint8Array(16);
  let text = address;
  // A zone (fe80::1%eth0) is local to this host and not part of the address.
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  let tailBytes: number[] = [];
  const lastColon = text.lastIndexOf(':');
  if (lastColon !== -1 && text.includes('.', lastColon)) {
    const m = IPV4.exec(text.slice(lastColon + 1));
    if (!m) throw bad(address, place);
    tailBytes = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) throw bad(address, place);
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').map((h) => {
          if (!HEXTET.test(h)) throw bad(address, place);
          return Number.parseInt(h, 16);
        });
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (halves.length === 1 ? head.length !== 8 : head.length + tail.length > 7) throw bad(address, place);
  const words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  if (tailBytes.length === 4) out.set(tailBytes, 12);
  return out;
}

// dec-octet "." dec-octet "." dec-octet "." dec-octet (RFC 3986 §3.2.2: no leading zeros).
// A loop, not IPV4.exec: this runs once per response the server sends.
function parseIpv4(text: string): Uint8Array | undefined {
  const out = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? 46 : text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 3) return undefined;
      out[part++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return undefined;
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return part === 4 ? out : undefined;
}

/** Text form of 4 or 16 address bytes: dotted quad, or RFC 5952 §4 canonical IPv6. */
export function bytesToIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(readU16(bytes, i, 'stun/address'));
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad, as inet_ntop prints them.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${bytes.subarray(12, 16).join('.')}`;
  }
  // §4.2.1-4.2.3: compress the longest run of two or more zero words, the first on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
