import { createServer, isIP, type Socket } from 'node:net';
import type { TransportAddress } from '../core/observation.js';
import type { DatagramHandler } from './udp.js';

/** Limits of the TCP adapter. */
export interface TcpLimits {
  /** Largest STUN message accepted on a stream; browsers send a few hundred bytes. */
  readonly maxMessageBytes: number;
  /** A connection silent this long is closed. */
  readonly idleTimeoutMs: number;
  /** Concurrent connections; further ones are refused by the kernel-side accept. */
  readonly maxConnections: number;
}

/** Defaults sized for leak tests: few connections, small messages. */
export const DEFAULT_TCP_LIMITS: TcpLimits = {
  maxMessageBytes: 2048,
  idleTimeoutMs: 30_000,
  maxConnections: 256,
};

/** A listening TCP socket. */
export interface TcpEndpoint {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

type Framing = 'stun' | 'rfc4571';

// Magic cookie 0x2112A442 at `offset`.
function cookieAt(buffer: Buffer, offset: number): boolean {
  return (
    buffer[offset] === 0x21 &&
    buffer[offset + 1] === 0x12 &&
    buffer[offset + 2] === 0xa4 &&
    buffer[offset + 3] === 0x42
  );
}

/**
 * Listens for STUN over TCP. Messages follow each other on the stream and the header's
 * length delimits them (RFC 8489 §6.2.2). ICE-TCP peers (RFC 6544) instead prefix each
 * message with a 16-bit length (RFC 4571); the first message tells which: the cookie sits
 * at offset 4 or at offset 6. Replies use the peer's framing. A connection is closed on
 * bytes that are not STUN, on a message over the size limit, or when idle.
 */
export function listenTcp(
  address: string,
  port: number,
  onMessage: DatagramHandler,
  limits: TcpLimits = DEFAULT_TCP_LIMITS,
): Promise<TcpEndpoint> {
  const family = isIP(address) === 6 ? 'IPv6' : 'IPv4';
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(limits.idleTimeoutMs, () => socket.destroy());
    socket.setNoDelay(true);
    const source: TransportAddress = {
      address: socket.remoteAddress ?? '',
      port: socket.remotePort ?? 0,
      family: socket.remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4',
    };
    const local: TransportAddress = {
      address: socket.localAddress ?? address,
      port: socket.localPort ?? port,
      family,
    };
    let framing: Framing | undefined;
    let pending: Buffer = Buffer.alloc(0);
    const reply = (bytes: Uint8Array) => {
      if (socket.destroyed) return;
      if (framing === 'rfc4571') {
        const prefix = Buffer.from([bytes.length >> 8, bytes.length & 0xff]);
        socket.write(Buffer.concat([prefix, bytes]));
      } else {
        socket.write(bytes);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (!socket.destroyed) {
        if (framing === undefined) {
          // 0x2112 is not a multiple of 4, so a STUN length can never fake the cookie at 4.
          if (pending.length >= 8 && cookieAt(pending, 4)) framing = 'stun';
          else if (pending.length >= 10 && cookieAt(pending, 6)) framing = 'rfc4571';
          else if (pending.length >= 10) return void socket.destroy();
          else return;
        }
        const headerAt = framing === 'rfc4571' ? 2 : 0;
        if (pending.length < headerAt + 20) {
          if (pending.length > limits.maxMessageBytes + 2) socket.destroy();
          return;
        }
        if ((pending[headerAt]! & 0xc0) !== 0 || !cookieAt(pending, headerAt + 4))
          return void socket.destroy();
        const total = framing === 'rfc4571' ? pending.readUInt16BE(0) : 20 + pending.readUInt16BE(2);
        if (total > limits.maxMessageBytes) return void socket.destroy();
        if (pending.length < headerAt + total) return;
        const message = pending.subarray(headerAt, headerAt + total);
        pending = pending.subarray(headerAt + total);
        const response = onMessage(message, source, local);
        if (response !== undefined) reply(response);
      }
    });
  });
  server.maxConnections = limits.maxConnections;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port, exclusive: true, ipv6Only: family === 'IPv6' }, () => {
      server.off('error', reject);
      server.on('error', () => {});
      const bound = server.address();
      const boundPort = typeof bound === 'object' && bound !== null ? bound.port : port;
      resolve({
        address,
        port: boundPort,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
