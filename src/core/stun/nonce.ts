import { textAttribute } from './text-attribute.js';

/**
 * Largest NONCE value in bytes: fewer than 128 characters, up to 763 bytes when decoding
 * (RFC 8489 §14.10). Encoding keeps the same limit (RFC 8489 lets senders use at most 509).
 */
export const MAX_NONCE_BYTES = 763;

/** NONCE (RFC 8489 §14.10): UTF-8 text, the server's challenge for long-term credentials (RFC 8489 §9.2). */
const NONCE = textAttribute('stun/nonce', MAX_NONCE_BYTES);

/** Decodes a NONCE value. */
export const decodeNonce = NONCE.decode;
/** Encodes a NONCE value, refusing text over {@link MAX_NONCE_BYTES}. */
export const encodeNonce = NONCE.encode;
