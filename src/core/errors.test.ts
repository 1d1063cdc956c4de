import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, IceleakError, isIceleakError } from './errors.js';

describe('ERROR_CODES', () => {
  it('has every code the docs name', () => {
    const docs = new URL('../../docs/', import.meta.url);
    const files = [
      new URL('../../README.md', import.meta.url),
      ...readdirSync(docs)
        .filter((name) => name.endsWith('.md'))
        .map((name) => new URL(name, docs)),
    ];
    const named = files.flatMap(
      (file) => readFileSync(file, 'utf8').match(/\bE_[A-Z0-9_]*[A-Z0-9]\b/g) ?? [],
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((code) => !Object.hasOwn(ERROR_CODES, code))).toEqual([]);
  });
});

describe('IceleakError', () => {
  it('keeps the error that caused it', () => {
    const cause = new Error('EACCES');
    const error = new IceleakError('E_STORE_OPEN', 'service/store', 'cannot open x', {}, { cause });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('service/store: cannot open x');
    expect(isIceleakError(error, 'E_STORE_OPEN')).toBe(true);
    expect(isIceleakError(error, 'E_SCAN_DB')).toBe(false);
  });
});
