// Bundles the in-page probe (src/probe/) into one static script served by `iceleak serve`.
import { existsSync, mkdirSync } from 'node:fs';
import { build } from 'esbuild';

const entry = 'src/probe/main.ts';
if (existsSync(entry)) {
  mkdirSync('dist/probe', { recursive: true });
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    target: ['chrome100', 'firefox100'],
    minify: true,
    outfile: 'dist/probe/probe.js',
    logLevel: 'warning',
  });
}
