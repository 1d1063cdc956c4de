import { decodeText, encodeText } from './attribute.js';

const PLACE = 'stun/username';
/** Largest USERNAME value in bytes: "less than 513 bytes" (RFC 8489 §14.3). */
export const MAX_USERNAME_BYTES = 512;

/** Decodes a USERNAME value: UTF-8 text (RFC 8489 §14.3); ICE checks carry `ourUfrag:theirUfrag` (RFC 8445 §7.2.2). */
export function decodeUsername(value: Uint8Array): string {
  return decodeText(value, PLACE, MAX_USERNAME_BYTES);
}

/** Encodes a USERNAME value, refusing text over the limit. */
export function encodeUsername(text: string): Uint8Array {
  return encodeText(text, PLACE, MAX_USERNAME_BYTES);
}
