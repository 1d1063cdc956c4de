import { IceleakError } from '../errors.js';
import { readU8, readU16, readU32 } from './byte-reader.js';

const PLACE = 'stun/header';

/** The fixed value in every RFC 8489 message (§5); RFC 3489 messages lack it. */
export const MAGIC_COOKIE = 0x2112a442;

/** Size of the STUN header in bytes (RFC 8489 §5). */
export const HEADER_LENGTH = 20;

/** Largest message we accept: the 16-bit length field plus the header (RFC 8489 §5). */
export const MAX_MESSAGE_LENGTH = HEADER_LENGTH + 0xffff;

/** The message class, encoded as the C1/C0 bits of the message type (RFC 8489 §5). */
export type StunClass = 'request' | 'indication' | 'success-response' | 'error-response';

/** Methods registered for STUN itself (RFC 8489 §18.2); any 12-bit value decodes. */
export const StunMethod = { Binding: 0x001 } as const;
/** A 12-bit STUN method number (RFC 8489 §5). */
export type StunMethod = number;

/** What the 20-byte header says (RFC 8489 §5). */
export interface StunHeader {
  readonly class: StunClass;
  readonly method: StunMethod;
  /** Length of the attributes in bytes, excluding the header; always a multiple of 4. */
  readonly length: number;
  /** 96-bit transaction id. */
  readonly transactionId: Uint8Array;
}

// Indexed by the two class bits C1 C0.
const CLASSES = [
  'request',
  'indication',
  'success-response',
  'error-response',
] as const satisfies readonly StunClass[];

/**
 * The 14-bit message type: method bits M11..M0 interleaved with class bits C1 C0 as
 * M11-M7 C1 M6-M4 C0 M3-M0 (RFC 8489 §5, figure 3).
 */
export function encodeMessageType(method: StunMethod, cls: StunClass): number {
  if (!Number.isInteger(method) || method < 0 || method > 0xfff) {
    throw new IceleakError('E_STUN_BAD_METHOD', PLACE, `method ${method} is not a 12-bit number`);
  }
  const c = CLASSES.indexOf(cls);
  return (
    ((method & 0xf80) << 2) | ((method & 0x070) << 1) | (method & 0x00f) | ((c & 2) << 7) | ((c & 1) << 4)
  );
}

/** Inverse of {@link encodeMessageType}; the top two bits must already be known to be zero. */
export function decodeMessageType(type: number): { method: StunMethod; class: StunClass } {
  const method = ((type & 0x3e00) >> 2) | ((type & 0x00e0) >> 1) | (type & 0x000f);
  const c = (((type & 0x0100) >> 7) | ((type & 0x0010) >> 4)) as 0 | 1 | 2 | 3;
  return { method, class: CLASSES[c] };
}

/**
 * Cheap demultiplexing test (RFC 8489 §7.3, RFC 7983): top two bits zero, magic cookie,
 * length a multiple of 4 that matches the bytes given. Reads at most 8 bytes.
 */
export function isStunMessage(bytes: Uint8Array): boolean {
  if (bytes.length < HEADER_LENGTH) return false;
  if ((readU8(bytes, 0, PLACE) & 0xc0) !== 0) return false;
  const length = readU16(bytes, 2, PLACE);
  if ((length & 3) !== 0 || length + HEADER_LENGTH !== bytes.length) return false;
  return readU32(bytes, 4, PLACE) === MAGIC_COOKIE;
}

/**
 * Reads and checks the header of a message that must fill `bytes` exactly (RFC 8489 §5).
 * Trailing bytes are an error: over UDP one datagram is one message, and the TCP framer
 * cuts messages at the length the header announces.
 */
export function decodeHeader(bytes: Uint8Array): StunHeader {
  if (bytes.length < HEADER_LENGTH) {
    throw new IceleakError('E_STUN_TRUNCATED', PLACE, `${bytes.length} bytes, a header needs 20`);
  }
  if ((readU8(bytes, 0, PLACE) & 0xc0) !== 0) {
    throw new IceleakError('E_STUN_NOT_STUN', PLACE, 'the two most significant bits are not zero');
  }
  if (readU32(bytes, 4, PLACE) !== MAGIC_COOKIE) {
    throw new IceleakError('E_STUN_BAD_COOKIE', PLACE, 'magic cookie is not 0x2112A442');
  }
  const length = readU16(bytes, 2, PLACE);
  if ((length & 3) !== 0) {
    throw new IceleakError('E_STUN_BAD_LENGTH', PLACE, `length ${length} is not a multiple of 4`);
  }
  if (bytes.length < HEADER_LENGTH + length) {
    throw new IceleakError(
      'E_STUN_TRUNCATED',
      PLACE,
      `header announces ${length} bytes of attributes, ${bytes.length - HEADER_LENGTH} present`,
    );
  }
  if (bytes.length > HEADER_LENGTH + length) {
    throw new IceleakError(
      'E_STUN_BAD_LENGTH',
      PLACE,
      `${bytes.length - HEADER_LENGTH - length} bytes after the announced end of the message`,
    );
  }
  const { method, class: cls } = decodeMessageType(readU16(bytes, 0, PLACE));
  // A copy (a Buffer's slice() would be a view): the caller may reuse its receive buffer.
  const transactionId = new Uint8Array(bytes.subarray(8, 20));
  return { class: cls, method, length, transactionId };
}

/** Writes a header into the first 20 bytes of `out`. */
export function writeHeader(
  out: Uint8Array,
  method: StunMethod,
  cls: StunClass,
  length: number,
  transactionId: Uint8Array,
): void {
  if (transactionId.length !== 12) {
    throw new IceleakError('E_STUN_BAD_TRANSACTION_ID', PLACE, 'transaction id must be 12 bytes');
  }
  if ((length & 3) !== 0 || length > 0xffff) {
    throw new IceleakError('E_STUN_BAD_LENGTH', PLACE, `cannot encode attribute length ${length}`);
  }
  const type = encodeMessageType(method, cls);
  out[0] = type >> 8;
  out[1] = type & 0xff;
  out[2] = length >> 8;
  out[3] = length & 0xff;
  out[4] = 0x21;
  out[5] = 0x12;
  out[6] = 0xa4;
  out[7] = 0x42;
  out.set(transactionId, 8);
}
