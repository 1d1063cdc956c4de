import { IceleakError } from '../core/errors.js';
import type { StunBindingObservation } from '../core/observation.js';
import { startNetwork, type Topology } from '../lab/index.js';
import { type Child, nodeModuleArgv, readyOnEvent, startChildren } from '../process/index.js';

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

/**
 * One namespace holding both sites on a veth pair whose ends both stay inside, with a default
 * route: Chromium needs a default-route interface for its host candidate, and no packet can
 * leave.
 */
const CORPUS: Topology<'corpus'> = {
  hosts: ['corpus'],
  routers: [],
  links: [
    {
      a: { host: 'corpus', ifname: 'il0', addresses: [`${A}/24`, `${B}/24`] },
      b: { host: 'corpus', ifname: 'il1', addresses: [] },
    },
  ],
  routes: [{ host: 'corpus', to: 'default', dev: 'il0' }],
  nat: [],
  service: null,
};

/** Calls `onMessage` with each JSON line, ignoring the rest. */
function jsonLines(onMessage: (message: Record<string, unknown>) => void): (line: string) => void {
  return (line) => {
    try {
      onMessage(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not a JSON line
    }
  };
}

/**
 * Builds the corpus network (a lab network named `scan-corpus-<tag>`, so `iceleak lab clean`
 * removes what a crashed run leaves), then starts the fixture server and `iceleak stun`
 * inside it. Needs root. Everything is removed by `close()`, and on failure before it returns.
 */
export async function startFixtureLab(tag = String(process.pid)): Promise<FixtureLab> {
  if (process.getuid?.() !== 0) {
    throw new IceleakError(
      'E_SCAN_LAB_ROOT',
      'scan/fixture-lab',
      'the corpus lab needs root (network namespaces)',
    );
  }
  const network = await startNetwork(`scan-corpus-${tag}`, CORPUS);
  const netns = network.namespaces.corpus;
  const seen: StunBindingObservation[] = [];
  const requested: string[] = [];
  let children: Child<true>[] = [];
  const close = async () => {
    await Promise.all(children.map((child) => child.stop()));
    await network.close();
  };
  const stunUrl = `stun:${A}:3478`;
  const siteA = `http://${A}:8080`;
  const siteB = `http://${B}:8080`;
  const common = {
    place: 'scan/fixture-lab',
    code: 'E_SCAN_LAB_START' as const,
    netns,
    ready: readyOnEvent('listening'),
    readyTimeoutMs: 20_000,
    stopTimeoutMs: 3_000,
  };
  const servers = [
    {
      ...common,
      name: 'fixture server',
      argv: [
        ...nodeModuleArgv(new URL('./fixture-server.js', import.meta.url)),
        ...['--listen', `${A}:8080`, '--listen', `${B}:8080`, '--stun', stunUrl, '--other', siteB],
      ],
      onLine: jsonLines((r) => {
        if (r.event === 'request' && typeof r.url === 'string') requested.push(r.url);
      }),
    },
    {
      ...common,
      name: 'iceleak stun',
      argv: [...nodeModuleArgv(new URL('../cli/main.js', import.meta.url)), 'stun', '--listen', `${A}:3478`],
      onLine: jsonLines((o) => {
        if (o.kind === 'stun-binding') seen.push(o as unknown as StunBindingObservation);
      }),
    },
  ];
  try {
    children = await startChildren(servers);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    netns,
    siteA,
    siteB,
    stunUrl,
    requested: () => [...requested],
    bindings: () => [...seen],
    close,
  };
}
