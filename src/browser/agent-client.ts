import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { IceleakError } from '../core/errors.js';
import { nodeModuleArgv } from '../lab/node-child.js';
import type { AgentMessage, AgentRequest, BrowserJob, BrowserJobResult } from './agent-protocol.js';

export type { BrowserJob, BrowserJobResult } from './agent-protocol.js';

/** A browser agent process (see agent.ts): runs page jobs, each in a fresh browser context or profile. */
export interface BrowserAgent {
  /** The agent process (leader of its own process group). */
  readonly pid: number;
  /** Runs one job. Page failures come back as `ok: false`; rejects only if the agent itself dies. */
  run(job: BrowserJob): Promise<BrowserJobResult>;
  /** Stops the agent and every browser it started; idempotent. */
  close(): Promise<void>;
}

export interface BrowserAgentOptions {
  /** Network namespace to run in (`ip netns exec`), or null for the current one (host audit). */
  readonly netns: string | null;
  /** How long the agent may take to start; default 30 s. */
  readonly startTimeoutMs?: number;
}

const STDERR_KEEP = 4096;

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts the browser agent, inside `netns` when given. The agent is its own process group;
 * `close()` (and this process's exit) kills that group and every browser group it reported,
 * so no browser outlives its owner.
 */
export async function startBrowserAgent(options: BrowserAgentOptions): Promise<BrowserAgent> {
  const place = `browser/agent${options.netns ? `@${options.netns}` : ''}`;
  const moduleArgv = nodeModuleArgv(new URL('./agent.js', import.meta.url));
  const argv = options.netns ? ['ip', 'netns', 'exec', options.netns, ...moduleArgv] : moduleArgv;
  const [command, ...args] = argv as [string, ...string[]];
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  } catch (error) {
    throw new IceleakError('E_AGENT_START', place, `cannot run ${command}: ${(error as Error).message}`);
  }
  const agentPid = child.pid;
  const browsers = new Set<number>();
  // Profile directories of browsers the agent started: removed here too if the agent dies
  // before it can remove them (rm of an already removed directory is a no-op).
  const dirs = new Set<string>();
  const removeDirs = () => {
    for (const dir of dirs) {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // best effort; the owner's tmp cleaning gets the rest
      }
    }
    dirs.clear();
  };
  let stderrTail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_KEEP);
  });

  const killAll = () => {
    for (const pid of browsers) killGroup(pid, 'SIGKILL');
    killGroup(agentPid, 'SIGKILL');
    removeDirs();
  };
  // Last resort if the owner exits without close(): nothing may keep running.
  process.on('exit', killAll);

  const pending = new Map<number, { resolve: (r: BrowserJobResult) => void; reject: (e: Error) => void }>();
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let closing = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      const why = closing
        ? 'browser agent was closed'
        : `browser agent exited (code ${code}, signal ${signal})${stderrTail ? `: ${lastLines(stderrTail)}` : ''}`;
      for (const { reject } of pending.values()) reject(new IceleakError('E_AGENT_DIED', place, why));
      pending.clear();
      // Browsers the agent could not close itself, and their profiles.
      for (const pid of browsers) killGroup(pid, 'SIGKILL');
      removeDirs();
      process.off('exit', killAll);
      resolve();
    });
  });
  child.once('error', (error) => {
    stderrTail += `\n${error.message}`;
  });
  child.stdin.on('error', () => {
    // the agent is gone; the exit handler reports it
  });

  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', (line) => {
    let message: AgentMessage;
    try {
      message = JSON.parse(line) as AgentMessage;
    } catch {
      stderrTail = `${stderrTail}\n(stdout) ${line}`.slice(-STDERR_KEEP);
      return;
    }
    if (message.type === 'ready') markReady();
    else if (message.type === 'browser') {
      if (message.started) {
        browsers.add(message.pid);
        dirs.add(message.dir);
      } else browsers.delete(message.pid);
    } else if (message.type === 'result') {
      pending.get(message.seq)?.resolve(message.result);
      pending.delete(message.seq);
    } else if (message.type === 'fatal') {
      stderrTail = `${stderrTail}\n${message.error}`.slice(-STDERR_KEEP);
    }
  });

  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  let startTimer: NodeJS.Timeout | undefined;
  const startOutcome = await Promise.race([
    ready.then(() => 'ready' as const),
    exitPromise.then(() => 'exited' as const),
    new Promise<'timeout'>((resolve) => {
      startTimer = setTimeout(() => resolve('timeout'), startTimeoutMs);
    }),
  ]);
  clearTimeout(startTimer);
  if (startOutcome !== 'ready') {
    killAll();
    await exitPromise;
    const reason =
      startOutcome === 'timeout' ? `did not start within ${startTimeoutMs} ms` : 'exited before it was ready';
    const hint =
      options.netns && process.getuid?.() !== 0 ? ' (entering a network namespace needs root)' : '';
    throw new IceleakError(
      'E_AGENT_START',
      place,
      `browser agent ${reason}${hint}${stderrTail ? `: ${lastLines(stderrTail)}` : ''}`,
    );
  }

  let seq = 0;
  const send = (request: AgentRequest) => child.stdin.write(`${JSON.stringify(request)}\n`);
  let closePromise: Promise<void> | null = null;

  return {
    pid: agentPid ?? -1,
    run(job) {
      if (exited || closing)
        return Promise.reject(new IceleakError('E_AGENT_DIED', place, 'browser agent is not running'));
      const id = ++seq;
      return new Promise<BrowserJobResult>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send({ type: 'run', seq: id, job });
      });
    },
    close() {
      closePromise ??= (async () => {
        closing = true;
        if (!exited) {
          // Polite first: the agent closes its browsers and removes their profiles.
          child.stdin.end();
          const timer = setTimeout(() => killAll(), 10_000);
          await exitPromise;
          clearTimeout(timer);
        }
        for (const pid of browsers) killGroup(pid, 'SIGKILL');
        // The agent's own group (e.g. `ip netns exec`'s children) too.
        killGroup(agentPid, 'SIGKILL');
        process.off('exit', killAll);
      })();
      return closePromise;
    },
  };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
