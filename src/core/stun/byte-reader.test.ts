import { describe, expect, it } from 'vitest';
import { readU8, readU16, readU32 } from './byte-reader.js';

const bytes = Uint8Array.of(0x21, 0x12, 0xa4, 0x42, 0xff);

describe('byte reader', () => {
  it('reads unsigned numbers most significant byte first (RFC 8489 §5)', () => {
    expect(readU8(bytes, 4, 'test')).toBe(0xff);
    expect(readU16(bytes, 0, 'test')).toBe(0x2112);
    expect(readU16(bytes, 3, 'test')).toBe(0x42ff);
    expect(readU32(bytes, 0, 'test')).toBe(0x2112a442);
    expect(readU32(bytes, 1, 'test')).toBe(0x12a442ff);
  });

  it.each([
    ['readU8 past the end', () => readU8(bytes, 5, 'stun/test')],
    ['readU16 across the end', () => readU16(bytes, 4, 'stun/test')],
    ['readU32 across the end', () => readU32(bytes, 2, 'stun/test')],
    ['a negative offset', () => readU16(bytes, -1, 'stun/test')],
    ['a fractional offset', () => readU8(bytes, 0.5, 'stun/test')],
    ['an empty value', () => readU32(new Uint8Array(0), 0, 'stun/test')],
  ])('refuses %s with E_STUN_TRUNCATED naming the place', (_, read) => {
    expect(read).toThrow(expect.objectContaining({ code: 'E_STUN_TRUNCATED', place: 'stun/test' }));
  });
});
