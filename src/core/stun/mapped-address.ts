import { IceleakError } from '../errors.js';
import { expectLength } from './attribute.js';
import { readU8, readU16 } from './byte-reader.js';
import { bytesToIp, ipToBytes, type StunAddress } from './ip-address.js';

/** MAPPED-ADDRESS: the reflexive address in the clear, kept for RFC 3489 clients (RFC 8489 §14.1). */
export type MappedAddress = StunAddress;

const PLACE = 'stun/mapped-address';

/** Family byte values shared by MAPPED-ADDRESS and XOR-MAPPED-ADDRESS (RFC 8489 §14.1). */
export const ADDRESS_FAMILY = { IPv4: 0x01, IPv6: 0x02 } as const;

/** Reads the 1-byte family and checks the value length it implies (8 or 20 bytes). */
export function readFamily(value: Uint8Array, place: string): 'IPv4' | 'IPv6' {
  if (value.length < 4) expectLength(value, place, 8, 20);
  // The first byte is reserved: RFC 8489 §14.1 says it MUST be ignored by receivers.
  const family = readU8(value, 1, place);
  if (family === ADDRESS_FAMILY.IPv4) {
    expectLength(value, place, 8);
    return 'IPv4';
  }
  if (family === ADDRESS_FAMILY.IPv6) {
    expectLength(value, place, 20);
    return 'IPv6';
  }
  throw new IceleakError('E_STUN_BAD_ATTRIBUTE', place, `unknown address family 0x${family.toString(16)}`);
}

/** Checks a port before it is written in 16 bits. */
export function checkPort(port: number, place: string): void {
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) {
    throw new IceleakError('E_STUN_BAD_ADDRESS', place, `port ${port} is not a 16-bit number`);
  }
}

/** Decodes a MAPPED-ADDRESS value (RFC 8489 §14.1). */
export function decodeMappedAddress(value: Uint8Array): MappedAddress {
  const family = readFamily(value, PLACE);
  const port = readU16(value, 2, PLACE);
  return { family, address: bytesToIp(value.subarray(4)), port };
}

/** Encodes a MAPPED-ADDRESS value (RFC 8489 §14.1). */
export function encodeMappedAddress(address: MappedAddress): Uint8Array {
  checkPort(address.port, PLACE);
  const ip = ipToBytes(address.family, address.address, PLACE);
  const out = new Uint8Array(4 + ip.length);
  out[1] = ADDRESS_FAMILY[address.family];
  out[2] = address.port >> 8;
  out[3] = address.port & 0xff;
  out.set(ip, 4);
  return out;
}
