import { spawnSync } from 'node:child_process';
import { IceleakError } from '../core/errors.js';
import { spawnChild } from './spawn.js';

/** The outcome of one command. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

const PLACE = 'process/exec';

function cannotRun(file: string, error: Error): IceleakError {
  return new IceleakError(
    'E_PROCESS_EXEC',
    PLACE,
    `cannot run ${file}: ${error.message}`,
    {},
    { cause: error },
  );
}

/**
 * Runs `argv` to completion, feeding `input` on stdin; resolves with the exit code (never
 * rejects on a non-zero exit, only when the command cannot be started). A signal is code 128.
 */
export function runCommand(
  argv: readonly string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const [file] = argv;
  if (file === undefined) return Promise.reject(new IceleakError('E_PROCESS_ARGV', PLACE, 'empty argv'));
  return new Promise((resolve, reject) => {
    const child = spawnChild(argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            stderr += `\n(timed out after ${options.timeoutMs} ms)`;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(cannotRun(file, error));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin?.on('error', () => {}); // the command may exit before reading all of its input
    child.stdin?.end(options.input ?? '');
  });
}

/**
 * The same, blocking: for `exit` handlers, which cannot wait for a promise, and one-off
 * questions at startup (`getconf CLK_TCK`, `chromium --version`). Throws only when the
 * command cannot be started.
 */
export function runCommandSync(argv: readonly string[], options: { input?: string } = {}): CommandResult {
  const [file, ...args] = argv;
  if (file === undefined) throw new IceleakError('E_PROCESS_ARGV', PLACE, 'empty argv');
  const result = spawnSync(file, args, { encoding: 'utf8', input: options.input ?? '' });
  if (result.error) throw cannotRun(file, result.error);
  return {
    code: result.status ?? (result.signal ? 128 : 1),
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
  };
}
