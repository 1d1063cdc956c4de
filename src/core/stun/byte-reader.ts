import { IceleakError } from '../errors.js';

/*
 * Unsigned integers read from received bytes in network order (RFC 8489 §5: most
 * significant byte first). Every read is bounds-checked: a read past the end is the codec's
 * E_STUN_TRUNCATED error naming `place`, never an `undefined` turned into 0 by a shift.
 */

function pastEnd(bytes: Uint8Array, offset: number, size: number, place: string): IceleakError {
  return new IceleakError(
    'E_STUN_TRUNCATED',
    place,
    `${size}-byte read at offset ${offset} is outside the ${bytes.length} bytes present`,
  );
}

/** The byte at `offset`. */
export function readU8(bytes: Uint8Array, offset: number, place: string): number {
  const byte = bytes[offset];
  if (byte === undefined) throw pastEnd(bytes, offset, 1, place);
  return byte;
}

/** The 16-bit number at `offset`. */
export function readU16(bytes: Uint8Array, offset: number, place: string): number {
  const high = bytes[offset];
  const low = bytes[offset + 1];
  if (high === undefined || low === undefined) throw pastEnd(bytes, offset, 2, place);
  return (high << 8) | low;
}

/** The 32-bit number at `offset`, unsigned. */
export function readU32(bytes: Uint8Array, offset: number, place: string): number {
  const b0 = bytes[offset];
  const b1 = bytes[offset + 1];
  const b2 = bytes[offset + 2];
  const b3 = bytes[offset + 3];
  if (b0 === undefined || b1 === undefined || b2 === undefined || b3 === undefined) {
    throw pastEnd(bytes, offset, 4, place);
  }
  return ((b0 << 24) | (b1 << 16) | (b2 << 8) | b3) >>> 0;
}
