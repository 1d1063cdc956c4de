import { randomBytes } from 'node:crypto';
import { IceleakError } from '../errors.js';

/** ICE credentials: RFC 8839 §5.4 `ice-ufrag` (4–256 ice-chars) and `ice-pwd` (22–256 ice-chars). */
export interface IceCredentials {
  readonly ufrag: string;
  readonly pwd: string;
}

/** RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/". */
const ICE_CHARS = /^[A-Za-z0-9+/]+$/;

/**
 * Fresh credentials from the CSPRNG: an 8-char ufrag (48 bits) and a 24-char pwd (144 bits,
 * above RFC 8445 §5.3's 128-bit minimum). Base64 without padding is exactly the ice-char
 * alphabet, so every character is uniform.
 */
export function generateIceCredentials(): IceCredentials {
  return { ufrag: randomBytes(6).toString('base64'), pwd: randomBytes(18).toString('base64') };
}

/** Throws E_ICE_CREDENTIALS unless ufrag/pwd satisfy RFC 8839 §5.4's grammar and lengths. */
export function assertIceCredentials(credentials: IceCredentials, place = 'ice/credentials'): void {
  const { ufrag, pwd } = credentials;
  if (ufrag.length < 4 || ufrag.length > 256 || !ICE_CHARS.test(ufrag)) {
    throw new IceleakError(
      'E_ICE_CREDENTIALS',
      place,
      `ice-ufrag must be 4-256 ice-chars (RFC 8839 §5.4), got ${JSON.stringify(ufrag)}`,
    );
  }
  if (pwd.length < 22 || pwd.length > 256 || !ICE_CHARS.test(pwd)) {
    throw new IceleakError(
      'E_ICE_CREDENTIALS',
      place,
      `ice-pwd must be 22-256 ice-chars (RFC 8839 §5.4), got ${pwd.length} chars`,
    );
  }
}
