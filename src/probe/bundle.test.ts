import { readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const OWN = /^src\/(probe|core)\//;

describe('the probe bundle depends on src/core only', () => {
  it('bundles code from src/probe and src/core alone: no service, server or npm code reaches the page', async () => {
    const out = await build({
      absWorkingDir: root,
      entryPoints: ['src/probe/main.ts'],
      bundle: true,
      format: 'iife',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs).toContain('src/core/verdict/findings.ts');
    expect(inputs.filter((path) => !OWN.test(path))).toEqual([]);
  });

  it('imports, type-only ones included, only from src/probe and src/core', () => {
    const outside: string[] = [];
    for (const file of readdirSync(new URL('./', import.meta.url))) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      for (const [, specifier = ''] of text.matchAll(/\bfrom\s+'([^']+)'/g)) {
        const path = posix.join('src/probe', specifier);
        if (!specifier.startsWith('.') || !OWN.test(path)) outside.push(`${file}: ${specifier}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
