import { execFileSync, spawn } from 'node:child_process';
import { IceleakError } from '../core/errors.js';
import type { LabPlan } from './plan.js';

/** The outcome of one command. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `argv`, feeding `input` on stdin; resolves with the exit code (never rejects on a non-zero exit). */
export function runCommand(
  argv: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new IceleakError('E_LAB_ARGV', 'lab/exec', 'empty argv'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            stderr += `\n(timed out after ${options.timeoutMs} ms)`;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.on('error', (error) => {
      if (timer) clearTimeout(timer);
      reject(new IceleakError('E_LAB_EXEC', 'lab/exec', `cannot run ${file}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the command may exit before reading all of its input
    child.stdin.end(options.input ?? '');
  });
}

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
  try {
    return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
      .filter((name) => name.length > 0);
  } catch {
    return [];
  }
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
  const listed = await runCommand(['ip', 'netns', 'list']);
  const existing = new Set(listed.stdout.split('\n').map((line) => line.split(' ')[0]));
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

function capture(argv: string[], input?: string): string {
  const [file = '', ...args] = argv;
  try {
    return execFileSync(file, args, {
      encoding: 'utf8',
      input: input ?? '',
      stdio: ['pipe', 'pipe', 'ignore'],
    });
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
