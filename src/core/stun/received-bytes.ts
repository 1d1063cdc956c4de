import { paddingFor } from './attribute.js';
import { readU16 } from './byte-reader.js';
import { HEADER_LENGTH } from './header.js';

const PLACE = 'stun/attribute';

/**
 * Offset of the first attribute of `type` in a received message, or -1. Integrity and
 * fingerprint are checked over the bytes as received, not over a re-encoding, so they
 * need the position of their attribute in those bytes. Never reads past `bytes` or past
 * the length the header announces.
 */
export function locateAttribute(bytes: Uint8Array, type: number): number {
  if (bytes.length < HEADER_LENGTH) return -1;
  const end = Math.min(bytes.length, HEADER_LENGTH + readU16(bytes, 2, PLACE));
  let offset = HEADER_LENGTH;
  while (offset + 4 <= end) {
    const t = readU16(bytes, offset, PLACE);
    const length = readU16(bytes, offset + 2, PLACE);
    if (offset + 4 + length > end) return -1;
    if (t === type) return offset;
    offset += 4 + length + paddingFor(length);
  }
  return -1;
}

/**
 * A copy of the bytes before `attributeOffset`, with the header's length field rewritten as if the
 * message ended right after an attribute of `valueLength` bytes at that offset: the input
 * of MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and FINGERPRINT (RFC 8489 §14.5-14.7).
 */
export function prefixWithAdjustedLength(
  bytes: Uint8Array,
  attributeOffset: number,
  valueLength: number,
): Uint8Array {
  // Always a copy: a Node Buffer's slice() is a view, and rewriting its length field
  // would corrupt the caller's message.
  const prefix = new Uint8Array(bytes.subarray(0, attributeOffset));
  const length = attributeOffset - HEADER_LENGTH + 4 + valueLength;
  prefix[2] = length >> 8;
  prefix[3] = length & 0xff;
  return prefix;
}
