import { textAttribute } from './text-attribute.js';

/**
 * Largest SOFTWARE value in bytes: fewer than 128 characters, up to 763 bytes when decoding
 * (RFC 8489 §14.14). Encoding keeps the same limit (RFC 8489 lets senders use at most 509).
 */
export const MAX_SOFTWARE_BYTES = 763;

/** SOFTWARE (RFC 8489 §14.14): UTF-8 text, the sender's name and version, for diagnosis only. */
const SOFTWARE = textAttribute('stun/software', MAX_SOFTWARE_BYTES);

/** Decodes a SOFTWARE value. */
export const decodeSoftware = SOFTWARE.decode;
/** Encodes a SOFTWARE value, refusing text over {@link MAX_SOFTWARE_BYTES}. */
export const encodeSoftware = SOFTWARE.encode;
