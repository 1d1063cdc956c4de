import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import { IceleakError } from '../core/errors.js';
import { killAtProcessEnd } from './process-end.js';

/** How `spawnChild` starts a process. */
export interface SpawnChildOptions {
  /** Run inside this network namespace (`ip netns exec`, which execs in place: the pid is the command's). */
  readonly netns?: string | null;
  readonly stdio?: StdioOptions;
  readonly env?: NodeJS.ProcessEnv;
  /** Leader of its own process group (no terminal Ctrl-C reaches it; signal the group to reach its children). */
  readonly processGroup?: boolean;
  /**
   * Left running when this process ends (a proxy of a lab kept by `iceleak lab up`). Every
   * other child is SIGKILLed then, so nothing outlives its owner.
   */
  readonly outliveParent?: boolean;
  /**
   * Files or directories bind-mounted over paths of the host, seen by this child only (a
   * private mount namespace, util-linux `unshare --mount --propagation private`): how a lab
   * host gets its own resolv.conf or a browser its own policy directory without touching the
   * host's. Each target must exist.
   */
  readonly binds?: readonly Bind[];
}

/** One bind mount: `source` appears at `target` for one child. */
export interface Bind {
  readonly source: string;
  readonly target: string;
}

/**
 * The argv that runs `argv` with `binds` mounted in a private mount namespace. Paths travel as
 * positional arguments, never inside the script, so no path can be read as shell code.
 */
export function withBinds(binds: readonly Bind[] | undefined, argv: readonly string[]): string[] {
  if (binds === undefined || binds.length === 0) return [...argv];
  const script =
    'n=$1; shift; while [ "$n" -gt 0 ]; do mount --bind -- "$1" "$2"; shift 2; n=$((n-1)); done; exec "$@"';
  return [
    'unshare',
    '--mount',
    '--propagation',
    'private',
    '--',
    'sh',
    '-ec',
    script,
    'iceleak-binds',
    String(binds.length),
    ...binds.flatMap((b) => [b.source, b.target]),
    ...argv,
  ];
}

/** The argv that runs `argv` inside `netns` (Node cannot enter a namespace itself). */
export function inNamespace(netns: string | null | undefined, argv: readonly string[]): string[] {
  return netns ? ['ip', 'netns', 'exec', netns, ...argv] : [...argv];
}

/**
 * Starts `argv`: the one place iceleak spawns a long-running process. Unless `outliveParent`,
 * the child is killed if this process ends first (src/process/process-end.ts). Spawn
 * failures (ENOENT…) arrive as the child's `error` event, as with `child_process.spawn`.
 */
export function spawnChild(argv: readonly string[], options: SpawnChildOptions = {}): ChildProcess {
  const [file, ...args] = inNamespace(options.netns, withBinds(options.binds, argv));
  if (file === undefined) throw new IceleakError('E_PROCESS_ARGV', 'process/spawn', 'empty argv');
  const child = spawn(file, args, {
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    detached: options.processGroup ?? false,
  });
  if (!options.outliveParent) killAtProcessEnd(child, options.processGroup ?? false);
  return child;
}
