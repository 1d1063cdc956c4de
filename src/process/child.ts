import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { type ErrorCode, IceleakError } from '../core/errors.js';
import { signalChild } from './process-end.js';
import { type Bind, spawnChild } from './spawn.js';

/** How a child ended: its exit code, or the signal that ended it (both null: it never started). */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** What `startChild` runs and how it knows the child is ready. */
export interface StartChildOptions<Ready> {
  /** What to run, e.g. `[...nodeModuleArgv(url), '--flag']`. */
  readonly argv: readonly string[];
  /** Run inside this network namespace (`ip netns exec`). */
  readonly netns?: string | null;
  /** Names the child in messages, e.g. `iceleak serve`. */
  readonly name: string;
  /** Where and with which code a failed start is reported, e.g. `service/in-lab`, `E_SERVICE_START`. */
  readonly place: string;
  readonly code: ErrorCode;
  /**
   * Recognises the ready line: gets every stdout line that is JSON, parsed, until it returns
   * something other than undefined, which becomes `Child.ready`. Without it the child is
   * ready once spawned (and `ready` is `true`).
   */
  readonly ready?: (message: unknown) => Ready | undefined;
  /** How long the ready line may take; default 30 s. */
  readonly readyTimeoutMs?: number;
  /** How long `stop()` waits after SIGTERM before SIGKILL; default 5 s. */
  readonly stopTimeoutMs?: number;
  /** Every stdout line, before and after ready (children that report events as lines). */
  readonly onLine?: (line: string) => void;
  /** Every stderr chunk (to pass it through); the last few KB are kept for messages anyway. */
  readonly onStderr?: (chunk: string) => void;
  /** Keep stdin open for a line protocol (the browser agent); otherwise it reads /dev/null. */
  readonly stdin?: boolean;
  /** Leader of its own process group: signals reach the whole group, and what is left of it goes on stop. */
  readonly processGroup?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Bind mounts only this child sees (see `SpawnChildOptions.binds`). */
  readonly binds?: readonly Bind[];
  /** Aborting stops the child; before it is ready, `startChild` rejects. */
  readonly signal?: AbortSignal;
}

/** A `ready` for children whose ready line is `{"event": "<event>", …}`, e.g. `iceleak stun`'s `listening`. */
export function readyOnEvent(event: string): (message: unknown) => true | undefined {
  return (message) => ((message as { event?: unknown } | null)?.event === event ? true : undefined);
}

/** A started child (see `startChild`). */
export interface Child<Ready> {
  readonly process: ChildProcess;
  readonly pid: number;
  /** What the ready line said. */
  readonly ready: Ready;
  /** Resolves once the child has exited; never rejects. */
  readonly exited: Promise<ChildExit>;
  /** The end of its stderr (and of stdout lines that were not JSON), for messages. */
  stderrTail(): string;
  /** SIGTERM (a graceful stop), SIGKILL after the stop bound; resolves once it has exited. Idempotent. */
  stop(): Promise<ChildExit>;
}

const TAIL_CHARS = 4096;
const MESSAGE_CHARS = 2000;

/** The tail as one line of a message: the CLI prints errors on one line. */
function oneLine(tail: string): string {
  const lines = tail
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.join(' | ').slice(-MESSAGE_CHARS);
}

function startError(
  options: StartChildOptions<unknown>,
  reason: string,
  tail: string,
  cause: unknown,
): IceleakError {
  const hint = options.netns && process.getuid?.() !== 0 ? ' (entering a network namespace needs root)' : '';
  const said = oneLine(tail);
  return new IceleakError(
    options.code,
    options.place,
    `${options.name} ${reason}${hint}${said ? `: ${said}` : ''}`,
    { argv: options.argv },
    cause === undefined ? undefined : { cause },
  );
}

/** A spawned child with its stderr tail, exit and stop, before and after it is ready. */
interface Running {
  readonly child: ChildProcess;
  readonly exited: Promise<ChildExit>;
  /** The error of a spawn that failed (ENOENT…), once known. */
  spawnError(): Error | undefined;
  tail(): string;
  note(text: string): void;
  stop(): Promise<ChildExit>;
}

function launch(options: StartChildOptions<unknown>): Running {
  const group = options.processGroup ?? false;
  const child = spawnChild(options.argv, {
    netns: options.netns ?? null,
    stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    processGroup: group,
    ...(options.env ? { env: options.env } : {}),
    ...(options.binds ? { binds: options.binds } : {}),
  });
  let tail = '';
  const note = (text: string) => {
    tail = (tail + text).slice(-TAIL_CHARS);
  };
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    note(chunk);
    options.onStderr?.(chunk);
  });
  child.stdin?.on('error', () => {}); // the child may be gone; its exit says why

  let spawnError: Error | undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      // A failed spawn; a failed kill() of a live child emits 'error' too, but has a pid.
      if (child.pid !== undefined) return;
      spawnError = error;
      resolve({ code: null, signal: null });
    });
  });
  const ended = () => spawnError !== undefined || child.exitCode !== null || child.signalCode !== null;

  let stopping: Promise<ChildExit> | undefined;
  const stop = (): Promise<ChildExit> => {
    stopping ??= (async () => {
      if (!ended()) {
        signalChild(child, 'SIGTERM', group);
        const timer = setTimeout(() => signalChild(child, 'SIGKILL', group), options.stopTimeoutMs ?? 5_000);
        await exited;
        clearTimeout(timer);
      }
      // Whatever the leader left behind in its group goes too.
      if (group && spawnError === undefined) signalChild(child, 'SIGKILL', true);
      return exited;
    })();
    return stopping;
  };
  return { child, exited, spawnError: () => spawnError, tail: () => tail, note, stop };
}

/** Resolves with the ready value; rejects (after stopping the child) when it cannot get ready. */
function untilReady<Ready>(running: Running, options: StartChildOptions<Ready>): Promise<Ready> {
  const { child } = running;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  return new Promise<Ready>((resolve, reject) => {
    let settled = false;
    const settle = () => {
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (reason: string, cause?: unknown) => {
      if (settled) return;
      settle();
      // The message is made once it has exited, so it carries its last words.
      void running.stop().then(() => reject(startError(options, reason, running.tail(), cause)));
    };
    const succeed = (ready: Ready) => {
      if (settled) return;
      settle();
      resolve(ready);
    };
    const onAbort = () => fail('was aborted before it was ready', options.signal?.reason);
    const timer = setTimeout(
      () => fail(`did not get ready within ${readyTimeoutMs / 1000} s`),
      readyTimeoutMs,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const readyFrom = options.ready;
    if (readyFrom === undefined) child.once('spawn', () => succeed(true as Ready));
    if (child.stdout) {
      createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
        options.onLine?.(line);
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          running.note(`(stdout) ${line}\n`);
          return;
        }
        if (settled || readyFrom === undefined) return;
        let ready: Ready | undefined;
        try {
          ready = readyFrom(message);
        } catch (error) {
          fail(`sent a ready line that could not be read: ${line.slice(0, 200)}`, error);
          return;
        }
        if (ready !== undefined) succeed(ready);
      });
    }
    child.once('error', (error) => {
      if (child.pid === undefined) fail(`cannot start: ${error.message}`, error);
    });
    // 'close', not 'exit': a child that prints its ready line and exits at once is still ready.
    child.once('close', (code, signal) =>
      fail(`exited (${signal ? `signal ${signal}` : `code ${code}`}) before it was ready`),
    );
  });
}

/**
 * Starts a long-running child (inside `netns` when given) and waits for its JSON ready
 * line. A child that does not get ready in time, exits first, or is aborted is stopped
 * before the promise rejects with an IceleakError carrying the end of its stderr. Every
 * child is killed if this process ends while it runs (src/process/process-end.ts).
 */
export async function startChild<Ready = true>(options: StartChildOptions<Ready>): Promise<Child<Ready>> {
  const { signal } = options;
  if (signal?.aborted) throw startError(options, 'was aborted before it started', '', signal.reason);
  let running: Running;
  try {
    running = launch(options);
  } catch (error) {
    throw startError(options, `cannot start: ${(error as Error).message}`, '', error);
  }
  const ready = await untilReady(running, options);
  if (signal) {
    // From now on, aborting stops it.
    const stopOnAbort = () => void running.stop();
    if (signal.aborted) stopOnAbort();
    signal.addEventListener('abort', stopOnAbort, { once: true });
    void running.exited.then(() => signal.removeEventListener('abort', stopOnAbort));
  }
  const { child, exited, stop } = running;
  return { process: child, pid: child.pid ?? -1, ready, exited, stderrTail: running.tail, stop };
}

/**
 * Starts several children at once. All get ready, or none is left running: when one fails,
 * those that did start are stopped and the first failure is thrown.
 */
export async function startChildren<Ready>(
  list: readonly StartChildOptions<Ready>[],
): Promise<Child<Ready>[]> {
  const started = await Promise.allSettled(list.map((options) => startChild(options)));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed === undefined)
    return started.map((result) => (result as PromiseFulfilledResult<Child<Ready>>).value);
  await Promise.all(
    started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)),
  );
  throw failed.reason;
}
