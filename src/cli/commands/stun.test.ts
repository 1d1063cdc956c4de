import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { decodeStunMessage, encodeStunMessage, getAttribute, shortTermKey } from '../../core/stun/index.js';
import { nodeModuleArgv } from '../../process/index.js';
import { parseListen } from '../options.js';
import { parseSession } from './stun.js';

const MAIN = new URL('../main.js', import.meta.url);

describe('iceleak stun arguments', () => {
  it.each([
    ['127.0.0.1:3478', { address: '127.0.0.1', port: 3478 }],
    ['[::1]:0', { address: '::1', port: 0 }],
    ['[2001:db8::1]', { address: '2001:db8::1', port: 3478 }],
    ['192.0.2.1', { address: '192.0.2.1', port: 3478 }],
  ])('--listen %s', (text, expected) => {
    expect(parseListen(text, 'cli/stun/--listen')).toEqual(expected);
  });

  it.each(['localhost:3478', '::1:3478', '1.2.3:5', '127.0.0.1:99999', '127.0.0.1:x'])(
    'refuses --listen %s',
    (text) => {
      expect(() => parseListen(text, 'cli/stun/--listen')).toThrow(
        expect.objectContaining({ code: 'E_USAGE' }),
      );
    },
  );

  it('splits --session at the last two colons', () => {
    expect(parseSession('a:b:ufrg:pwd')).toEqual({ sessionId: 'a:b', ufrag: 'ufrg', pwd: 'pwd' });
  });
});

describe('iceleak stun as a child process', () => {
  it('prints the listening line, then one JSON line per observation, and exits 0 on SIGTERM', async () => {
    const [node, ...argv] = nodeModuleArgv(MAIN);
    const pwd = 'Y2xpdGVzdHB3ZDEyMzQ1Njc4';
    const child = spawn(
      node!,
      [...argv, 'stun', '--listen', '127.0.0.1:0', '--listen', '[::1]:0', '--session', `cli-1:cliU:${pwd}`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const socket = createSocket('udp4');
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const next = async () => JSON.parse(((await lines.next()).value as string) ?? 'null');
      const listening = await next();
      expect(listening.event).toBe('listening');
      expect(listening.endpoints).toHaveLength(4);
      const udp = listening.endpoints.find(
        (e: { transport: string; address: string }) => e.transport === 'udp' && e.address === '127.0.0.1',
      );
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      const reply = new Promise<Buffer>((resolve) => socket.once('message', resolve));
      const check = encodeStunMessage(
        {
          class: 'request',
          method: 1,
          transactionId: randomBytes(12),
          attributes: [
            { type: 'USERNAME', value: 'cliU:brws' },
            { type: 'USE-CANDIDATE', value: true },
          ],
        },
        { messageIntegrity: shortTermKey(pwd), fingerprint: true },
      );
      socket.send(check, udp.port, '127.0.0.1');
      const response = decodeStunMessage(await reply);
      expect(getAttribute(response, 'XOR-MAPPED-ADDRESS')?.port).toBe(socket.address().port);
      const observation = await next();
      expect(observation).toMatchObject({
        event: 'observation',
        kind: 'ice-check',
        transport: 'udp',
        sessionId: 'cli-1',
        remoteUfrag: 'brws',
        useCandidate: true,
        source: { address: '127.0.0.1', port: socket.address().port, family: 'IPv4' },
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      socket.close();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 2 with one line on a bad --listen', async () => {
    const [node, ...argv] = nodeModuleArgv(MAIN);
    const child = spawn(node!, [...argv, 'stun', '--listen', 'nowhere'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('E_USAGE');
  });
});
