import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IceleakError } from '../core/errors.js';
import { atProcessEnd, type Bind, type CommandResult, runCommand, spawnChild } from '../process/index.js';
import { applyPlan, listNamespaces } from './netns.js';
import { LAB_NAMESPACE_PREFIX, newLabId, planLab } from './plan.js';
import { checkLabPrerequisites } from './prerequisites.js';
import { proxyArgv, proxyUrl } from './proxy.js';
import { type LabTruth, type ScenarioDefinition, type ScenarioName, scenarioRow } from './scenarios.js';
import { destroyLab, destroyLabSync, LAB_STATE_DIR, type LabRecord, writeLabRecord } from './state.js';
import type { Topology } from './topology.js';
import { type IpAddrJson, withLinkLocalAddresses } from './truth.js';

/**
 * Namespaces built from a topology, named `il-<id>-<role>` and recorded under
 * /run/iceleak/labs before anything is built, so `iceleak lab clean` removes them after a crash.
 */
export interface Network<Role extends string = string> {
  readonly id: string;
  /** Host role → namespace name (`ip netns exec <name> …`). */
  readonly namespaces: Readonly<Record<Role, string>>;
  /** Runs a command to completion inside the namespace of `role`. */
  exec(role: Role, argv: string[], options?: { timeoutMs?: number; input?: string }): Promise<CommandResult>;
  /** Starts a long-running process inside the namespace of `role`; it is killed on close. */
  spawn(
    role: Role,
    argv: string[],
    options?: { env?: NodeJS.ProcessEnv; binds?: readonly Bind[] },
  ): ChildProcess;
  /** Kills everything in it and removes its namespaces, temp dir and record. Idempotent. */
  close(): Promise<void>;
}

/** A built scenario: namespaces, where the service goes, the proxy, and the truth of the topology. */
export interface Lab extends Network<string> {
  readonly scenario: ScenarioDefinition;
  readonly namespaces: Readonly<Record<string, string>> & { client: string; internet: string };
  /** Addresses on the internet namespace's `lo` where iceleak's service should listen. */
  readonly service: { ipv4: string; ipv6: string | null };
  /** The proxy the client's browser must use, e.g. http://198.51.100.7:8888. */
  readonly proxy: { kind: 'http' | 'socks5'; url: string } | null;
  readonly truth: LabTruth;
}

/** Options of `startLab` and `startNetwork`. `keep` (used by `iceleak lab up`) leaves the lab up after this process exits. */
export interface StartLabOptions {
  signal?: AbortSignal;
  keep?: boolean;
  /** Called after each build step; whatever it throws aborts the build (and everything is removed). */
  onProgress?: (step: LabBuildStep, labId: string) => void;
}

/** The steps of a build, in order (`proxy` only for a scenario with a proxy). */
export type LabBuildStep = 'namespaces' | 'configure' | 'proxy';

// Labs of this process that must go when it exits or is interrupted. Keyed by id, so several
// labs can be up at once; kept labs (`lab up`) are never put here.
const liveLabs = new Map<string, LabRecord>();
let exitHookInstalled = false;

function destroyAllLive(): void {
  for (const record of liveLabs.values()) {
    try {
      destroyLabSync(record);
    } catch {
      // keep going: the other labs must still be removed
    }
  }
  liveLabs.clear();
}

function freshId(): string {
  const taken = listNamespaces();
  for (;;) {
    const id = newLabId();
    const prefix = `${LAB_NAMESPACE_PREFIX}${id}-`;
    if (!taken.some((ns) => ns.startsWith(prefix)) && !existsSync(join(LAB_STATE_DIR, `${id}.json`)))
      return id;
  }
}

function throwIfAborted(signal: AbortSignal | undefined, place: string): void {
  if (signal?.aborted) throw new IceleakError('E_LAB_ABORTED', place, 'lab build aborted');
}

/** Waits until something listens on `port` inside `ns`, or the process dies, or time runs out. */
async function waitForListener(
  ns: string,
  port: number,
  child: ChildProcess,
  what: string,
  logPath: string,
): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new IceleakError(
        'E_LAB_PROXY',
        'lab/proxy',
        `${what} exited at start (${child.exitCode ?? child.signalCode}); see ${logPath}`,
      );
    }
    const ss = await runCommand(['ip', 'netns', 'exec', ns, 'ss', '-Hltn', `sport = :${port}`]);
    if (ss.code === 0 && ss.stdout.trim().length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  throw new IceleakError(
    'E_LAB_PROXY',
    'lab/proxy',
    `${what} did not listen on port ${port} within 5 s; see ${logPath}`,
  );
}

/** A network being built or up, with the handles `startLab` needs on top of the public ones. */
interface BuiltNetwork {
  readonly network: Network;
  readonly tempDir: string;
  nsOf(role: string): string;
  /** `outliveParent`: a process of a kept lab, in its own group, logging to `logPath`. */
  spawnIn(
    role: string,
    argv: string[],
    options?: {
      env?: NodeJS.ProcessEnv;
      outliveParent?: boolean;
      logPath?: string;
      binds?: readonly Bind[];
    },
  ): ChildProcess;
  /** Leaves it up after this process exits: no owner, and no exit hook removes it. */
  keep(): void;
}

function checkHostNames(name: string, topology: Topology): void {
  for (const host of topology.hosts) {
    // `lab clean --all` finds record-less leftovers by the shape il-<6 hex>-<lowercase letters>.
    if (!/^[a-z]+$/.test(host)) {
      throw new IceleakError(
        'E_LAB_TOPOLOGY',
        `lab/${name}`,
        `host "${host}" must be lowercase letters only`,
      );
    }
  }
}

/** The processes a network started inside its namespaces: asked to stop before the namespaces go. */
function networkProcesses(nsOf: (role: string) => string) {
  const children = new Set<ChildProcess>();
  const spawnIn: BuiltNetwork['spawnIn'] = (role, argv, spawnOptions = {}) => {
    const ns = nsOf(role);
    let logFd: number | undefined;
    if (spawnOptions.logPath) logFd = openSync(spawnOptions.logPath, 'a');
    const child = spawnChild(argv, {
      netns: ns,
      env: spawnOptions.env ?? process.env,
      stdio: logFd === undefined ? ['pipe', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
      processGroup: spawnOptions.outliveParent ?? false,
      outliveParent: spawnOptions.outliveParent ?? false,
      ...(spawnOptions.binds ? { binds: spawnOptions.binds } : {}),
    });
    if (logFd !== undefined) closeSync(logFd);
    children.add(child);
    child.on('exit', () => children.delete(child));
    child.on('error', () => children.delete(child));
    return child;
  };

  // Ask our own processes to stop first (a browser flushes its profile); whatever is left
  // is killed with the namespaces.
  const stopAll = async (): Promise<void> => {
    const exits = [...children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    );
    await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  };
  return { spawnIn, stopAll };
}

/**
 * Builds `topology` in fresh namespaces and records it as `name`. Everything is removed
 * again if the build fails, and on close, exit, SIGINT, SIGTERM or SIGHUP.
 */
async function buildNetwork(
  name: string,
  topology: Topology,
  options: StartLabOptions,
): Promise<BuiltNetwork> {
  checkHostNames(name, topology);
  await checkLabPrerequisites();
  throwIfAborted(options.signal, 'lab/start');

  const id = freshId();
  const plan = planLab(topology, id);
  const tempDir = mkdtempSync(join(tmpdir(), `iceleak-lab-${id}-`));
  const record: LabRecord = {
    id,
    scenario: name,
    ownerPid: process.pid,
    namespaces: Object.values(plan.namespaces),
    tempDirs: [tempDir],
    createdAt: new Date().toISOString(),
  };
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // On every signal, even one the program handles itself: the namespaces go at once.
    atProcessEnd(destroyAllLive, { onEverySignal: true });
  }
  liveLabs.set(id, record);
  const nsOf = (role: string): string => {
    const ns = plan.namespaces[role];
    if (ns === undefined) {
      throw new IceleakError(
        'E_LAB_UNKNOWN_ROLE',
        `lab/${id}`,
        `${name} has no host "${role}"; it has ${Object.keys(plan.namespaces).join(', ')}`,
      );
    }
    return ns;
  };
  const processes = networkProcesses(nsOf);

  // Every caller of close() waits for the same removal, however often it is called.
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= removeAll();
    return closing;
  };
  const removeAll = async (): Promise<void> => {
    await processes.stopAll();
    // Stays in liveLabs until removed, so an exit or signal meanwhile still cleans it up.
    await destroyLab(record);
    liveLabs.delete(id);
  };

  try {
    writeLabRecord(record);
    await applyPlan(plan, (step) => {
      options.onProgress?.(step, id);
      throwIfAborted(options.signal, `lab/build/${step}`);
    });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    network: {
      id,
      namespaces: plan.namespaces,
      exec: (role, argv, execOptions = {}) =>
        runCommand(['ip', 'netns', 'exec', nsOf(role), ...argv], execOptions),
      spawn: (role, argv, spawnOptions = {}) =>
        processes.spawnIn(role, argv, {
          ...(spawnOptions.env ? { env: spawnOptions.env } : {}),
          ...(spawnOptions.binds ? { binds: spawnOptions.binds } : {}),
        }),
      close,
    },
    tempDir,
    nsOf,
    spawnIn: processes.spawnIn,
    keep() {
      record.ownerPid = null;
      writeLabRecord(record);
      liveLabs.delete(id);
    },
  };
}

/**
 * Builds a network of its own (a fixture capture's, a test corpus's) the way the lab builds
 * a scenario: `il-<id>-<role>` namespaces, recorded as `name` for `iceleak lab clean`, and
 * removed on close, on a failed build, and when this process exits or is interrupted.
 */
export async function startNetwork<Role extends string>(
  name: string,
  topology: Topology<Role>,
  options: Omit<StartLabOptions, 'keep'> = {},
): Promise<Network<Role>> {
  const built = await buildNetwork(name, topology, options);
  return built.network as Network<Role>;
}

/**
 * Builds one scenario in fresh namespaces (`il-<id>-<role>`) and returns it. Everything is
 * removed again if the build fails, and on close, exit, SIGINT, SIGTERM or SIGHUP.
 */
export async function startLab(scenarioName: ScenarioName, options: StartLabOptions = {}): Promise<Lab> {
  const scenario = scenarioRow(scenarioName);
  const built = await buildNetwork(scenario.name, scenario, options);
  const { network, nsOf } = built;
  try {
    const clientAddresses = await runCommand(['ip', '-n', nsOf('client'), '-j', 'addr', 'show']);
    const truth = withLinkLocalAddresses(
      scenario.truth,
      JSON.parse(clientAddresses.stdout || '[]') as IpAddrJson[],
    );
    let proxy: Lab['proxy'] = null;
    if (scenario.proxy) {
      const spec = scenario.proxy;
      const logPath = join(built.tempDir, `${spec.kind}-proxy.log`);
      const child = built.spawnIn(spec.host, proxyArgv(spec, built.tempDir), {
        outliveParent: options.keep === true,
        logPath,
      });
      await waitForListener(
        nsOf(spec.host),
        spec.port,
        child,
        spec.kind === 'http' ? 'tinyproxy' : 'microsocks',
        logPath,
      );
      if (options.keep) child.unref();
      proxy = { kind: spec.kind, url: proxyUrl(spec) };
      options.onProgress?.('proxy', network.id);
      throwIfAborted(options.signal, 'lab/build/proxy');
    }
    if (options.keep) built.keep();
    return {
      ...network,
      scenario,
      namespaces: network.namespaces as Lab['namespaces'],
      service: { ...scenario.service },
      proxy,
      truth,
    };
  } catch (error) {
    await network.close();
    throw error;
  }
}

/** Runs `fn` with a fresh lab of `scenario` and always removes the lab afterwards. */
export async function withLab<T>(scenario: ScenarioName, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await startLab(scenario);
  try {
    return await fn(lab);
  } finally {
    await lab.close();
  }
}
