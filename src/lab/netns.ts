import { IceleakError } from '../core/errors.js';
import { runCommand, runCommandSync } from '../process/index.js';
import type { LabPlan } from './plan.js';

/** Runs a command that must succeed; a failure becomes an IceleakError naming the step. */
async function mustRun(place: string, argv: string[], input?: string): Promise<void> {
  const result = await runCommand(argv, input === undefined ? {} : { input });
  if (result.code !== 0) {
    throw new IceleakError(
      'E_LAB_BUILD',
      place,
      `${argv.join(' ')} failed (${result.code}): ${result.stderr.trim()}`,
      {
        input,
      },
    );
  }
}

/**
 * Executes a plan: namespaces and veth pairs in one `ip -batch`, then per namespace its
 * addresses and routes (`ip -n NS -batch`) and, for routers, sysctls and NAT, all in parallel.
 */
export async function applyPlan(
  plan: LabPlan,
  onStep: (step: 'namespaces' | 'configure') => void = () => {},
): Promise<void> {
  await mustRun('lab/namespaces', ['ip', '-batch', '-'], `${plan.create.join('\n')}\n`);
  onStep('namespaces');
  await Promise.all([
    ...Object.entries(plan.configure).map(([ns, lines]) =>
      mustRun(`lab/configure/${ns}`, ['ip', '-n', ns, '-batch', '-'], `${lines.join('\n')}\n`),
    ),
    // Sysctls and NAT need the namespace entered (`ip netns exec`, the costly part of a build):
    // one entry per router does both.
    ...[...new Set([...Object.keys(plan.sysctls), ...Object.keys(plan.nft)])].map((ns) => {
      const steps = [];
      const settings = plan.sysctls[ns] ?? [];
      if (settings.length > 0) steps.push(`sysctl -q -w ${settings.join(' ')}`);
      if (plan.nft[ns] !== undefined) steps.push('nft -f -');
      return mustRun(
        `lab/router/${ns}`,
        ['ip', 'netns', 'exec', ns, 'sh', '-ec', steps.join('\n')],
        plan.nft[ns] ?? '',
      );
    }),
  ]);
  await waitUntilSettled(Object.keys(plan.configure));
  onStep('configure');
}

/** How long a built network may take to settle (all links up, no address in DAD). */
const SETTLE_TIMEOUT_MS = 5_000;

interface LinkJson {
  ifname: string;
  operstate?: string;
}

/** What keeps `ns` from being settled, or null: a link not yet up, or an IPv6 address still tentative. */
async function unsettled(ns: string): Promise<string | null> {
  const [links, tentative] = await Promise.all([
    runCommand(['ip', '-n', ns, '-j', 'link', 'show']),
    runCommand(['ip', '-n', ns, '-6', '-o', 'addr', 'show', 'tentative']),
  ]);
  const down = (JSON.parse(links.stdout || '[]') as LinkJson[]).filter(
    (l) => l.ifname !== 'lo' && l.operstate !== 'UP',
  );
  if (down.length > 0) return `${down.map((l) => `${l.ifname} ${l.operstate ?? '?'}`).join(', ')} not up`;
  if (tentative.stdout.trim() !== '') return `address in duplicate detection: ${tentative.stdout.trim()}`;
  return null;
}

/**
 * Waits until every namespace's links are up and no address is tentative. A browser started
 * before then sees the network change under it: Chromium aborts requests in flight with
 * ERR_NETWORK_CHANGED.
 */
async function waitUntilSettled(namespaces: readonly string[]): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let pending = [...namespaces];
  let why = '';
  while (pending.length > 0) {
    const states = await Promise.all(pending.map(async (ns) => [ns, await unsettled(ns)] as const));
    pending = states.filter(([, reason]) => reason !== null).map(([ns]) => ns);
    why = states
      .filter(([, reason]) => reason !== null)
      .map(([ns, reason]) => `${ns}: ${reason}`)
      .join('; ');
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new IceleakError('E_LAB_BUILD', 'lab/settle', `network did not settle within 5 s (${why})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Names of the namespaces that exist now. */
export function listNamespaces(): string[] {
  return namesIn(capture(['ip', 'netns', 'list']));
}

function namesIn(list: string): string[] {
  return list
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.length > 0);
}

/**
 * Removes namespaces synchronously (usable from an `exit` handler): every process still
 * inside one is killed first, otherwise the namespace would live on through it.
 */
export function removeNamespacesSync(namespaces: readonly string[]): void {
  const existing = new Set(listNamespaces());
  const present = namespaces.filter((ns) => existing.has(ns));
  if (present.length === 0) return;
  for (let round = 0; round < 20; round++) {
    const pids = present.flatMap((ns) => parsePids(capture(['ip', 'netns', 'pids', ns])));
    if (pids.length === 0) break;
    killAll(pids);
    // Give the kernel a moment to reap what we killed before looking again.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  capture(['ip', '-batch', '-'], present.map((ns) => `netns delete ${ns}`).join('\n'));
}

/** The same as `removeNamespacesSync`, without blocking the event loop (other labs keep building meanwhile). */
export async function removeNamespaces(namespaces: readonly string[]): Promise<void> {
  const existing = new Set(namesIn((await runCommand(['ip', 'netns', 'list'])).stdout));
  const present = namespaces.filter((ns) => existing.has(ns));
  if (present.length === 0) return;
  for (let round = 0; round < 20; round++) {
    const lists = await Promise.all(present.map((ns) => runCommand(['ip', 'netns', 'pids', ns])));
    const pids = lists.flatMap((list) => parsePids(list.stdout));
    if (pids.length === 0) break;
    killAll(pids);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await runCommand(['ip', '-batch', '-'], {
    input: `${present.map((ns) => `netns delete ${ns}`).join('\n')}\n`,
  });
}

/** The stdout of a command that succeeded, else '' (blocking: used from `exit` handlers). */
function capture(argv: string[], input?: string): string {
  try {
    const result = runCommandSync(argv, input === undefined ? {} : { input });
    return result.code === 0 ? result.stdout : '';
  } catch {
    return '';
  }
}

function parsePids(text: string): number[] {
  return text
    .split('\n')
    .map((line) => Number.parseInt(line, 10))
    .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== process.pid);
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
