import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { listNamespaces } from '../../lab/netns.js';
import { nodeModuleArgv } from '../../process/index.js';

const run = promisify(execFile);

async function iceleak(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const [node = '', ...argv] = nodeModuleArgv(new URL('../main.js', import.meta.url));
  try {
    const { stdout, stderr } = await run(node, [...argv, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('iceleak lab', () => {
  it('lists every scenario', async () => {
    const { code, stdout } = await iceleak('lab', 'list');
    expect(code).toBe(0);
    for (const name of [
      'direct',
      'cgnat',
      'http-proxy',
      'socks5-proxy',
      'vpn-full',
      'vpn-ipv4-only',
      'vpn-split',
    ]) {
      expect(stdout).toMatch(new RegExp(`^${name} `, 'm'));
    }
  });

  it('keeps a lab up after `up` returns, with a working proxy, until `down`', async () => {
    const up = await iceleak('lab', 'up', 'http-proxy', '--json');
    expect(up.code, up.stderr).toBe(0);
    const lab = JSON.parse(up.stdout) as {
      id: string;
      namespaces: Record<string, string>;
      proxy: { url: string };
    };
    try {
      expect(
        listNamespaces()
          .filter((ns) => ns.startsWith(`il-${lab.id}-`))
          .sort(),
      ).toEqual(Object.values(lab.namespaces).sort());
      expect(lab.proxy.url).toBe('http://198.51.100.7:8888');
      // The proxy outlived the `up` process: it answers (with its own error page: nothing listens there).
      const viaProxy = await run('ip', [
        'netns',
        'exec',
        lab.namespaces.client ?? '',
        'curl',
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '-x',
        lab.proxy.url,
        'http://192.0.2.1:9/',
      ]);
      expect(viaProxy.stdout).toBe('500');
    } finally {
      const down = await iceleak('lab', 'down', lab.id);
      expect(down.code, down.stderr).toBe(0);
    }
    expect(listNamespaces().filter((ns) => ns.startsWith(`il-${lab.id}-`))).toEqual([]);
  });

  it('exits 2 with one line for an unknown scenario or lab', async () => {
    const unknown = await iceleak('lab', 'up', 'wifi');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^iceleak: cli\/lab\/scenario: no scenario "wifi"; known: direct, .*\(E_USAGE\)\n$/,
    );
    const down = await iceleak('lab', 'down', 'zzzzzz');
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('E_LAB_UNKNOWN_ID');
  });
});
