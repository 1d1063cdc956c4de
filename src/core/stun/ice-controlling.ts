import { decodeTieBreaker, encodeTieBreaker } from './tie-breaker.js';

const PLACE = 'stun/ice-controlling';

/** Decodes ICE-CONTROLLING: the sender thinks it is the controlling agent; the value is its tie-breaker (RFC 8445 §7.1.3, §16.1). */
export function decodeIceControlling(value: Uint8Array): bigint {
  return decodeTieBreaker(value, PLACE);
}

/** Encodes ICE-CONTROLLING with a 64-bit tie-breaker (RFC 8445 §16.1). */
export function encodeIceControlling(tieBreaker: bigint): Uint8Array {
  return encodeTieBreaker(tieBreaker, PLACE);
}
