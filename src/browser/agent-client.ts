import { rmSync } from 'node:fs';
import { IceleakError } from '../core/errors.js';
import { atProcessEnd, type Child, nodeModuleArgv, startChild } from '../process/index.js';
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

/** An agent message, as far as the client must know it to route it. */
function agentMessage(message: unknown): AgentMessage | undefined {
  return typeof (message as { type?: unknown } | null)?.type === 'string'
    ? (message as AgentMessage)
    : undefined;
}

/** What the client follows of a running agent: its browsers (groups, profiles) and the pending jobs. */
function agentBook() {
  const browsers = new Set<number>();
  // Profile directories of browsers the agent started: removed here too if the agent dies
  // before it can remove them (rm of an already removed directory is a no-op).
  const dirs = new Set<string>();
  const pending = new Map<number, { resolve: (r: BrowserJobResult) => void; reject: (e: Error) => void }>();
  let fatal = '';
  return {
    pending,
    fatal: () => fatal,
    onLine(line: string) {
      let message: AgentMessage | undefined;
      try {
        message = agentMessage(JSON.parse(line));
      } catch {
        return; // startChild keeps it in the stderr tail
      }
      if (message?.type === 'browser') {
        if (message.started) {
          browsers.add(message.pid);
          dirs.add(message.dir);
        } else browsers.delete(message.pid);
      } else if (message?.type === 'result') {
        pending.get(message.seq)?.resolve(message.result);
        pending.delete(message.seq);
      } else if (message?.type === 'fatal') {
        fatal = `${fatal}\n${message.error}`;
      }
    },
    killBrowsers() {
      for (const pid of browsers) killGroup(pid, 'SIGKILL');
      for (const dir of dirs) {
        try {
          rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
        } catch {
          // best effort; the owner's tmp cleaning gets the rest
        }
      }
      dirs.clear();
    },
  };
}

/**
 * Starts the browser agent, inside `netns` when given. The agent leads its own process group,
 * and every browser it starts leads one too: `close()` (and this process's end) kills those
 * groups and removes the browsers' profiles, so no browser outlives its owner.
 */
export async function startBrowserAgent(options: BrowserAgentOptions): Promise<BrowserAgent> {
  const place = `browser/agent${options.netns ? `@${options.netns}` : ''}`;
  const book = agentBook();
  const { pending, killBrowsers } = book;
  // The agent's own group is killed by startChild's guard; the browsers' groups are not in it.
  const forgetBrowsers = atProcessEnd(killBrowsers);

  let agent: Child<true>;
  try {
    agent = await startChild({
      name: 'browser agent',
      place,
      code: 'E_AGENT_START',
      argv: nodeModuleArgv(new URL('./agent.js', import.meta.url)),
      netns: options.netns,
      ready: (message) => (agentMessage(message)?.type === 'ready' ? true : undefined),
      readyTimeoutMs: options.startTimeoutMs ?? 30_000,
      // The agent closes its browsers and removes their profiles on SIGTERM; give it time.
      stopTimeoutMs: 10_000,
      onLine: book.onLine,
      stdin: true,
      processGroup: true,
    });
  } catch (error) {
    killBrowsers();
    forgetBrowsers();
    throw error;
  }

  let closing = false;
  let exited = false;
  void agent.exited.then(({ code, signal }) => {
    exited = true;
    const said = `${agent.stderrTail()}${book.fatal()}`;
    const why = closing
      ? 'browser agent was closed'
      : `browser agent exited (code ${code}, signal ${signal})${said.trim() ? `: ${lastLines(said)}` : ''}`;
    for (const { reject } of pending.values()) reject(new IceleakError('E_AGENT_DIED', place, why));
    pending.clear();
    // Browsers the agent could not close itself, and their profiles.
    killBrowsers();
    forgetBrowsers();
  });

  let seq = 0;
  const send = (request: AgentRequest) => agent.process.stdin?.write(`${JSON.stringify(request)}\n`);
  let closePromise: Promise<void> | null = null;

  return {
    pid: agent.pid,
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
        // Polite first (SIGTERM: the agent closes its browsers), SIGKILL to its group after the bound.
        await agent.stop();
        killBrowsers();
        forgetBrowsers();
      })();
      return closePromise;
    },
  };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
