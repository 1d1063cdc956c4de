import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeModuleArgv, startChild } from '../process/index.js';
import { checkLabPrerequisites, cleanLabs, type Lab, type ScenarioName, startLab, withLab } from './index.js';
import { listNamespaces } from './netns.js';
import { checkLab } from './self-check.js';
import { LAB_STATE_DIR } from './state.js';

/**
 * What the service must see, written out here rather than read from the scenario table, so a
 * wrong row cannot make its own check pass. [HTTP v4, HTTP v6, UDP v4, UDP v6].
 */
const SEEN: Record<ScenarioName, [string, string, string, string]> = {
  direct: ['203.0.113.5', '2001:db8:1::23', '203.0.113.5', '2001:db8:1::23'],
  cgnat: ['203.0.113.77', '2001:db8:1::23', '203.0.113.77', '2001:db8:1::23'],
  'http-proxy': ['198.51.100.7', '2001:db8:7::7', '203.0.113.5', '2001:db8:1::23'],
  'socks5-proxy': ['198.51.100.7', '2001:db8:7::7', '203.0.113.5', '2001:db8:1::23'],
  'vpn-full': ['198.51.100.50', '2001:db8:ee::50', '198.51.100.50', '2001:db8:ee::50'],
  'vpn-ipv4-only': ['198.51.100.50', '2001:db8:1::23', '198.51.100.50', '2001:db8:1::23'],
  'vpn-split': ['203.0.113.5', '2001:db8:1::23', '203.0.113.5', '2001:db8:1::23'],
};

function namespacesOf(id: string): string[] {
  return listNamespaces().filter((ns) => ns.startsWith(`il-${id}-`));
}

function labGone(id: string): void {
  expect(namespacesOf(id), `namespaces of lab ${id} left behind`).toEqual([]);
  expect(existsSync(join(LAB_STATE_DIR, `${id}.json`)), `state record of lab ${id} left behind`).toBe(false);
  expect(readdirSync(tmpdir()).filter((name) => name.startsWith(`iceleak-lab-${id}-`))).toEqual([]);
}

/** Starts a child process that owns a lab; resolves once the lab is up. */
async function labOwner(scenario: ScenarioName) {
  const owner = await startChild({
    name: 'lab owner',
    place: 'lab/test',
    code: 'E_TEST',
    argv: [...nodeModuleArgv(new URL('./test-support/lab-owner.js', import.meta.url)), scenario],
    ready: (message) => message as { id: string; namespaces: Record<string, string> },
    onStderr: (chunk) => process.stderr.write(chunk),
  });
  return { child: owner.process, exited: owner.exited, lab: owner.ready };
}

beforeAll(async () => {
  // Fails loudly (with the remedy) when not root or when namespaces cannot be made.
  await checkLabPrerequisites();
});

describe('every scenario routes as its topology says', () => {
  it.each(Object.entries(SEEN) as [ScenarioName, [string, string, string, string]][])(
    '%s: the service sees the expected source addresses',
    async (scenario, [http4, http6, udp4, udp6]) => {
      const started = Date.now();
      await withLab(scenario, async (lab) => {
        const upMs = Date.now() - started;
        const results = await checkLab(lab);
        const seen = Object.fromEntries(
          results.map((r) => [r.expectation.split(' comes from')[0], r.actual]),
        );
        const via = lab.proxy ? ` via ${lab.proxy.url}` : '';
        expect(seen, `${scenario} (up in ${upMs} ms)`).toEqual({
          [`HTTP to 192.0.2.1${via}`]: http4,
          [`HTTP to 2001:db8:53::1${via}`]: http6,
          'UDP to 192.0.2.1': udp4,
          'UDP to 2001:db8:53::1': udp6,
        });
      });
    },
  );
});

describe('the lab leaves nothing behind', () => {
  it('removes namespaces, processes, temp dir and record on close', async () => {
    const lab: Lab = await startLab('http-proxy');
    expect(namespacesOf(lab.id).sort()).toEqual(Object.values(lab.namespaces).sort());
    const sleeper = lab.spawn('client', ['sleep', '600']);
    await lab.close();
    labGone(lab.id);
    expect(sleeper.exitCode !== null || sleeper.signalCode !== null).toBe(true);
    await lab.close(); // idempotent
  });

  it('removes everything when the build fails half-way', async () => {
    let id = '';
    let builtSoFar: string[] = [];
    const failure = startLab('vpn-full', {
      onProgress(step, labId) {
        if (step === 'namespaces') {
          id = labId;
          builtSoFar = namespacesOf(labId);
          throw new Error('injected failure after the namespaces step');
        }
      },
    });
    await expect(failure).rejects.toThrow('injected failure');
    expect(builtSoFar.length).toBe(4);
    labGone(id);
  });

  it('removes everything when aborted through its signal', async () => {
    const controller = new AbortController();
    let id = '';
    const aborted = startLab('direct', {
      signal: controller.signal,
      onProgress(step, labId) {
        if (step === 'namespaces') {
          id = labId;
          controller.abort();
        }
      },
    });
    await expect(aborted).rejects.toMatchObject({ code: 'E_LAB_ABORTED' });
    expect(id).not.toBe('');
    labGone(id);
  });

  it('removes the lab of a process that gets SIGTERM', async () => {
    const { child, exited, lab } = await labOwner('socks5-proxy');
    expect(namespacesOf(lab.id).length).toBe(4);
    child.kill('SIGTERM');
    await exited;
    labGone(lab.id);
  });

  it('lets cleanLabs remove the lab of a process that crashed', async () => {
    const { child, exited, lab } = await labOwner('direct');
    child.kill('SIGKILL'); // no handler runs: the lab is left behind, as after a crash
    await exited;
    expect(namespacesOf(lab.id).length).toBe(3);
    const removed = await cleanLabs();
    expect(removed).toContain(lab.id);
    labGone(lab.id);
  });
});

describe('a built lab is settled', () => {
  // Chromium aborts every request in flight with ERR_NETWORK_CHANGED when an address or a
  // link of its namespace changes: a browser started on a lab must find it finished.
  it.each(['direct', 'vpn-full'] as const)(
    '%s: no address, route or link of the client changes after startLab returns',
    async (scenario) => {
      await withLab(scenario, async (lab) => {
        const monitor = spawn('ip', ['-n', lab.namespaces.client, 'monitor', 'address', 'route', 'link']);
        let events = '';
        monitor.stdout.setEncoding('utf8').on('data', (chunk: string) => (events += chunk));
        // Link-local DAD used to finish 1-3 s after the build; wait past it.
        await new Promise((resolve) => setTimeout(resolve, 3500));
        monitor.kill();
        expect(events).toBe('');
      });
    },
  );
});
