import { expectLength } from './attribute.js';

/** Decodes USE-CANDIDATE, a flag with an empty value: the controlling agent nominates this pair (RFC 8445 §7.1.2, §16.1). */
export function decodeUseCandidate(value: Uint8Array): true {
  expectLength(value, 'stun/use-candidate', 0);
  return true;
}

/** Encodes USE-CANDIDATE: always empty. */
export function encodeUseCandidate(): Uint8Array {
  return new Uint8Array(0);
}
