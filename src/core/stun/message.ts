import { IceleakError } from '../errors.js';
import { isComprehensionRequired, paddingFor, StunAttributeType } from './attribute.js';
import { readU16 } from './byte-reader.js';
import { decodeErrorCode, type ErrorCode, encodeErrorCode } from './error-code.js';
import { computeFingerprint, decodeFingerprint, encodeFingerprint } from './fingerprint.js';
import { decodeHeader, HEADER_LENGTH, type StunClass, type StunMethod, writeHeader } from './header.js';
import { decodeIceControlled, encodeIceControlled } from './ice-controlled.js';
import { decodeIceControlling, encodeIceControlling } from './ice-controlling.js';
import { decodeMappedAddress, encodeMappedAddress, type MappedAddress } from './mapped-address.js';
import { computeMessageIntegrity, MESSAGE_INTEGRITY_LENGTH } from './message-integrity.js';
import { computeMessageIntegritySha256 } from './message-integrity-sha256.js';
import { decodeNonce, encodeNonce } from './nonce.js';
import { decodePriority, encodePriority } from './priority.js';
import { decodeRealm, encodeRealm } from './realm.js';
import { decodeSoftware, encodeSoftware } from './software.js';
import { decodeUnknownAttributes, encodeUnknownAttributes } from './unknown-attributes.js';
import { decodeUseCandidate } from './use-candidate.js';
import { decodeUsername, encodeUsername } from './username.js';
import {
  decodeXorMappedAddress,
  encodeXorMappedAddress,
  type XorMappedAddress,
} from './xor-mapped-address.js';

/** Most attributes one message may carry; real ICE checks carry fewer than ten. */
export const MAX_ATTRIBUTES = 64;

interface Padded {
  /**
   * Padding bytes as received, only when they were not all zero. RFC 5389 let senders pad
   * with any value (RFC 5769's vectors use spaces) and integrity covers the padding, so
   * keeping it makes a re-encoding byte-identical and its integrity still valid.
   */
  readonly padding?: Uint8Array;
}

/** Value type of each attribute this codec decodes (RFC 8489 §14, RFC 8445 §16.1). */
export interface StunAttributeValues {
  'MAPPED-ADDRESS': MappedAddress;
  'XOR-MAPPED-ADDRESS': XorMappedAddress;
  USERNAME: string;
  /** The 20-byte HMAC-SHA1 as received. */
  'MESSAGE-INTEGRITY': Uint8Array;
  /** The 16-32-byte HMAC-SHA256 as received. */
  'MESSAGE-INTEGRITY-SHA256': Uint8Array;
  FINGERPRINT: number;
  'ERROR-CODE': ErrorCode;
  'UNKNOWN-ATTRIBUTES': readonly number[];
  REALM: string;
  NONCE: string;
  SOFTWARE: string;
  PRIORITY: number;
  'USE-CANDIDATE': true;
  'ICE-CONTROLLED': bigint;
  'ICE-CONTROLLING': bigint;
}

/** One attribute of a STUN message, typed for those this codec knows (RFC 8489 §14). */
export type StunAttribute = Padded &
  (
    | {
        [K in keyof StunAttributeValues]: { readonly type: K; readonly value: StunAttributeValues[K] };
      }[keyof StunAttributeValues]
    /** An attribute this codec does not interpret, kept in place with its raw value. */
    | { readonly type: 'UNKNOWN'; readonly code: number; readonly value: Uint8Array }
  );

/** Names of the attributes this codec types. */
export type StunAttributeName = Exclude<StunAttribute['type'], 'UNKNOWN'>;

/** A decoded STUN message (RFC 8489 §5): header fields plus attributes in wire order. */
export interface StunMessage {
  readonly class: StunClass;
  readonly method: StunMethod;
  /** 96-bit transaction id (12 bytes). */
  readonly transactionId: Uint8Array;
  readonly attributes: readonly StunAttribute[];
}

type Codec = {
  decode(value: Uint8Array, transactionId: Uint8Array): unknown;
  encode(value: never, transactionId: Uint8Array): Uint8Array;
};

// One row per attribute: the wire code comes from StunAttributeType, the codec from its file.
const CODECS: { readonly [K in StunAttributeName]: Codec } = {
  'MAPPED-ADDRESS': { decode: decodeMappedAddress, encode: encodeMappedAddress },
  'XOR-MAPPED-ADDRESS': { decode: decodeXorMappedAddress, encode: encodeXorMappedAddress },
  USERNAME: { decode: decodeUsername, encode: encodeUsername },
  'MESSAGE-INTEGRITY': {
    decode: (v) => {
      if (v.length !== MESSAGE_INTEGRITY_LENGTH) {
        throw new IceleakError(
          'E_STUN_BAD_ATTRIBUTE',
          'stun/message-integrity',
          `value is ${v.length} bytes, expected 20`,
        );
      }
      return new Uint8Array(v);
    },
    encode: (v: Uint8Array) => v,
  },
  'MESSAGE-INTEGRITY-SHA256': {
    decode: (v) => {
      if (v.length < 16 || v.length > 32 || (v.length & 3) !== 0) {
        throw new IceleakError(
          'E_STUN_BAD_ATTRIBUTE',
          'stun/message-integrity-sha256',
          `value is ${v.length} bytes, expected 16-32 in steps of 4`,
        );
      }
      return new Uint8Array(v);
    },
    encode: (v: Uint8Array) => v,
  },
  FINGERPRINT: { decode: decodeFingerprint, encode: encodeFingerprint },
  'ERROR-CODE': { decode: decodeErrorCode, encode: encodeErrorCode },
  'UNKNOWN-ATTRIBUTES': { decode: decodeUnknownAttributes, encode: encodeUnknownAttributes },
  REALM: { decode: decodeRealm, encode: encodeRealm },
  NONCE: { decode: decodeNonce, encode: encodeNonce },
  SOFTWARE: { decode: decodeSoftware, encode: encodeSoftware },
  PRIORITY: { decode: decodePriority, encode: encodePriority },
  'USE-CANDIDATE': { decode: decodeUseCandidate, encode: () => new Uint8Array(0) },
  'ICE-CONTROLLED': { decode: decodeIceControlled, encode: encodeIceControlled },
  'ICE-CONTROLLING': { decode: decodeIceControlling, encode: encodeIceControlling },
};

const NAME_BY_CODE = new Map<number, StunAttributeName>(
  Object.entries(StunAttributeType).map(([name, code]) => [code, name as StunAttributeName]),
);

/**
 * Decodes one STUN message that fills `bytes` exactly (RFC 8489 §5, §14). Throws only
 * IceleakError (codes E_STUN_TRUNCATED, E_STUN_NOT_STUN, E_STUN_BAD_COOKIE, E_STUN_BAD_LENGTH,
 * E_STUN_BAD_ATTRIBUTE, E_STUN_LIMIT) and never reads outside `bytes`.
 */
export function decodeStunMessage(input: Uint8Array): StunMessage {
  // Subclasses such as Node's Buffer make every subarray() costly; a plain view does not.
  const bytes =
    Object.getPrototypeOf(input) === Uint8Array.prototype
      ? input
      : new Uint8Array(input.buffer, input.byteOffset, input.length);
  const header = decodeHeader(bytes);
  const end = HEADER_LENGTH + header.length;
  const attributes: StunAttribute[] = [];
  let offset = HEADER_LENGTH;
  while (offset < end) {
    if (offset + 4 > end) {
      throw new IceleakError('E_STUN_TRUNCATED', 'stun/attribute', `attribute header at ${offset} is cut`);
    }
    if (attributes.length === MAX_ATTRIBUTES) {
      throw new IceleakError('E_STUN_LIMIT', 'stun/attribute', `more than ${MAX_ATTRIBUTES} attributes`);
    }
    const code = readU16(bytes, offset, 'stun/attribute');
    const length = readU16(bytes, offset + 2, 'stun/attribute');
    const valueEnd = offset + 4 + length;
    const paddedEnd = valueEnd + paddingFor(length);
    if (paddedEnd > end) {
      throw new IceleakError(
        'E_STUN_TRUNCATED',
        'stun/attribute',
        `attribute 0x${code.toString(16).padStart(4, '0')} at ${offset} runs past the end of the message`,
      );
    }
    const previous = attributes[attributes.length - 1];
    if (previous?.type === 'FINGERPRINT') {
      throw new IceleakError(
        'E_STUN_BAD_ATTRIBUTE',
        'stun/fingerprint',
        'FINGERPRINT is not the last attribute',
      );
    }
    const value = bytes.subarray(offset + 4, valueEnd);
    const name = NAME_BY_CODE.get(code);
    const attribute = (
      name === undefined
        ? { type: 'UNKNOWN', code, value: new Uint8Array(value) }
        : { type: name, value: CODECS[name].decode(value, header.transactionId) }
    ) as { -readonly [K in keyof StunAttribute]: StunAttribute[K] };
    for (let i = valueEnd; i < paddedEnd; i++) {
      if (bytes[i] !== 0) {
        attribute.padding = new Uint8Array(bytes.subarray(valueEnd, paddedEnd));
        break;
      }
    }
    attributes.push(attribute as StunAttribute);
    offset = paddedEnd;
  }
  return { class: header.class, method: header.method, transactionId: header.transactionId, attributes };
}

/** What {@link encodeStunMessage} appends after the message's own attributes, computed over the bytes. */
export interface StunEncodeOptions {
  /** Append MESSAGE-INTEGRITY under this key (RFC 8489 §14.5). */
  readonly messageIntegrity?: Uint8Array;
  /** Append MESSAGE-INTEGRITY-SHA256 under this key (RFC 8489 §14.6). */
  readonly messageIntegritySha256?: Uint8Array;
  /** Append FINGERPRINT last (RFC 8489 §14.7). */
  readonly fingerprint?: boolean;
}

function attributeCode(attribute: StunAttribute): number {
  return attribute.type === 'UNKNOWN' ? attribute.code : StunAttributeType[attribute.type];
}

/**
 * Encodes a message (RFC 8489 §5, §14). Attributes are written in order, as given (an
 * integrity or fingerprint attribute already in the list is copied, not recomputed);
 * `options` appends freshly computed MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256 and
 * FINGERPRINT, in that order, each over the bytes before it with the length adjusted.
 */
export function encodeStunMessage(message: StunMessage, options: StunEncodeOptions = {}): Uint8Array {
  const parts: Array<{ code: number; value: Uint8Array; padding: Uint8Array | undefined }> = [];
  for (const attribute of message.attributes) {
    const value =
      attribute.type === 'UNKNOWN'
        ? attribute.value
        : CODECS[attribute.type].encode(attribute.value as never, message.transactionId);
    if (value.length > 0xffff) {
      throw new IceleakError('E_STUN_BAD_ATTRIBUTE', 'stun/attribute', `${attribute.type} value is too long`);
    }
    const pad = paddingFor(value.length);
    const padding = attribute.padding?.length === pad ? attribute.padding : undefined;
    parts.push({ code: attributeCode(attribute), value, padding });
  }
  let length = 0;
  for (const p of parts) length += 4 + p.value.length + paddingFor(p.value.length);
  const integrityOffset = HEADER_LENGTH + length;
  if (options.messageIntegrity) length += 4 + MESSAGE_INTEGRITY_LENGTH;
  const sha256Offset = HEADER_LENGTH + length;
  if (options.messageIntegritySha256) length += 4 + 32;
  const fingerprintOffset = HEADER_LENGTH + length;
  if (options.fingerprint) length += 8;

  const out = new Uint8Array(HEADER_LENGTH + length);
  writeHeader(out, message.method, message.class, length, message.transactionId);
  let offset = HEADER_LENGTH;
  for (const p of parts) {
    writeAttribute(out, offset, p.code, p.value);
    if (p.padding) out.set(p.padding, offset + 4 + p.value.length);
    offset += 4 + p.value.length + paddingFor(p.value.length);
  }
  // Each computed attribute covers the bytes before it, with the header length counting
  // up to its own end (RFC 8489 §14.5-14.7): the length field holds that value while it
  // is computed, then the final one.
  if (options.messageIntegrity) {
    setLength(out, integrityOffset + 4 + MESSAGE_INTEGRITY_LENGTH);
    const value = computeMessageIntegrity(out.subarray(0, integrityOffset), options.messageIntegrity);
    writeAttribute(out, integrityOffset, StunAttributeType['MESSAGE-INTEGRITY'], value);
  }
  if (options.messageIntegritySha256) {
    setLength(out, sha256Offset + 4 + 32);
    const value = computeMessageIntegritySha256(
      out.subarray(0, sha256Offset),
      options.messageIntegritySha256,
    );
    writeAttribute(out, sha256Offset, StunAttributeType['MESSAGE-INTEGRITY-SHA256'], value);
  }
  if (options.fingerprint) {
    setLength(out, fingerprintOffset + 8);
    const crc = computeFingerprint(out, fingerprintOffset);
    out[fingerprintOffset] = StunAttributeType.FINGERPRINT >> 8;
    out[fingerprintOffset + 1] = StunAttributeType.FINGERPRINT & 0xff;
    out[fingerprintOffset + 3] = 4;
    out[fingerprintOffset + 4] = crc >>> 24;
    out[fingerprintOffset + 5] = (crc >>> 16) & 0xff;
    out[fingerprintOffset + 6] = (crc >>> 8) & 0xff;
    out[fingerprintOffset + 7] = crc & 0xff;
  }
  setLength(out, out.length);
  return out;
}

// One TLV at `offset` (RFC 8489 §14); padding stays as allocated (zero) unless set after.
function writeAttribute(out: Uint8Array, offset: number, code: number, value: Uint8Array): void {
  out[offset] = code >> 8;
  out[offset + 1] = code & 0xff;
  out[offset + 2] = value.length >> 8;
  out[offset + 3] = value.length & 0xff;
  out.set(value, offset + 4);
}

// Header length field for a message ending at byte `end`.
function setLength(out: Uint8Array, end: number): void {
  const length = end - HEADER_LENGTH;
  out[2] = length >> 8;
  out[3] = length & 0xff;
}

/**
 * First attribute of type `name` that counts: attributes after MESSAGE-INTEGRITY other than
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are ignored (RFC 8489 §14.5).
 */
export function getAttribute<N extends StunAttributeName>(
  message: StunMessage,
  name: N,
): StunAttributeValues[N] | undefined {
  let afterIntegrity = false;
  for (const attribute of message.attributes) {
    if (
      attribute.type === name &&
      (!afterIntegrity || name === 'MESSAGE-INTEGRITY-SHA256' || name === 'FINGERPRINT')
    ) {
      return attribute.value as StunAttributeValues[N];
    }
    if (attribute.type === 'MESSAGE-INTEGRITY') afterIntegrity = true;
  }
  return undefined;
}

/**
 * Types of unknown comprehension-required attributes that count (RFC 8489 §6.3.1): a
 * request carrying any must get a 420 response listing them.
 */
export function unknownComprehensionRequired(message: StunMessage): readonly number[] {
  let unknown: number[] | undefined;
  for (const attribute of message.attributes) {
    if (attribute.type === 'MESSAGE-INTEGRITY') break;
    if (attribute.type === 'UNKNOWN' && isComprehensionRequired(attribute.code)) {
      unknown ??= [];
      unknown.push(attribute.code);
    }
  }
  return unknown ?? NONE;
}

const NONE: readonly number[] = Object.freeze([]);
