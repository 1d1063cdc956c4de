import { bytesToIp, ipToBytes, type StunAddress } from './ip-address.js';
import { ADDRESS_FAMILY, checkPort, readFamily } from './mapped-address.js';

/**
 * XOR-MAPPED-ADDRESS: the reflexive transport address, XOR-ed with the magic cookie (and
 * the transaction id for IPv6) so that NATs rewriting addresses in payloads miss it
 * (RFC 8489 §14.2).
 */
export type XorMappedAddress = StunAddress;

const PLACE = 'stun/xor-mapped-address';

/** XOR of the address bytes with magic cookie || transaction id, in place (RFC 8489 §14.2). */
function xorAddress(ip: Uint8Array, transactionId: Uint8Array): void {
  const mask = [0x21, 0x12, 0xa4, 0x42];
  for (let i = 0; i < ip.length; i++) ip[i]! ^= i < 4 ? mask[i]! : transactionId[i - 4]!;
}

/** Decodes an XOR-MAPPED-ADDRESS value given the message's transaction id (RFC 8489 §14.2). */
export function decodeXorMappedAddress(value: Uint8Array, transactionId: Uint8Array): XorMappedAddress {
  const family = readFamily(value, PLACE);
  const port = ((value[2]! << 8) | value[3]!) ^ 0x2112;
  const ip = new Uint8Array(value.subarray(4));
  xorAddress(ip, transactionId);
  return { family, address: bytesToIp(ip), port };
}

/** Encodes an XOR-MAPPED-ADDRESS value for the message with `transactionId` (RFC 8489 §14.2). */
export function encodeXorMappedAddress(address: XorMappedAddress, transactionId: Uint8Array): Uint8Array {
  checkPort(address.port, PLACE);
  const ip = ipToBytes(address.family, address.address, PLACE);
  xorAddress(ip, transactionId);
  const port = address.port ^ 0x2112;
  const out = new Uint8Array(4 + ip.length);
  out[1] = ADDRESS_FAMILY[address.family];
  out[2] = port >> 8;
  out[3] = port & 0xff;
  out.set(ip, 4);
  return out;
}
