import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeStunMessage } from '../core/stun/index.js';
import { listenTcp, type TcpEndpoint } from './tcp.js';

const request = () =>
  encodeStunMessage({ class: 'request', method: 1, transactionId: randomBytes(12), attributes: [] });

let endpoint: TcpEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

/** Connects, writes `bytes`, resolves with what came back and how long until the server closed. */
async function exchange(
  port: number,
  bytes: Uint8Array,
): Promise<{ received: number; closedAfterMs: number }> {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  const started = performance.now();
  let received = 0;
  socket.on('data', (d: Buffer) => {
    received += d.length;
  });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(bytes);
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { received, closedAfterMs: performance.now() - started };
}

describe('TCP adapter limits', () => {
  it('closes a connection whose message announces more than maxMessageBytes, without answering', async () => {
    let calls = 0;
    endpoint = await listenTcp(
      '127.0.0.1',
      0,
      () => {
        calls++;
        return new Uint8Array(4);
      },
      { maxMessageBytes: 64, idleTimeoutMs: 5000, maxConnections: 4 },
    );
    const big = encodeStunMessage({
      class: 'request',
      method: 1,
      transactionId: randomBytes(12),
      attributes: [{ type: 'SOFTWARE', value: 'x'.repeat(100) }],
    });
    const { received } = await exchange(endpoint.port, big);
    expect(received).toBe(0);
    expect(calls).toBe(0);
  });

  it('answers, then closes an idle connection after idleTimeoutMs', async () => {
    endpoint = await listenTcp('127.0.0.1', 0, (bytes) => bytes, {
      maxMessageBytes: 2048,
      idleTimeoutMs: 150,
      maxConnections: 4,
    });
    const message = request();
    const { received, closedAfterMs } = await exchange(endpoint.port, message);
    expect(received).toBe(message.length);
    expect(closedAfterMs).toBeGreaterThanOrEqual(140);
  });
});
