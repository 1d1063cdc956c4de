/**
 * The corpus lab is a lab network: named `il-<id>-corpus`, recorded before it is built, so
 * `iceleak lab clean` removes what a crashed scan test or benchmark leaves behind (the
 * namespace and the fixture and STUN servers inside it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listNamespaces } from '../lab/netns.js';
import { LAB_STATE_DIR, type LabRecord, readLabRecords } from '../lab/state.js';
import { nodeModuleArgv, runCommand, startChild } from '../process/index.js';

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe('a crashed corpus lab', () => {
  it('is recorded like any lab and removed, processes and all, by `iceleak lab clean`', async () => {
    if (process.getuid?.() !== 0) throw new Error('the corpus lab e2e needs root (network namespaces)');
    const owner = await startChild({
      name: 'fixture lab owner',
      place: 'scan/test',
      code: 'E_TEST',
      argv: nodeModuleArgv(new URL('./test-support/fixture-lab-owner.js', import.meta.url)),
      ready: (message) => (message as { netns?: string }).netns,
      onStderr: (chunk) => process.stderr.write(chunk),
    });
    const netns = owner.ready;
    expect(netns).toMatch(/^il-[0-9a-f]{6}-corpus$/);
    const record = readLabRecords().find((r) => r.namespaces.includes(netns)) as LabRecord;
    expect(record).toMatchObject({ ownerPid: owner.pid, namespaces: [netns] });
    expect(record.scenario).toMatch(/^scan-corpus-crash\d+$/);
    const inside = (await runCommand(['ip', 'netns', 'pids', netns])).stdout.split('\n').filter(Boolean);
    const commands = inside.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    expect(
      commands.filter((c) => /fixture-server\.[jt]s --listen|main\.[jt]s stun --listen/.test(c)),
    ).toHaveLength(2);

    owner.process.kill('SIGKILL'); // no handler runs: everything stays, as after a crash
    await owner.exited;
    expect(listNamespaces()).toContain(netns);

    const clean = await runCommand([
      ...nodeModuleArgv(new URL('../cli/main.js', import.meta.url)),
      'lab',
      'clean',
    ]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain(record.id);
    expect(listNamespaces()).not.toContain(netns);
    expect(existsSync(join(LAB_STATE_DIR, `${record.id}.json`))).toBe(false);
    expect(inside.map(Number).filter(running)).toEqual([]);
  });
});
