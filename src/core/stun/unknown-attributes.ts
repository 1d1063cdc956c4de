import { IceleakError } from '../errors.js';
import { readU16 } from './byte-reader.js';

const PLACE = 'stun/unknown-attributes';

/** Decodes UNKNOWN-ATTRIBUTES: the 16-bit types a 420 response did not understand (RFC 8489 §14.13). */
export function decodeUnknownAttributes(value: Uint8Array): number[] {
  if ((value.length & 1) !== 0) {
    throw new IceleakError(
      'E_STUN_BAD_ATTRIBUTE',
      PLACE,
      `value is ${value.length} bytes, not a list of 16-bit types`,
    );
  }
  const types: number[] = [];
  for (let i = 0; i < value.length; i += 2) types.push(readU16(value, i, PLACE));
  return types;
}

/** Encodes UNKNOWN-ATTRIBUTES (RFC 8489 §14.13). */
export function encodeUnknownAttributes(types: readonly number[]): Uint8Array {
  const out = new Uint8Array(types.length * 2);
  types.forEach((type, i) => {
    if (!Number.isInteger(type) || type < 0 || type > 0xffff) {
      throw new IceleakError('E_STUN_BAD_ATTRIBUTE', PLACE, `${type} is not a 16-bit attribute type`);
    }
    out[2 * i] = type >> 8;
    out[2 * i + 1] = type & 0xff;
  });
  return out;
}
