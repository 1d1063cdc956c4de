import { decodeText, encodeText } from './attribute.js';

const PLACE = 'stun/nonce';
/** Largest NONCE value in bytes (RFC 8489 §14.10; fewer than 128 characters). */
export const MAX_NONCE_BYTES = 763;

/** Decodes a NONCE value: UTF-8 text (RFC 8489 §14.10; fewer than 128 characters). */
export function decodeNonce(value: Uint8Array): string {
  return decodeText(value, PLACE, MAX_NONCE_BYTES);
}

/** Encodes a NONCE value, refusing text over the limit. */
export function encodeNonce(text: string): Uint8Array {
  return encodeText(text, PLACE, MAX_NONCE_BYTES);
}
