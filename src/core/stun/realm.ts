import { textAttribute } from './text-attribute.js';

/**
 * Largest REALM value in bytes: fewer than 128 characters, up to 763 bytes when decoding
 * (RFC 8489 §14.9). Encoding keeps the same limit (RFC 8489 lets senders use at most 509).
 */
export const MAX_REALM_BYTES = 763;

/** REALM (RFC 8489 §14.9): UTF-8 text, the long-term credential's realm (RFC 8489 §9.2). */
const REALM = textAttribute('stun/realm', MAX_REALM_BYTES);

/** Decodes a REALM value. */
export const decodeRealm = REALM.decode;
/** Encodes a REALM value, refusing text over {@link MAX_REALM_BYTES}. */
export const encodeRealm = REALM.encode;
