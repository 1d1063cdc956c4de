import { decodeTieBreaker, encodeTieBreaker } from './tie-breaker.js';

const PLACE = 'stun/ice-controlled';

/** Decodes ICE-CONTROLLED: the sender thinks it is the controlled agent; the value is its tie-breaker (RFC 8445 §7.1.3, §16.1). */
export function decodeIceControlled(value: Uint8Array): bigint {
  return decodeTieBreaker(value, PLACE);
}

/** Encodes ICE-CONTROLLED with a 64-bit tie-breaker (RFC 8445 §16.1). */
export function encodeIceControlled(tieBreaker: bigint): Uint8Array {
  return encodeTieBreaker(tieBreaker, PLACE);
}
