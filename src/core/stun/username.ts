import { textAttribute } from './text-attribute.js';

/**
 * Largest USERNAME value in bytes, decoding and encoding: RFC 5389 §15.3's "less than 513
 * bytes". (RFC 8489 §14.3 asks senders for fewer than 509 bytes and receivers to parse up
 * to 763, for RFC 5389 compatibility.)
 */
export const MAX_USERNAME_BYTES = 512;

/** USERNAME (RFC 8489 §14.3): UTF-8 text; ICE checks carry `ourUfrag:theirUfrag` (RFC 8445 §7.2.2). */
const USERNAME = textAttribute('stun/username', MAX_USERNAME_BYTES);

/** Decodes a USERNAME value. */
export const decodeUsername = USERNAME.decode;
/** Encodes a USERNAME value, refusing text over {@link MAX_USERNAME_BYTES}. */
export const encodeUsername = USERNAME.encode;
