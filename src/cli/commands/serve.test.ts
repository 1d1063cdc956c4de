import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { isIceleakError } from '../../core/errors.js';
import { nodeModuleArgv } from '../../process/index.js';
import { envVarOf, parseDuration } from '../options.js';
import { parseTrustProxy, SERVE, serveOptionsFrom } from './serve.js';

const saved = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('ICELEAK_')) delete process.env[key];
  Object.assign(process.env, saved);
});

describe('iceleak serve options', () => {
  it('defaults to loopback:8080 with no proxy trust and the default store', () => {
    expect(serveOptionsFrom([])).toEqual({ host: '127.0.0.1', port: 8080, trustProxy: false });
  });

  it('reads repeatable flags and lets flags win over ICELEAK_* variables', () => {
    process.env['ICELEAK_PORT'] = '9000';
    process.env['ICELEAK_PUBLIC_ADDRESS'] = '203.0.113.1, 2001:db8::1';
    process.env['ICELEAK_RETENTION'] = '7d';
    process.env['ICELEAK_NO_STORE'] = '1';
    const raw = [
      '--port',
      '9100',
      '--stun-listen',
      '0.0.0.0:3478',
      '--stun-listen=[::]:3479',
      '--trust-proxy',
    ];
    const options = serveOptionsFrom(raw);
    expect(options).toMatchObject({
      port: 9100,
      stunListen: [
        { address: '0.0.0.0', port: 3478 },
        { address: '::', port: 3479 },
      ],
      publicAddresses: ['203.0.113.1', '2001:db8::1'],
      retentionMs: 7 * 86_400_000,
      store: false,
      trustProxy: true,
    });
  });

  it('takes a hop count or proxy list for --trust-proxy', () => {
    expect(serveOptionsFrom(['--trust-proxy', '1']).trustProxy).toBe(1);
    expect(serveOptionsFrom(['--trust-proxy=10.0.0.0/8']).trustProxy).toBe('10.0.0.0/8');
  });

  it('reads a bare --trust-proxy before another flag as "every hop", leaving that flag its value', () => {
    expect(serveOptionsFrom(['--trust-proxy', '--db', '/srv/x.sqlite'])).toMatchObject({
      trustProxy: true,
      db: '/srv/x.sqlite',
    });
    expect(serveOptionsFrom(['--no-store', '--trust-proxy'])).toMatchObject({
      trustProxy: true,
      store: false,
    });
  });

  it.each([
    ['1', 1],
    [' 2 ', 2],
    ['0', false],
    ['off', false],
    ['TRUE', true],
    ['10.0.0.0/8, 127.0.0.1', '10.0.0.0/8,127.0.0.1'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['loopback,uniquelocal', 'loopback,uniquelocal'],
  ])('--trust-proxy %j means %j', (text, expected) => {
    expect(parseTrustProxy(text, 'x')).toEqual(expected);
    expect(serveOptionsFrom([], { ICELEAK_TRUST_PROXY: text }).trustProxy).toEqual(expected);
  });

  it.each(['bogus', '10.0.0.0/33', '10.0.0.1/8/8', '1.2.3', '-1'])('refuses --trust-proxy %j', (text) => {
    expect(() => parseTrustProxy(text, 'cli/serve/--trust-proxy')).toThrow(
      expect.objectContaining({ code: 'E_USAGE' }),
    );
  });

  it('parses durations and refuses nonsense with E_USAGE', () => {
    expect(parseDuration('24h', 'x')).toBe(86_400_000);
    expect(parseDuration('1500ms', 'x')).toBe(1500);
    for (const bad of ['', '24', 'h', '-1h', '0s']) {
      let caught: unknown;
      try {
        parseDuration(bad, 'cli/serve/--retention');
      } catch (e) {
        caught = e;
      }
      expect(isIceleakError(caught, 'E_USAGE')).toBe(true);
    }
    expect(() => serveOptionsFrom(['--port', '99999'])).toThrow(/port must be/);
  });
});

describe('iceleak serve as a child process', () => {
  it('`--trust-proxy --db FILE` stores in FILE: the bare flag does not take the next flag as its value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iceleak-serve-cli-'));
    const db = join(dir, 'x.sqlite');
    const [node, ...argv] = nodeModuleArgv(new URL('../main.js', import.meta.url));
    const child = spawn(
      node!,
      [
        ...argv,
        'serve',
        '--trust-proxy',
        '--db',
        db,
        '--port',
        '0',
        '--stun-listen',
        '127.0.0.1:0',
        '--json',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const first = (await lines.next()).value as string | undefined;
      expect(JSON.parse(first ?? 'null')).toMatchObject({ event: 'listening' });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(db)).toBe(true);
      expect(readdirSync(dir).filter((f) => f.startsWith('iceleak.sqlite'))).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('docs/serve.md', () => {
  /** The rows of the "Flags and environment variables" table: flag cell, variable, default. */
  function documentedFlags(): Array<{ flag: string; hint: string; variable: string; defaultText: string }> {
    const text = readFileSync(new URL('../../../docs/serve.md', import.meta.url), 'utf8');
    const section = text.slice(text.indexOf('## Flags and environment variables'));
    const rows = section.slice(0, section.indexOf('\n\n', section.indexOf('| flag'))).split('\n');
    return rows
      .filter((row) => row.startsWith('| `--'))
      .map((row) => {
        const [flagCell = '', variable = '', defaultText = ''] = row
          .split(' | ')
          .map((cell) => cell.replace(/^\|/, '').trim());
        const [, flag = '', hint = ''] = /^`--([a-z0-9-]+) ?\[?([^\]`]*)\]?`/.exec(flagCell) ?? [];
        return {
          flag,
          hint,
          variable: variable.replaceAll('`', ''),
          defaultText: defaultText.replaceAll('`', ''),
        };
      });
  }

  it('documents every serve flag — its value, variable and default — exactly as the flag table defines it', () => {
    const expected = Object.entries(SERVE.flags).map(([name, flag]) => {
      const negated = flag.kind === 'switch' && flag.defaultText === 'true';
      return {
        flag: negated ? `no-${name}` : name,
        hint: flag.kind === 'switch' ? '' : (flag.valueHint ?? ''),
        variable: envVarOf(SERVE.envPrefix, name, flag),
        defaultText: flag.kind === 'switch' ? '—' : (flag.defaultText ?? '—'),
      };
    });
    expect(documentedFlags()).toEqual(expected);
  });
});
