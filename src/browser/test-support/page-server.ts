/**
 * A small server for real-browser tests and fixture captures, run as a child process inside a
 * server namespace (`ip netns exec NS` + nodeModuleArgv). argv[2] is a JSON `PageServerConfig`.
 *
 * - HTTP on `host:httpPort`: `GET /` is an empty page with `<p id="ready">`; `POST /answer` takes
 *   an SDP offer and returns `createIceLiteAnswer(offer, {ufrag, pwd, candidates})`, the way the
 *   leak-test service answers its probe; `?ufrag=…&pwd=…` overrides the credentials, so one
 *   server can stand for several registered observer sessions.
 * - With `capturePort`: a plain UDP socket on `host:capturePort` that prints every datagram as
 *   a JSON line `{"event":"datagram","hex","source"}` and answers STUN through iceleak's protocol
 *   core (session `capture` = ufrag/pwd, plus every credential an answer handed out), so the
 *   browser gets a srflx candidate and keeps checking.
 *
 * First stdout line: `{"event":"listening",…}`. Exits when stdin closes or on SIGTERM.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import { createIceLiteAnswer, type IceLiteEndpoint } from '../../core/ice/ice-lite-answer.js';
import { handleStunPacket } from '../../server/protocol.js';
import { SessionTable } from '../../server/sessions.js';

/** What the page server is told on its command line. */
export interface PageServerConfig {
  readonly host: string;
  readonly httpPort: number;
  readonly ufrag: string;
  readonly pwd: string;
  /** Candidates put in answers; default: the capture socket. */
  readonly candidates?: readonly IceLiteEndpoint[];
  readonly capturePort?: number;
}

const DAY_MS = 24 * 3600_000;
const write = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function main(config: PageServerConfig): Promise<void> {
  // Only with a capture socket: the sessions it answers checks for.
  const sessions = config.capturePort ? new SessionTable() : null;
  const candidates: readonly IceLiteEndpoint[] =
    config.candidates ??
    (config.capturePort ? [{ address: config.host, port: config.capturePort, transport: 'udp' }] : []);
  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://page-server');
    if (req.method === 'POST' && url.pathname === '/answer') {
      const ufrag = url.searchParams.get('ufrag') ?? config.ufrag;
      const pwd = url.searchParams.get('pwd') ?? config.pwd;
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        try {
          const answer = createIceLiteAnswer(body, { ufrag, pwd, candidates });
          sessions?.register({ sessionId: `answer-${ufrag}`, ufrag, pwd, ttlMs: DAY_MS });
          write({ event: 'answered', offer: body, answer });
          res.writeHead(200, { 'content-type': 'application/sdp' }).end(answer);
        } catch (error) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end((error as Error).message);
        }
      });
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end('<!doctype html><title>iceleak test page</title><p id="ready">ready</p>');
  });
  await new Promise<void>((resolve) => http.listen(config.httpPort, config.host, resolve));

  let socket: ReturnType<typeof createSocket> | undefined;
  if (config.capturePort && sessions) {
    sessions.register({ sessionId: 'capture', ufrag: config.ufrag, pwd: config.pwd, ttlMs: DAY_MS });
    const udp = createSocket('udp4');
    socket = udp;
    const local = { address: config.host, port: config.capturePort, family: 'IPv4' as const };
    udp.on('message', (msg, rinfo) => {
      write({ event: 'datagram', hex: msg.toString('hex'), source: `${rinfo.address}:${rinfo.port}` });
      const source = { address: rinfo.address, port: rinfo.port, family: 'IPv4' as const };
      for (const action of handleStunPacket(
        { bytes: msg, transport: 'udp', source, local, now: Date.now() },
        { sessions },
      )) {
        if (action.type === 'send') udp.send(action.bytes, rinfo.port, rinfo.address);
      }
    });
    await new Promise<void>((resolve) => udp.bind(config.capturePort, config.host, resolve));
  }
  write({
    event: 'listening',
    host: config.host,
    httpPort: config.httpPort,
    capturePort: config.capturePort ?? null,
  });

  const stop = () => {
    socket?.close();
    http.closeAllConnections();
    http.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.stdin.resume();
  process.stdin.on('end', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main(JSON.parse(process.argv[2] ?? '{}') as PageServerConfig);
