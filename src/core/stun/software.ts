import { decodeText, encodeText } from './attribute.js';

const PLACE = 'stun/software';
/** Largest SOFTWARE value in bytes (RFC 8489 §14.14; fewer than 128 characters). */
export const MAX_SOFTWARE_BYTES = 763;

/** Decodes a SOFTWARE value: UTF-8 text (RFC 8489 §14.14; fewer than 128 characters). */
export function decodeSoftware(value: Uint8Array): string {
  return decodeText(value, PLACE, MAX_SOFTWARE_BYTES);
}

/** Encodes a SOFTWARE value, refusing text over the limit. */
export function encodeSoftware(text: string): Uint8Array {
  return encodeText(text, PLACE, MAX_SOFTWARE_BYTES);
}
