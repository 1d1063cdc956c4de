import { IceleakError } from '../errors.js';

/**
 * The codec of one STUN attribute whose value is UTF-8 text (RFC 8489 §14.3 USERNAME, §14.9
 * REALM, §14.10 NONCE, §14.14 SOFTWARE, and the reason phrase of §14.8 ERROR-CODE). Each
 * carries its own byte limit; a value over it, or invalid UTF-8, is the codec's error (never
 * a TypeError).
 */
export interface TextAttributeCodec {
  /** Where errors say they were found, e.g. `stun/username`. */
  readonly place: string;
  /** Most bytes accepted, decoding and encoding alike. */
  readonly maxBytes: number;
  decode(value: Uint8Array): string;
  encode(text: string): Uint8Array;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();

function checkSize(length: number, place: string, maxBytes: number): void {
  if (length > maxBytes) {
    throw new IceleakError('E_STUN_BAD_ATTRIBUTE', place, `${length} bytes, at most ${maxBytes} allowed`);
  }
}

/** The codec of a UTF-8 text attribute of at most `maxBytes` bytes. */
export function textAttribute(place: string, maxBytes: number): TextAttributeCodec {
  return {
    place,
    maxBytes,
    decode(value) {
      checkSize(value.length, place, maxBytes);
      try {
        return strictUtf8.decode(value);
      } catch (error) {
        throw new IceleakError(
          'E_STUN_BAD_ATTRIBUTE',
          place,
          'value is not valid UTF-8',
          {},
          { cause: error },
        );
      }
    },
    encode(text) {
      const bytes = utf8.encode(text);
      checkSize(bytes.length, place, maxBytes);
      return bytes;
    },
  };
}
