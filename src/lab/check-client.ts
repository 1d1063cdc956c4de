/**
 * The client side of the lab's self-check, run inside the client namespace: for each target
 * address it fetches the echo server over HTTP (through the scenario's proxy, if any) and
 * sends UDP straight to it, then prints what the echo server saw, as one JSON line.
 *
 * argv: --http-port N [--proxy URL] TARGET=UDPPORT…
 */
import { createSocket } from 'node:dgram';
import { request } from 'node:http';
import { connect, isIPv6 } from 'node:net';
import { pathToFileURL } from 'node:url';
import { ipv6Bytes } from './address.js';

/** What the echo server reported for one target (or why it could not be asked). */
export interface CheckProbe {
  target: string;
  http: { source: string } | { error: string };
  udp: { source: string } | { error: string };
}

function hostPart(address: string): string {
  return isIPv6(address) ? `[${address}]` : address;
}

function parseSource(body: string): { source: string } | { error: string } {
  try {
    const parsed = JSON.parse(body) as { source?: unknown };
    return typeof parsed.source === 'string'
      ? { source: parsed.source }
      : { error: `unexpected reply ${body.slice(0, 80)}` };
  } catch {
    return { error: `unexpected reply ${body.slice(0, 80)}` };
  }
}

/** Plain GET, or an absolute-form GET through an HTTP proxy (RFC 9112 §3.2.2). */
function httpGet(target: string, port: number, proxy: URL | null): Promise<string> {
  const url = `http://${hostPart(target)}:${port}/`;
  return new Promise((resolve, reject) => {
    const req = request(
      proxy
        ? {
            host: proxy.hostname.replace(/^\[|\]$/g, ''),
            port: Number(proxy.port),
            path: url,
            headers: { host: `${hostPart(target)}:${port}` },
          }
        : url,
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(body)
            : reject(new Error(`HTTP ${res.statusCode}: ${body.slice(0, 120)}`)),
        );
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error('HTTP timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** GET through a SOCKS5 proxy: RFC 1928 greeting (no auth), CONNECT, then HTTP/1.0 over the tunnel. */
function socks5Get(target: string, port: number, proxy: URL): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port) });
    socket.setTimeout(5000, () => socket.destroy(new Error('SOCKS5 timeout')));
    let stage: 'greeting' | 'connect' | 'http' = 'greeting';
    let buffer = Buffer.alloc(0);
    socket.on('connect', () => socket.write(Buffer.from([0x05, 0x01, 0x00])));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 'greeting' && buffer.length >= 2) {
        if (buffer[0] !== 0x05 || buffer[1] !== 0x00)
          return socket.destroy(new Error('SOCKS5: no acceptable auth method'));
        buffer = buffer.subarray(2);
        const v6 = isIPv6(target);
        const address = v6 ? ipv6Bytes(target) : Buffer.from(target.split('.').map(Number));
        const portBytes = Buffer.from([port >> 8, port & 0xff]);
        socket.write(Buffer.concat([Buffer.from([0x05, 0x01, 0x00, v6 ? 0x04 : 0x01]), address, portBytes]));
        stage = 'connect';
      }
      if (stage === 'connect' && buffer.length >= 4) {
        if (buffer[1] !== 0x00)
          return socket.destroy(new Error(`SOCKS5: CONNECT failed, reply ${buffer[1]}`));
        const length = buffer[3] === 0x04 ? 22 : 10;
        if (buffer.length < length) return;
        buffer = buffer.subarray(length);
        socket.write(`GET / HTTP/1.0\r\nHost: ${hostPart(target)}:${port}\r\n\r\n`);
        stage = 'http';
      }
    });
    socket.on('end', () => {
      const text = buffer.toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      split < 0 ? reject(new Error('SOCKS5: no HTTP response')) : resolve(text.slice(split + 4));
    });
    socket.on('error', reject);
  });
}

/** Sends a datagram and waits for the echo, retrying because UDP may be lost (ARP/ND at first contact). */
function udpEcho(target: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIPv6(target) ? 'udp6' : 'udp4');
    let tries = 0;
    const send = () => {
      if (tries++ === 25) {
        clearInterval(timer);
        socket.close();
        return reject(new Error('UDP: no echo after 25 tries (5 s)'));
      }
      socket.send('iceleak-lab-check', port, target);
    };
    const timer = setInterval(send, 200);
    socket.on('message', (message) => {
      clearInterval(timer);
      socket.close();
      resolve(message.toString('utf8'));
    });
    socket.on('error', (error) => {
      clearInterval(timer);
      socket.close();
      reject(error);
    });
    send();
  });
}

async function probe(
  target: string,
  httpPort: number,
  udpPort: number,
  proxy: URL | null,
): Promise<CheckProbe> {
  const fetchHttp =
    proxy?.protocol === 'socks5:' ? socks5Get(target, httpPort, proxy) : httpGet(target, httpPort, proxy);
  const [http, udp] = await Promise.all([
    fetchHttp.then(parseSource, (error: Error) => ({ error: error.message })),
    udpEcho(target, udpPort).then(parseSource, (error: Error) => ({ error: error.message })),
  ]);
  return { target, http, udp };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const value = args[i + 1];
    args.splice(i, 2);
    return value;
  };
  const httpPort = Number(option('--http-port'));
  const proxyText = option('--proxy');
  const proxy = proxyText ? new URL(proxyText) : null;
  const probes = await Promise.all(
    args.map((arg) => {
      const split = arg.lastIndexOf('=');
      return probe(arg.slice(0, split), httpPort, Number(arg.slice(split + 1)), proxy);
    }),
  );
  process.stdout.write(`${JSON.stringify(probes)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
