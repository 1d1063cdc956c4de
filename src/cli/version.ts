import { readFileSync } from 'node:fs';

/** iceleak's version, read once from package.json for `--version`, `--help` and reports. */
export const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
