/**
 * The browser agent: a child-process entry that drives browsers from *inside* a network
 * namespace (`ip netns exec NS node agent.js`). Node cannot enter a namespace, and Firefox's
 * WebDriver BiDi listens on a loopback WebSocket only reachable from inside it.
 *
 * Protocol: one JSON `AgentRequest` per stdin line, one JSON `AgentMessage` per stdout line
 * (see agent-protocol.ts). Everything else the agent says goes to stderr. Browsers are
 * closed and their profile directories removed when stdin closes, on SIGTERM/SIGINT/SIGHUP,
 * and on the agent's own errors.
 */
import { createInterface } from 'node:readline';
import type { AgentMessage, AgentRequest } from './agent-protocol.js';
import { BrowserPool, killGroup } from './browser-pool.js';

const browsers = new Set<number>();

function send(message: AgentMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const pool = new BrowserPool((pid, started, dir) => {
  if (started) browsers.add(pid);
  else browsers.delete(pid);
  send({ type: 'browser', pid, started, dir });
});

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  const hardStop = setTimeout(() => {
    for (const pid of browsers) killGroup(pid);
    process.exit(code);
  }, 8000);
  try {
    await pool.close();
  } finally {
    clearTimeout(hardStop);
    for (const pid of browsers) killGroup(pid);
    process.exit(code);
  }
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => void shutdown(0));
}
process.on('uncaughtException', (error) => {
  process.stderr.write(`iceleak agent: ${error.stack ?? error.message}\n`);
  send({ type: 'fatal', error: error.message });
  void shutdown(1);
});
process.on('unhandledRejection', (error) => {
  process.stderr.write(`iceleak agent: unhandled rejection ${String(error)}\n`);
});
// The host died or closed our stdout: nobody can read results, stop.
process.stdout.on('error', () => void shutdown(1));

const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
lines.on('line', (line) => {
  if (!line.trim()) return;
  let request: AgentRequest;
  try {
    request = JSON.parse(line) as AgentRequest;
  } catch {
    process.stderr.write(`iceleak agent: ignoring a line that is not JSON: ${line.slice(0, 80)}\n`);
    return;
  }
  if (request.type === 'shutdown') {
    void shutdown(0);
    return;
  }
  if (request.type === 'run') {
    const { seq, job } = request;
    void pool.run(job).then((result) => send({ type: 'result', seq, result }));
  }
});
lines.on('close', () => void shutdown(0));

send({ type: 'ready', pid: process.pid });
