import { IceleakError } from '../errors.js';

/**
 * Attribute type codes iceleak knows (RFC 8489 §18.3, RFC 8445 §16.1, RFC 5780 is not needed).
 * Codes below 0x8000 are comprehension-required (RFC 8489 §14).
 */
export const StunAttributeType = {
  'MAPPED-ADDRESS': 0x0001,
  USERNAME: 0x0006,
  'MESSAGE-INTEGRITY': 0x0008,
  'ERROR-CODE': 0x0009,
  'UNKNOWN-ATTRIBUTES': 0x000a,
  REALM: 0x0014,
  NONCE: 0x0015,
  'MESSAGE-INTEGRITY-SHA256': 0x001c,
  'XOR-MAPPED-ADDRESS': 0x0020,
  PRIORITY: 0x0024,
  'USE-CANDIDATE': 0x0025,
  SOFTWARE: 0x8022,
  FINGERPRINT: 0x8028,
  'ICE-CONTROLLED': 0x8029,
  'ICE-CONTROLLING': 0x802a,
} as const;

/** Name of an attribute this codec decodes into a typed value. */
export type KnownAttributeName = keyof typeof StunAttributeType;

/** True for types 0x0000-0x7FFF, which an agent must understand or reject (RFC 8489 §14). */
export function isComprehensionRequired(type: number): boolean {
  return type < 0x8000;
}

/** Bytes of padding after a value of `length` bytes: values are aligned on 4 bytes (RFC 8489 §14). */
export function paddingFor(length: number): number {
  return (4 - (length & 3)) & 3;
}

/** Throws the codec's error for a value of the wrong size. */
export function expectLength(value: Uint8Array, place: string, ...allowed: number[]): void {
  if (!allowed.includes(value.length)) {
    throw new IceleakError(
      'E_STUN_BAD_ATTRIBUTE',
      place,
      `value is ${value.length} bytes, expected ${allowed.join(' or ')}`,
    );
  }
}
