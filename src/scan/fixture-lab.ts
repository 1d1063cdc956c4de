import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { IceleakError } from '../core/errors.js';
import type { StunBindingObservation } from '../core/observation.js';
import { nodeModuleArgv } from '../lab/node-child.js';

/** The corpus lab: a namespace with the fixture sites and iceleak's STUN server inside. */
export interface FixtureLab {
  readonly netns: string;
  /** `http://10.77.0.2:8080`: serves the pages. */
  readonly siteA: string;
  /** `http://10.77.0.3:8080`: the second origin (cross-origin ad frame). */
  readonly siteB: string;
  readonly stunUrl: string;
  /** URLs the fixture server has been asked for so far. */
  readonly requested: () => readonly string[];
  /** Binding requests iceleak's STUN server has seen so far. */
  readonly bindings: () => readonly StunBindingObservation[];
  close(): Promise<void>;
}

const A = '10.77.0.2';
const B = '10.77.0.3';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

// Starts `argv` inside the namespace. The child is returned at once, so the caller can track
// it for cleanup even when it never gets ready; `ready` resolves on its "listening" line.
function startChild(
  netns: string,
  argv: string[],
  onLine: (line: string) => void,
): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn('ip', ['netns', 'exec', netns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${argv.at(-1)}: not listening after 20 s: ${stderr}`)),
      20_000,
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"event":"listening"')) {
        clearTimeout(timer);
        resolve();
      }
      onLine(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr}`));
    });
  });
  return { child, ready };
}

/**
 * Creates namespace `il-scan-<tag>` (lo + a veth pair holding 10.77.0.2 and 10.77.0.3/24
 * and a default route, so Chromium has a default-route interface for its host candidate),
 * then starts the fixture server and `iceleak stun` inside it. Needs root. Everything is
 * removed by `close()`, and on failure before it returns.
 */
export async function startFixtureLab(tag = String(process.pid)): Promise<FixtureLab> {
  if (process.getuid?.() !== 0) {
    throw new IceleakError(
      'E_SCAN_LAB_ROOT',
      'scan/fixture-lab',
      'the corpus lab needs root (network namespaces)',
    );
  }
  const netns = `il-scan-${tag}`.slice(0, 15);
  const children: ChildProcess[] = [];
  const seen: StunBindingObservation[] = [];
  const requested: string[] = [];
  const close = async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        // `ip netns exec` execs in place, so the pid is the Node server itself.
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }
    try {
      ip('netns', 'del', netns);
    } catch {}
  };
  try {
    ip('netns', 'add', netns);
    ip('-n', netns, 'link', 'set', 'lo', 'up');
    ip('-n', netns, 'link', 'add', 'il0', 'type', 'veth', 'peer', 'name', 'il1');
    ip('-n', netns, 'addr', 'add', `${A}/24`, 'dev', 'il0');
    ip('-n', netns, 'addr', 'add', `${B}/24`, 'dev', 'il0');
    ip('-n', netns, 'link', 'set', 'il0', 'up');
    ip('-n', netns, 'link', 'set', 'il1', 'up');
    ip('-n', netns, 'route', 'add', 'default', 'dev', 'il0');
    const stunUrl = `stun:${A}:3478`;
    const siteA = `http://${A}:8080`;
    const siteB = `http://${B}:8080`;
    const serverArgv = nodeModuleArgv(new URL('./fixture-server.js', import.meta.url));
    const fixture = startChild(
      netns,
      [...serverArgv, '--listen', `${A}:8080`, '--listen', `${B}:8080`, '--stun', stunUrl, '--other', siteB],
      (line) => {
        try {
          const r = JSON.parse(line) as { event?: string; url?: string };
          if (r.event === 'request' && typeof r.url === 'string') requested.push(r.url);
        } catch {}
      },
    );
    children.push(fixture.child);
    const stunArgv = nodeModuleArgv(new URL('../cli/main.js', import.meta.url));
    const stun = startChild(netns, [...stunArgv, 'stun', '--listen', `${A}:3478`], (line) => {
      try {
        const o = JSON.parse(line) as StunBindingObservation & { event?: string };
        if (o.kind === 'stun-binding') seen.push(o);
      } catch {}
    });
    children.push(stun.child);
    // Either may fail after the other already did (close() kills both): keep that quiet.
    for (const { ready } of [fixture, stun]) ready.catch(() => {});
    await Promise.all([fixture.ready, stun.ready]);
    return {
      netns,
      siteA,
      siteB,
      stunUrl,
      requested: () => [...requested],
      bindings: () => [...seen],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
