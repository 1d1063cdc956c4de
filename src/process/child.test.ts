import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isIceleakError } from '../core/errors.js';
import { startChild } from './child.js';
import { nodeModuleArgv } from './node-module.js';

const node = (script: string) => [process.execPath, '-e', script];
const READY = `console.log(JSON.stringify({ event: 'ready', pid: process.pid }));`;
const WAIT = 'setInterval(() => {}, 60_000);';
const base = { name: 'test child', place: 'process/test', code: 'E_TEST' } as const;
const readyPid = (message: unknown) => {
  const m = message as { event?: unknown; pid?: unknown };
  return m.event === 'ready' && typeof m.pid === 'number' ? m.pid : undefined;
};

/** Running, and not a zombie waiting for a reaper. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  const deadline = Date.now() + 5000;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('startChild', () => {
  it('waits for the JSON ready line, skipping other lines, and stops the child with SIGTERM', async () => {
    const lines: string[] = [];
    const child = await startChild({
      ...base,
      argv: node(`console.log('booting'); console.log('{"event":"starting"}'); ${READY} ${WAIT}`),
      ready: readyPid,
      onLine: (line) => lines.push(line),
    });
    expect(child.ready).toBe(child.pid);
    expect(lines).toEqual(['booting', '{"event":"starting"}', expect.stringContaining('"ready"')]);
    expect(child.stderrTail()).toContain('(stdout) booting');
    expect(await child.stop()).toEqual({ code: null, signal: 'SIGTERM' });
    expect(await child.stop()).toEqual({ code: null, signal: 'SIGTERM' }); // idempotent
  });

  it('kills a child that never gets ready and says what it printed on stderr', async () => {
    const error = await rejection(
      startChild({
        ...base,
        argv: node(`console.error('pid ' + process.pid + ' still booting'); ${WAIT}`),
        ready: readyPid,
        // Long enough for a node child to start and print on a loaded machine.
        readyTimeoutMs: 3000,
      }),
    );
    expect(isIceleakError(error, 'E_TEST')).toBe(true);
    expect(error.message).toMatch(
      /^process\/test: test child did not get ready within 3 s: pid \d+ still booting$/,
    );
    const pid = Number(/pid (\d+)/.exec(error.message)?.[1]);
    expect(await gone(pid)).toBe(true);
  });

  it('reports a child that exits before it is ready with its exit code and last words', async () => {
    const error = await rejection(
      startChild({ ...base, argv: node(`console.error('no such flag'); process.exit(3);`), ready: readyPid }),
    );
    expect(error.message).toBe('process/test: test child exited (code 3) before it was ready: no such flag');
  });

  it('is ready even when it exits right after its ready line (a run-to-completion child)', async () => {
    const child = await startChild({
      ...base,
      argv: node(`console.log(JSON.stringify({ event: 'ready', pid: 7 }));`),
      ready: readyPid,
    });
    expect(child.ready).toBe(7);
    expect(await child.exited).toEqual({ code: 0, signal: null });
  });

  it('SIGKILLs a child that ignores SIGTERM once the stop bound has passed', async () => {
    const child = await startChild({
      ...base,
      argv: node(`process.on('SIGTERM', () => {}); ${READY} ${WAIT}`),
      ready: readyPid,
      stopTimeoutMs: 200,
    });
    const started = Date.now();
    expect(await child.stop()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('rejects a command that cannot be run, with the spawn error as cause', async () => {
    const error = await rejection(startChild({ ...base, argv: ['/nonexistent/iceleak-test-command'] }));
    expect(isIceleakError(error, 'E_TEST')).toBe(true);
    expect(error.message).toMatch(
      /test child cannot start: spawn \/nonexistent\/iceleak-test-command ENOENT/,
    );
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('stops a child when aborted: before it is ready (rejecting) and after', async () => {
    const early = new AbortController();
    const starting = startChild({
      ...base,
      argv: node(`console.error('pid ' + process.pid); ${WAIT}`),
      ready: readyPid,
      signal: early.signal,
      // Aborted once it is running (a fixed delay could abort before it prints on a loaded machine).
      onStderr: (chunk) => {
        if (chunk.includes('pid')) early.abort();
      },
    });
    const error = await rejection(starting);
    expect(error.message).toMatch(/test child was aborted before it was ready: pid \d+$/);
    expect(await gone(Number(/pid (\d+)/.exec(error.message)?.[1]))).toBe(true);

    const late = new AbortController();
    const child = await startChild({
      ...base,
      argv: node(`${READY} ${WAIT}`),
      ready: readyPid,
      signal: late.signal,
    });
    late.abort();
    expect(await child.exited).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('stops the whole process group of a child that leads one', async () => {
    const script = `const sleeper = require('node:child_process').spawn('sleep', ['600'], { stdio: 'ignore' });
      console.log(JSON.stringify({ event: 'ready', pid: sleeper.pid })); ${WAIT}`;
    const child = await startChild({ ...base, argv: node(script), ready: readyPid, processGroup: true });
    expect(alive(child.ready)).toBe(true);
    await child.stop();
    expect(await gone(child.ready)).toBe(true);
  });
});

describe('a child started with startChild does not outlive its parent', () => {
  /** Starts child-owner.ts in `mode`; resolves with it and the pid of the child it started. */
  async function owner(mode: string) {
    const parent = await startChild({
      ...base,
      name: 'child owner',
      argv: [...nodeModuleArgv(new URL('./test-support/child-owner.js', import.meta.url)), mode],
      ready: (message) => (message as { child?: number }).child,
    });
    expect(alive(parent.ready)).toBe(true);
    return { parent, child: parent.ready };
  }

  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('when the parent gets %s', async (signal) => {
    const { parent, child } = await owner('wait');
    parent.process.kill(signal);
    expect(await parent.exited).toEqual({ code: null, signal });
    expect(await gone(child)).toBe(true);
  });

  it.each([
    ['throws an uncaught exception', 'throw', 1],
    ['calls process.exit', 'exit', 3],
  ])('when the parent %s', async (_how, mode, code) => {
    const { parent, child } = await owner(mode);
    expect(await parent.exited).toEqual({ code, signal: null });
    expect(await gone(child)).toBe(true);
  });

  it('when the parent handles SIGINT itself and exits later (the child lives until then)', async () => {
    const { parent, child } = await owner('handled');
    parent.process.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(alive(child)).toBe(true);
    expect(await parent.exited).toEqual({ code: 0, signal: null });
    expect(await gone(child)).toBe(true);
  });
});
