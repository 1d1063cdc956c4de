import { IceleakError } from '../errors.js';
import { expectLength } from './attribute.js';
import { readU32 } from './byte-reader.js';

const PLACE = 'stun/priority';

/** Decodes PRIORITY: the priority a peer-reflexive candidate would get (RFC 8445 §7.1.1, §16.1). */
export function decodePriority(value: Uint8Array): number {
  expectLength(value, PLACE, 4);
  return readU32(value, 0, PLACE);
}

/** Encodes PRIORITY as an unsigned 32-bit number (RFC 8445 §16.1). */
export function encodePriority(priority: number): Uint8Array {
  if (!Number.isInteger(priority) || priority < 0 || priority > 0xffffffff) {
    throw new IceleakError('E_STUN_BAD_ATTRIBUTE', PLACE, `${priority} is not a 32-bit unsigned number`);
  }
  return Uint8Array.of(priority >>> 24, (priority >>> 16) & 0xff, (priority >>> 8) & 0xff, priority & 0xff);
}
