import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnChild } from './spawn.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function output(argv: string[], binds: { source: string; target: string }[]): Promise<string> {
  const child = spawnChild(argv, { binds });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
  });
}

describe('spawnChild with binds', () => {
  it('shows the source at the target to the child only, whatever the paths contain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iceleak-binds-'));
    dirs.push(dir);
    const source = join(dir, 'source $(touch pwned) \';"');
    const target = join(dir, 'target');
    writeFileSync(source, 'seen through the bind\n');
    writeFileSync(target, 'the host file\n');

    expect(await output(['cat', target], [{ source, target }])).toBe('seen through the bind\n');
    // The host never saw the mount, and no path was run as shell code.
    expect(readFileSync(target, 'utf8')).toBe('the host file\n');
    expect(() => readFileSync(join(process.cwd(), 'pwned'))).toThrow();
  });
});
