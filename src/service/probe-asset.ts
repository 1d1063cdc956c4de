import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { IceleakError } from '../core/errors.js';

/**
 * The probe script the page loads. From a build it is `dist/probe/probe.js` (written by
 * scripts/build-probe.mjs); from sources (tests, `tsx`) it is bundled now from
 * `src/probe/main.ts`, so a test never serves a stale probe.
 */
export async function loadProbeScript(): Promise<string> {
  if (import.meta.url.endsWith('.ts')) {
    // esbuild is a dev dependency: only needed when running from sources.
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: [fileURLToPath(new URL('../probe/main.ts', import.meta.url))],
      bundle: true,
      format: 'iife',
      target: ['chrome100', 'firefox100'],
      minify: true,
      write: false,
      logLevel: 'silent',
    });
    const file = out.outputFiles[0];
    if (!file) throw new IceleakError('E_PROBE_BUILD', 'service/probe', 'esbuild produced no output');
    return file.text;
  }
  const built = new URL('../probe/probe.js', import.meta.url);
  try {
    return await readFile(built, 'utf8');
  } catch (error) {
    throw new IceleakError(
      'E_PROBE_MISSING',
      'service/probe',
      `${fileURLToPath(built)} is missing; run \`npm run build\``,
      {},
      { cause: error },
    );
  }
}
