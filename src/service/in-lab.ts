import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { BrowserJob, BrowserJobResult } from '../browser/agent-protocol.js';
import { IceleakError } from '../core/errors.js';
import type { StoredResult } from '../core/verdict/result.js';
import type { Lab } from '../lab/index.js';
import { nodeModuleArgv } from '../lab/node-child.js';

/** `iceleak serve` running inside a lab's internet namespace. */
export interface LabService {
  /** The page URL, e.g. http://192.0.2.1:8080/ */
  readonly url: string;
  readonly stun: ReadonlyArray<{ transport: 'udp' | 'tcp'; address: string; port: number }>;
  readonly child: ChildProcess;
  /** SIGTERM (graceful: in-flight reports finish), SIGKILL after a bound. */
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Starts `iceleak serve` in the lab's internet namespace on the lab's service addresses
 * (HTTP on IPv4, STUN/ICE-lite on IPv4 and IPv6) and waits for its listening line.
 * Node cannot enter a namespace itself, so the service is a child process.
 */
export async function startServiceInLab(
  lab: Lab,
  options: { httpPort?: number; stunPort?: number; extraArgs?: string[] } = {},
): Promise<LabService> {
  const v4 = lab.service.ipv4;
  const v6 = lab.service.ipv6;
  const stunPort = options.stunPort ?? 3478;
  const argv = [
    ...nodeModuleArgv(new URL('../cli/main.js', import.meta.url)),
    'serve',
    '--json',
    // Dual-stack HTTP with an IPv4 and an IPv6 origin, so the page learns both HTTP-seen addresses.
    '--host',
    v6 ? '::' : v4,
    '--ipv4-host',
    v4,
    ...(v6 ? ['--ipv6-host', v6] : []),
    '--port',
    String(options.httpPort ?? 8080),
    '--stun-listen',
    `${v4}:${stunPort}`,
    ...(v6 ? ['--stun-listen', `[${v6}]:${stunPort}`] : []),
    '--no-store',
    '--log-level',
    'warn',
    ...(options.extraArgs ?? []),
  ];
  const child = lab.spawn('internet', argv);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (stderr.length < 20_000) stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const listening = await new Promise<{ url: string; stun: LabService['stun'] }>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      const timer = setTimeout(
        () => fail(`no listening line within ${START_TIMEOUT_MS / 1000} s`),
        START_TIMEOUT_MS,
      );
      function fail(why: string) {
        clearTimeout(timer);
        lines.close();
        reject(
          new IceleakError(
            'E_SERVICE_START',
            'service/in-lab',
            `${why}; stderr: ${stderr.trim().slice(-2000)}`,
          ),
        );
      }
      lines.on('line', (line) => {
        try {
          const event = JSON.parse(line) as { event?: string; url?: string; stun?: LabService['stun'] };
          if (event.event === 'listening' && event.url && event.stun) {
            clearTimeout(timer);
            resolve({ url: event.url, stun: event.stun });
          }
        } catch {
          // not our JSON line
        }
      });
      void exited.then(() => fail(`iceleak serve exited with ${child.exitCode ?? child.signalCode}`));
    });
    return { ...listening, child, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** What one visit of the leak-test page produced, read back from the page itself. */
export interface LeakTestVisit {
  readonly ok: boolean;
  readonly error?: string;
  /** The page path after the run: `/r/<id>`. */
  readonly path: string | null;
  /** The `data-verdict` attribute of the verdict element. */
  readonly verdict: string | null;
  /** Milliseconds from navigation start to the verdict shown (performance mark set by the probe). */
  readonly verdictShownMs: number | null;
  /** Milestones in ms since navigation start: responseEnd, domContentLoaded, start, reported, verdict-shown. */
  readonly timeline: Readonly<Record<string, number>>;
  /** `GET /api/results/<id>` as the page fetched it. */
  readonly result: StoredResult | null;
  readonly durationMs: number;
  readonly console: readonly string[];
}

/** The expression evaluated in the page once `[data-verdict]` exists. */
export const READ_VISIT_EXPRESSION = `(async () => {
  const el = document.querySelector('[data-verdict]');
  const mark = performance.getEntriesByName('iceleak:verdict-shown')[0];
  const id = location.pathname.split('/').pop();
  const res = await fetch('/api/results/' + id, { cache: 'no-store' });
  return { path: location.pathname, verdict: el ? el.getAttribute('data-verdict') : null,
           verdictShownMs: mark ? mark.startTime : null, result: res.ok ? await res.json() : null,
           timeline: Object.fromEntries([
             ...performance.getEntriesByType('mark').filter((m) => m.name.startsWith('iceleak:')).map((m) => [m.name.slice(8), Math.round(m.startTime)]),
             ...performance.getEntriesByType('navigation').flatMap((n) => [['responseEnd', Math.round(n.responseEnd)], ['domContentLoaded', Math.round(n.domContentLoadedEventStart)]]),
             ...performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/probe.js')).flatMap((r) => [['probeFetchStart', Math.round(r.fetchStart)], ['probeResponseEnd', Math.round(r.responseEnd)]]),
           ]) };
})()`;

/** The minimal view of the browser agent this helper needs (src/browser/agent-client.ts). */
export interface AgentLike {
  run(job: BrowserJob): Promise<BrowserJobResult>;
}

/** Loads the leak-test page with a defence profile (through the lab's proxy, if given) and reads the outcome. */
export async function visitLeakTest(
  agent: AgentLike,
  job: Pick<BrowserJob, 'profile' | 'proxy' | 'url' | 'timeoutMs' | 'freshProcess'>,
): Promise<LeakTestVisit> {
  const run = await agent.run({
    ...job,
    waitFor: { selector: '[data-verdict]' },
    evaluate: READ_VISIT_EXPRESSION,
    timeoutMs: job.timeoutMs ?? 30_000,
  });
  const value = (run.value ?? {}) as Partial<LeakTestVisit>;
  return {
    ok: run.ok,
    ...(run.error ? { error: run.error } : {}),
    path: value.path ?? null,
    verdict: value.verdict ?? null,
    verdictShownMs: value.verdictShownMs ?? null,
    timeline: value.timeline ?? {},
    result: value.result ?? null,
    durationMs: run.durationMs,
    console: run.console,
  };
}
