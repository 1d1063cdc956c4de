import { IceleakError } from '../errors.js';
import { readU8 } from './byte-reader.js';
import { textAttribute } from './text-attribute.js';

/** ERROR-CODE: a 300-699 code and a UTF-8 reason phrase (RFC 8489 §14.8). */
export interface ErrorCode {
  readonly code: number;
  readonly reason: string;
}

/** The codes iceleak sends or recognises (RFC 8489 §14.8, RFC 8445 §7.3.1.1). */
export const StunErrorCode = {
  TryAlternate: 300,
  BadRequest: 400,
  Unauthenticated: 401,
  UnknownAttribute: 420,
  StaleNonce: 438,
  RoleConflict: 487,
  ServerError: 500,
} as const;

const PLACE = 'stun/error-code';
/** The reason phrase: fewer than 128 characters, up to 763 bytes when decoding (RFC 8489 §14.8). */
const REASON = textAttribute(PLACE, 763);

/** Decodes an ERROR-CODE value: 21 reserved bits, class (3-6), number (0-99), reason. */
export function decodeErrorCode(value: Uint8Array): ErrorCode {
  if (value.length < 4) {
    throw new IceleakError(
      'E_STUN_BAD_ATTRIBUTE',
      PLACE,
      `value is ${value.length} bytes, at least 4 needed`,
    );
  }
  const cls = readU8(value, 2, PLACE) & 0x07;
  const number = readU8(value, 3, PLACE);
  if (cls < 3 || cls > 6 || number > 99) {
    throw new IceleakError(
      'E_STUN_BAD_ATTRIBUTE',
      PLACE,
      `class ${cls} number ${number} is not a 300-699 code`,
    );
  }
  return { code: cls * 100 + number, reason: REASON.decode(value.subarray(4)) };
}

/** Encodes an ERROR-CODE value (RFC 8489 §14.8). */
export function encodeErrorCode(error: ErrorCode): Uint8Array {
  if (!Number.isInteger(error.code) || error.code < 300 || error.code > 699) {
    throw new IceleakError('E_STUN_BAD_ATTRIBUTE', PLACE, `code ${error.code} is not in 300-699`);
  }
  const reason = REASON.encode(error.reason);
  const out = new Uint8Array(4 + reason.length);
  out[2] = Math.floor(error.code / 100);
  out[3] = error.code % 100;
  out.set(reason, 4);
  return out;
}
