import type { ChildProcess } from 'node:child_process';

/**
 * Cleanups that must run however this process ends. `exit` covers a normal end,
 * `process.exit()` and an uncaught exception; SIGINT, SIGTERM and SIGHUP end a process
 * without an `exit` event unless someone handles them, so they are caught here too.
 * Nothing runs on SIGKILL: `iceleak lab clean` (src/lab/state.ts) removes what that leaves
 * in namespaces.
 */
type Cleanup = () => void;

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** Run on every such signal, even one another handler turns into an orderly shutdown. */
const onEverySignal = new Set<Cleanup>();
/** Run when the process really ends: on `exit`, or on a signal nobody else handles. */
const atEnd = new Set<Cleanup>();
let installed = false;

function runAll(cleanups: Set<Cleanup>): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // keep going: the other cleanups must still run
    }
  }
}

function onExit(): void {
  runAll(onEverySignal);
  runAll(atEnd);
}

function onSignal(signal: NodeJS.Signals): void {
  runAll(onEverySignal);
  // Nobody else handles it, so it ends the process: clean up, restore the default action
  // (terminate) and re-raise it, so the exit status still says which signal it was.
  if (process.listenerCount(signal) === 1) {
    runAll(atEnd);
    process.off(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

/**
 * Runs `cleanup` (synchronous: an `exit` handler cannot wait) when this process ends.
 * `onEverySignal`: also on a SIGINT/SIGTERM/SIGHUP that another handler catches (the lab
 * removes its namespaces at once, see src/lab/lab.ts). Returns the function that unregisters it.
 */
export function atProcessEnd(cleanup: Cleanup, options: { onEverySignal?: boolean } = {}): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', onExit);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  const set = options.onEverySignal ? onEverySignal : atEnd;
  set.add(cleanup);
  return () => {
    set.delete(cleanup);
  };
}

/** Sends `signal` to `child`, or to its whole process group when it leads one; never throws. */
export function signalChild(child: ChildProcess, signal: NodeJS.Signals, group: boolean): void {
  try {
    if (group && child.pid !== undefined) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

/** SIGKILLs `child` (its group, with `group`) if this process ends while it still runs. */
export function killAtProcessEnd(child: ChildProcess, group: boolean): void {
  const forget = atProcessEnd(() => signalChild(child, 'SIGKILL', group));
  child.once('exit', forget);
  child.once('error', () => {
    if (child.pid === undefined) forget();
  });
}
