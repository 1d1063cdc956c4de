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
  onStep('configure');
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
