import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation } from '../core/observation.js';
import {
  decodeStunMessage,
  encodeStunMessage,
  getAttribute,
  type StunAttribute,
  shortTermKey,
  verifyFingerprint,
  verifyMessageIntegrity,
} from '../core/stun/index.js';
import { type StunObserver, startStunObserver } from './observer.js';

const PWD = 'c29ja2V0dGVzdHB3ZDEyMzQ1';

function bindingRequest(attributes: StunAttribute[] = [], key?: Uint8Array): Uint8Array {
  return encodeStunMessage(
    { class: 'request', method: 1, transactionId: randomBytes(12), attributes },
    key ? { messageIntegrity: key, fingerprint: true } : { fingerprint: true },
  );
}

const check = (key: Uint8Array) =>
  bindingRequest(
    [
      { type: 'USERNAME', value: 'sockU:brws' },
      { type: 'PRIORITY', value: 100 },
      { type: 'ICE-CONTROLLING', value: 7n },
    ],
    key,
  );

/** Sends one datagram from a fresh socket; resolves with the reply (or null after 500 ms) and our port. */
async function udpExchange(
  host: string,
  port: number,
  bytes: Uint8Array,
): Promise<{ reply: Buffer | null; port: number }> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    const ourPort = socket.address().port;
    const reply = new Promise<Buffer | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 500);
      socket.once('message', (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
    });
    socket.send(bytes, port, host);
    return { reply: await reply, port: ourPort };
  } finally {
    socket.close();
  }
}

/** Writes `chunks` on one TCP connection; resolves with everything read before `expected` bytes or 500 ms. */
async function tcpExchange(host: string, port: number, chunks: Uint8Array[], expected: number) {
  const socket = connect({ host, port });
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const ourPort = socket.localPort!;
    let received = Buffer.alloc(0);
    const done = new Promise<Buffer>((resolve) => {
      const timer = setTimeout(() => resolve(received), 500);
      socket.on('data', (d: Buffer) => {
        received = Buffer.concat([received, d]);
        if (received.length >= expected) {
          clearTimeout(timer);
          resolve(received);
        }
      });
      socket.on('close', () => resolve(received));
    });
    for (const chunk of chunks) socket.write(chunk);
    return { reply: await done, port: ourPort, closed: () => socket.destroyed || socket.readableEnded };
  } finally {
    socket.destroy();
  }
}

describe.each(['127.0.0.1', '::1'])('observer on %s', (host) => {
  let observer: StunObserver;
  const observations: Observation[] = [];
  const family = host.includes(':') ? 'IPv6' : 'IPv4';

  beforeAll(async () => {
    observer = await startStunObserver({ listen: [{ address: host, port: 0 }] });
    observer.onObservation((o) => observations.push(o));
    observer.registerSession({ sessionId: 'sock-session', ufrag: 'sockU', pwd: PWD });
  });
  afterAll(() => observer.close());

  const port = (transport: 'udp' | 'tcp') => observer.endpoints.find((e) => e.transport === transport)!.port;

  it('binds UDP and TCP on the same real port', () => {
    expect(observer.endpoints).toHaveLength(2);
    expect(port('udp')).toBeGreaterThan(0);
    expect(port('tcp')).toBe(port('udp'));
  });

  it('UDP: XOR-MAPPED-ADDRESS equals the sender address and port', async () => {
    const request = bindingRequest();
    const { reply, port: ourPort } = await udpExchange(host, port('udp'), request);
    expect(reply).not.toBeNull();
    const response = decodeStunMessage(reply!);
    expect(response.class).toBe('success-response');
    expect(Buffer.from(response.transactionId)).toEqual(Buffer.from(request.subarray(8, 20)));
    expect(getAttribute(response, 'XOR-MAPPED-ADDRESS')).toEqual({ family, address: host, port: ourPort });
    expect(verifyFingerprint(reply!)).toBe('valid');
    expect(observations.at(-1)).toMatchObject({
      kind: 'stun-binding',
      transport: 'udp',
      source: { address: host, port: ourPort },
    });
  });

  it('UDP: an ICE check is answered with integrity under our pwd and attributed', async () => {
    const { reply, port: ourPort } = await udpExchange(host, port('udp'), check(shortTermKey(PWD)));
    expect(reply).not.toBeNull();
    expect(verifyMessageIntegrity(reply!, shortTermKey(PWD))).toBe('valid');
    expect(verifyMessageIntegrity(reply!, shortTermKey('c29ja2V0dGVzdHB3ZDEyMzQ2'))).toBe('invalid');
    expect(getAttribute(decodeStunMessage(reply!), 'XOR-MAPPED-ADDRESS')).toEqual({
      family,
      address: host,
      port: ourPort,
    });
    expect(observations.at(-1)).toMatchObject({
      kind: 'ice-check',
      sessionId: 'sock-session',
      remoteUfrag: 'brws',
    });
  });

  it('UDP: a check signed with a wrong pwd gets no answer and is recorded unattributed', async () => {
    const { reply } = await udpExchange(host, port('udp'), check(shortTermKey('d3JvbmdwYXNzd29yZDEyMzQ1')));
    expect(reply).toBeNull();
    expect(observations.at(-1)).toMatchObject({
      kind: 'ice-check',
      sessionId: null,
      reason: 'bad-integrity',
    });
  });

  it('TCP: two messages back to back, split across writes, get two responses (RFC 8489 framing)', async () => {
    const a = bindingRequest();
    const b = check(shortTermKey(PWD));
    const stream = Buffer.concat([a, b]);
    const { reply, port: ourPort } = await tcpExchange(
      host,
      port('tcp'),
      [stream.subarray(0, 7), stream.subarray(7, 30), stream.subarray(30)],
      1,
    );
    // Read both responses by their own length fields.
    const first = reply.subarray(0, 20 + reply.readUInt16BE(2));
    const second = reply.subarray(first.length);
    expect(getAttribute(decodeStunMessage(first), 'XOR-MAPPED-ADDRESS')).toEqual({
      family,
      address: host,
      port: ourPort,
    });
    expect(second.length).toBeGreaterThan(20);
    expect(verifyMessageIntegrity(second, shortTermKey(PWD))).toBe('valid');
    expect(observations.at(-1)).toMatchObject({
      kind: 'ice-check',
      transport: 'tcp',
      sessionId: 'sock-session',
    });
  });

  it('TCP: RFC 4571 framed checks (ICE-TCP) are answered in the same framing', async () => {
    const request = check(shortTermKey(PWD));
    const framed = Buffer.concat([Buffer.from([request.length >> 8, request.length & 0xff]), request]);
    const { reply } = await tcpExchange(host, port('tcp'), [framed], 2);
    const length = reply.readUInt16BE(0);
    expect(reply.length).toBe(2 + length);
    expect(verifyMessageIntegrity(reply.subarray(2), shortTermKey(PWD))).toBe('valid');
  });

  it('TCP: garbage closes the connection without an answer', async () => {
    const { reply } = await tcpExchange(
      host,
      port('tcp'),
      [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
      1,
    );
    expect(reply.length).toBe(0);
  });
});

describe('startStunObserver', () => {
  it('refuses an address that is not an IP literal with a typed error', async () => {
    await expect(startStunObserver({ listen: [{ address: 'localhost', port: 0 }] })).rejects.toMatchObject({
      code: 'E_STUN_LISTEN',
    });
  });

  it('fails with E_STUN_LISTEN on a port in use, releasing what it had bound', async () => {
    const first = await startStunObserver({ listen: [{ address: '127.0.0.1', port: 0 }] });
    try {
      const taken = first.endpoints[0]!.port;
      await expect(
        startStunObserver({
          listen: [
            { address: '127.0.0.1', port: 0 },
            { address: '127.0.0.1', port: taken },
          ],
        }),
      ).rejects.toMatchObject({ code: 'E_STUN_LISTEN' });
    } finally {
      await first.close();
    }
  });
});
