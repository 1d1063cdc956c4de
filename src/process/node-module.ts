import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The argv that runs one of iceleak's own modules in a separate Node process, e.g. inside
 * a network namespace (Node cannot switch namespaces itself). From a build it runs the
 * `.js` file; from sources (tests) it runs the `.ts` file through tsx.
 */
export function nodeModuleArgv(entry: URL): string[] {
  const path = fileURLToPath(entry);
  if (existsSync(path)) return [process.execPath, path];
  const tsPath = path.replace(/\.js$/, '.ts');
  const tsxLoader = createRequire(import.meta.url).resolve('tsx');
  return [process.execPath, '--import', pathToFileURL(tsxLoader).href, tsPath];
}
