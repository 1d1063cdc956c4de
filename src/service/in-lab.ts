/**
 * The service inside a lab, for the audit, e2e tests and benchmarks. It lives in service/, not
 * lab/: it knows `iceleak serve`'s flags and the service's results, and the service may use
 * the lab while the lab must not know the service.
 */
import type { ChildProcess } from 'node:child_process';
import type { BrowserJob, BrowserJobResult } from '../browser/agent-protocol.js';
import type { StoredResult } from '../core/verdict/result.js';
import type { Lab } from '../lab/index.js';
import { nodeModuleArgv, startChild } from '../process/index.js';

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

/** `iceleak serve --json`'s first line: `{"event":"listening","url":…,"stun":[…]}`. */
function listeningLine(message: unknown): Pick<LabService, 'url' | 'stun'> | undefined {
  const event = message as { event?: unknown; url?: unknown; stun?: unknown } | null;
  return event?.event === 'listening' && typeof event.url === 'string' && Array.isArray(event.stun)
    ? { url: event.url, stun: event.stun as LabService['stun'] }
    : undefined;
}

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
  const service = await startChild({
    name: 'iceleak serve',
    place: 'service/in-lab',
    code: 'E_SERVICE_START',
    argv,
    netns: lab.namespaces.internet,
    ready: listeningLine,
    readyTimeoutMs: START_TIMEOUT_MS,
    stopTimeoutMs: STOP_TIMEOUT_MS,
  });
  return {
    ...service.ready,
    child: service.process,
    close: async () => {
      await service.stop();
    },
  };
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
