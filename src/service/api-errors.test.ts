import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES } from './api-errors.js';

describe('API_ERROR_CODES', () => {
  it('are the codes docs/serve.md lists for the HTTP API, no more and no fewer', () => {
    const text = readFileSync(new URL('../../docs/serve.md', import.meta.url), 'utf8');
    const start = text.indexOf('## HTTP API');
    const section = text.slice(start, text.indexOf('\n## ', start + 1));
    const documented = new Set(section.match(/\bE_[A-Z0-9_]+/g));
    expect([...documented].sort()).toEqual([...API_ERROR_CODES].sort());
  });
});
