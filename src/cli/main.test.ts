import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { nodeModuleArgv } from '../process/index.js';

const [node, ...prefix] = nodeModuleArgv(new URL('./main.js', import.meta.url));

function iceleak(args: readonly string[]) {
  const r = spawnSync(node!, [...prefix, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('iceleak misuse', () => {
  // Each of these runs nothing: the stray argument is refused before any work starts.
  it.each([
    [['serve', 'foo']],
    [['audit', 'bar', '--list']],
    [['stun', 'extra', '--listen', '127.0.0.1:0']],
    [['lab', 'list', 'extra']],
  ])(
    '%j: a stray positional argument exits 2 with one line',
    (args) => {
      const r = iceleak(args);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toMatch(/^iceleak: cli\/[a-z/]+: unexpected argument "[a-z]+".*\(E_USAGE\)\n$/);
    },
    // A node process loading the CLI from sources takes seconds on a loaded machine.
    30_000,
  );
});
