import { createHmac, timingSafeEqual } from 'node:crypto';
import { StunAttributeType } from './attribute.js';
import { readU16 } from './byte-reader.js';
import type { IntegrityCheck } from './message-integrity.js';
import { locateAttribute, prefixWithAdjustedLength } from './received-bytes.js';

/** Full size of the MESSAGE-INTEGRITY-SHA256 value; it may be truncated to 16-28 bytes (RFC 8489 §14.6). */
export const MESSAGE_INTEGRITY_SHA256_LENGTH = 32;

/** HMAC-SHA256 of the adjusted message prefix under `key` (RFC 8489 §14.6). */
export function computeMessageIntegritySha256(input: Uint8Array, key: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', key).update(input).digest());
}

/**
 * Checks MESSAGE-INTEGRITY-SHA256 on a message as received (RFC 8489 §14.6), accepting the
 * truncated lengths the RFC allows (16 to 32 bytes, a multiple of 4).
 */
export function verifyMessageIntegritySha256(bytes: Uint8Array, key: Uint8Array): IntegrityCheck {
  const offset = locateAttribute(bytes, StunAttributeType['MESSAGE-INTEGRITY-SHA256']);
  if (offset === -1) return 'missing';
  const length = readU16(bytes, offset + 2, 'stun/message-integrity-sha256');
  if (length < 16 || length > 32 || (length & 3) !== 0) return 'invalid';
  const expected = computeMessageIntegritySha256(prefixWithAdjustedLength(bytes, offset, length), key);
  return timingSafeEqual(expected.subarray(0, length), bytes.subarray(offset + 4, offset + 4 + length))
    ? 'valid'
    : 'invalid';
}
