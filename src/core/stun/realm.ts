import { decodeText, encodeText } from './attribute.js';

const PLACE = 'stun/realm';
/** Largest REALM value in bytes (RFC 8489 §14.9; fewer than 128 characters). */
export const MAX_REALM_BYTES = 763;

/** Decodes a REALM value: UTF-8 text (RFC 8489 §14.9; fewer than 128 characters). */
export function decodeRealm(value: Uint8Array): string {
  return decodeText(value, PLACE, MAX_REALM_BYTES);
}

/** Encodes a REALM value, refusing text over the limit. */
export function encodeRealm(text: string): Uint8Array {
  return encodeText(text, PLACE, MAX_REALM_BYTES);
}
