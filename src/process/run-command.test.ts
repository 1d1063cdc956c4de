import { describe, expect, it } from 'vitest';
import { isIceleakError } from '../core/errors.js';
import { runCommand, runCommandSync } from './run-command.js';

const node = (script: string) => [process.execPath, '-e', script];
const ECHO = `let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => {
  process.stdout.write(s.toUpperCase()); process.stderr.write('note'); process.exit(4); });`;

describe('runCommand', () => {
  it('feeds stdin and resolves with the exit code, stdout and stderr (a non-zero exit is no error)', async () => {
    expect(await runCommand(node(ECHO), { input: 'abc' })).toEqual({
      code: 4,
      stdout: 'ABC',
      stderr: 'note',
    });
  });

  it('kills a command that runs past its timeout and says so', async () => {
    const result = await runCommand(node('setInterval(() => {}, 1000)'), { timeoutMs: 200 });
    expect(result.code).toBe(128);
    expect(result.stderr).toContain('(timed out after 200 ms)');
  });

  it('rejects a command that cannot be run, with the spawn error as cause', async () => {
    const error = await runCommand(['/nonexistent/iceleak-test-command']).catch((e: unknown) => e as Error);
    expect(isIceleakError(error, 'E_PROCESS_EXEC')).toBe(true);
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });
});

describe('runCommandSync', () => {
  it('gives the same result, blocking', () => {
    expect(runCommandSync(node(ECHO), { input: 'abc' })).toEqual({ code: 4, stdout: 'ABC', stderr: 'note' });
  });

  it('throws only when the command cannot be run', () => {
    expect(() => runCommandSync(['/nonexistent/iceleak-test-command'])).toThrow(
      expect.objectContaining({ code: 'E_PROCESS_EXEC' }),
    );
  });
});
