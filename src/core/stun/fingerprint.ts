import { expectLength, StunAttributeType } from './attribute.js';
import { locateAttribute } from './received-bytes.js';

/** XOR-ed into the CRC so that other protocols' CRC-32 cannot match by accident (RFC 8489 §14.7). */
export const FINGERPRINT_XOR = 0x5354554e;

// CRC-32 of ISO 3309 / ITU-T V.42 (reflected polynomial 0xEDB88320), as RFC 8489 §14.7
// requires. Written here because node:zlib's crc32 only exists from Node 20.15.
const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 (ISO 3309) of `bytes` up to `end`, as an unsigned number. */
export function crc32(bytes: Uint8Array, end: number = bytes.length): number {
  let crc = -1;
  for (let i = 0; i < end; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/**
 * FINGERPRINT value for the message prefix `input[0, end)`, whose length field must already
 * count the FINGERPRINT attribute: CRC-32 xor 0x5354554E (RFC 8489 §14.7).
 */
export function computeFingerprint(input: Uint8Array, end: number = input.length): number {
  return (crc32(input, end) ^ FINGERPRINT_XOR) >>> 0;
}

/** Decodes a FINGERPRINT value (RFC 8489 §14.7). */
export function decodeFingerprint(value: Uint8Array): number {
  expectLength(value, 'stun/fingerprint', 4);
  return ((value[0]! << 24) | (value[1]! << 16) | (value[2]! << 8) | value[3]!) >>> 0;
}

/** Encodes a FINGERPRINT value. */
export function encodeFingerprint(fingerprint: number): Uint8Array {
  return Uint8Array.of(
    fingerprint >>> 24,
    (fingerprint >>> 16) & 0xff,
    (fingerprint >>> 8) & 0xff,
    fingerprint & 0xff,
  );
}

/** Checks FINGERPRINT on a message as received (RFC 8489 §7.3, §14.7). */
export function verifyFingerprint(bytes: Uint8Array): 'valid' | 'invalid' | 'missing' {
  const offset = locateAttribute(bytes, StunAttributeType.FINGERPRINT);
  if (offset === -1) return 'missing';
  if (((bytes[offset + 2]! << 8) | bytes[offset + 3]!) !== 4) return 'invalid';
  // FINGERPRINT MUST be the last attribute, and the header length must end with it.
  if (offset + 8 !== bytes.length || ((bytes[2]! << 8) | bytes[3]!) !== bytes.length - 20) return 'invalid';
  const received =
    ((bytes[offset + 4]! << 24) |
      (bytes[offset + 5]! << 16) |
      (bytes[offset + 6]! << 8) |
      bytes[offset + 7]!) >>>
    0;
  // FINGERPRINT is last, so the length field already counts it: the CRC input is the
  // received prefix as is (RFC 8489 §14.7), no copy needed.
  return computeFingerprint(bytes, offset) === received ? 'valid' : 'invalid';
}
