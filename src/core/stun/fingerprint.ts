import { IceleakError } from '../errors.js';
import { expectLength, StunAttributeType } from './attribute.js';
import { readU16, readU32 } from './byte-reader.js';
import { locateAttribute } from './received-bytes.js';

/** XOR-ed into the CRC so that other protocols' CRC-32 cannot match by accident (RFC 8489 §14.7). */
export const FINGERPRINT_XOR = 0x5354554e;

const PLACE = 'stun/fingerprint';

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
  // The bounds check is inline, not byte-reader's readU8: this loop runs over every byte
  // of every message, and calling the shared helper here measured several times slower.
  for (let i = 0; i < end; i++) {
    const byte = bytes[i];
    if (byte === undefined) {
      throw new IceleakError('E_STUN_TRUNCATED', PLACE, `CRC over ${end} bytes, ${bytes.length} present`);
    }
    // Masked to 0-255, the index is always a row of the table.
    crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  }
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
  expectLength(value, PLACE, 4);
  return readU32(value, 0, PLACE);
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
  if (readU16(bytes, offset + 2, PLACE) !== 4) return 'invalid';
  // FINGERPRINT MUST be the last attribute, and the header length must end with it.
  if (offset + 8 !== bytes.length || readU16(bytes, 2, PLACE) !== bytes.length - 20) return 'invalid';
  const received = readU32(bytes, offset + 4, PLACE);
  // FINGERPRINT is last, so the length field already counts it: the CRC input is the
  // received prefix as is (RFC 8489 §14.7), no copy needed.
  return computeFingerprint(bytes, offset) === received ? 'valid' : 'invalid';
}
