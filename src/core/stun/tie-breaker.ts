import { IceleakError } from '../errors.js';
import { expectLength } from './attribute.js';

/** Reads the 64-bit tie-breaker of ICE-CONTROLLED / ICE-CONTROLLING (RFC 8445 §16.1). */
export function decodeTieBreaker(value: Uint8Array, place: string): bigint {
  expectLength(value, place, 8);
  return new DataView(value.buffer, value.byteOffset, 8).getBigUint64(0);
}

/** Writes a 64-bit tie-breaker (RFC 8445 §16.1). */
export function encodeTieBreaker(tieBreaker: bigint, place: string): Uint8Array {
  if (tieBreaker < 0n || tieBreaker > 0xffffffffffffffffn) {
    throw new IceleakError('E_STUN_BAD_ATTRIBUTE', place, 'tie-breaker is not a 64-bit unsigned number');
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, tieBreaker);
  return out;
}
