#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'iceleak: not built yet (E_NOT_BUILT): run `npm run build` in the package folder first.\n',
  );
  process.exit(2);
}
await import(entry.href);
