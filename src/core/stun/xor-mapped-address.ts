import { readU8, readU16 } from './byte-reader.js';
import { MAGIC_COOKIE } from './header.js';
import { bytesToIp, ipToBytes, type StunAddress } from './ip-address.js';
import { ADDRESS_FAMILY, checkPort, readFamily } from './mapped-address.js';

/**
 * XOR-MAPPED-ADDRESS: the reflexive transport address, XOR-ed with the magic cookie (and
 * the transaction id for IPv6) so that NATs rewriting addresses in payloads miss it
 * (RFC 8489 §14.2).
 */
export type XorMappedAddress = StunAddress;

const PLACE = 'stun/xor-mapped-address';

/**
 * The address bytes XOR magic cookie || transaction id (RFC 8489 §14.2). Bytes a short
 * transaction id lacks count as zero: encoding then fails on the header, which needs 12.
 */
function xorAddress(ip: Uint8Array, transactionId: Uint8Array): Uint8Array {
  const out = new Uint8Array(ip.length);
  for (let i = 0; i < ip.length; i++) {
    const mask = i < 4 ? (MAGIC_COOKIE >>> (24 - 8 * i)) & 0xff : (transactionId[i - 4] ?? 0);
    out[i] = readU8(ip, i, PLACE) ^ mask;
  }
  return out;
}

/** Decodes an XOR-MAPPED-ADDRESS value given the message's transaction id (RFC 8489 §14.2). */
export function decodeXorMappedAddress(value: Uint8Array, transactionId: Uint8Array): XorMappedAddress {
  const family = readFamily(value, PLACE);
  // The port is XOR-ed with the most significant 16 bits of the magic cookie.
  const port = readU16(value, 2, PLACE) ^ (MAGIC_COOKIE >>> 16);
  return { family, address: bytesToIp(xorAddress(value.subarray(4), transactionId)), port };
}

/** Encodes an XOR-MAPPED-ADDRESS value for the message with `transactionId` (RFC 8489 §14.2). */
export function encodeXorMappedAddress(address: XorMappedAddress, transactionId: Uint8Array): Uint8Array {
  checkPort(address.port, PLACE);
  const ip = xorAddress(ipToBytes(address.family, address.address, PLACE), transactionId);
  const port = address.port ^ (MAGIC_COOKIE >>> 16);
  const out = new Uint8Array(4 + ip.length);
  out[1] = ADDRESS_FAMILY[address.family];
  out[2] = port >> 8;
  out[3] = port & 0xff;
  out.set(ip, 4);
  return out;
}
