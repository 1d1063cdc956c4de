/**
 * The fixture web server for the scanner's corpus tests and benchmark. Run in a child
 * process inside the test's network namespace (Node cannot enter one itself):
 *
 *   fixture-server.ts --listen 10.77.0.2:8080 --listen 10.77.0.3:8080 \
 *     --stun stun:10.77.0.2:3478 --other http://10.77.0.3:8080
 *
 * Serves `fixtures/site/` with `__STUN__` and `__OTHER__` filled in, answers the collection
 * endpoints (and `/delay/<ms>/<path>`), prints `{"event":"listening"}` when every socket is bound, then one
 * `{"event":"request",…}` line per request. SIGTERM/SIGINT close it.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const SITE = fileURLToPath(new URL('./fixtures/site/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};
// 1×1 transparent GIF for pixel endpoints.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

function values(flag: string): string[] {
  const out: string[] = [];
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++)
    if (argv[i] === flag && argv[i + 1] !== undefined) out.push(argv[++i]!);
  return out;
}

const listen = values('--listen');
const stun = values('--stun')[0] ?? 'stun:127.0.0.1:3478';
const other = values('--other')[0] ?? '';

async function handle(
  method: string,
  url: URL,
  body: string,
): Promise<{ status: number; type: string; data: Buffer | string }> {
  process.stdout.write(
    `${JSON.stringify({ event: 'request', method, url: url.href, bytes: body.length })}\n`,
  );
  // /delay/<ms>/<path>: the same page, answered late (tests of timeouts and crashes).
  const delay = /^\/delay\/(\d{1,5})(\/.*)$/.exec(url.pathname);
  if (delay) {
    await new Promise((resolve) => setTimeout(resolve, Number(delay[1])));
    return handle(method, new URL(delay[2]!, url), body);
  }
  if (url.pathname.startsWith('/collect')) return { status: 204, type: 'text/plain', data: '' };
  if (url.pathname.endsWith('.gif')) return { status: 200, type: 'image/gif', data: GIF };
  const path = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
  const type = TYPES[extname(path)];
  if (!type) return { status: 404, type: 'text/plain', data: 'not found' };
  try {
    const text = await readFile(SITE + path.replace(/^\//, ''), 'utf8');
    return { status: 200, type, data: text.replaceAll('__STUN__', stun).replaceAll('__OTHER__', other) };
  } catch {
    return { status: 404, type: 'text/plain', data: 'not found' };
  }
}

const servers: Server[] = [];
await Promise.all(
  listen.map((spec) => {
    const colon = spec.lastIndexOf(':');
    const host = spec.slice(0, colon);
    const port = Number(spec.slice(colon + 1));
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', `http://${req.headers.host ?? spec}`);
        handle(req.method ?? 'GET', url, Buffer.concat(chunks).toString('utf8')).then((r) => {
          res.writeHead(r.status, { 'content-type': r.type, 'cache-control': 'no-store' });
          res.end(r.data);
        });
      });
    });
    servers.push(server);
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
  }),
);
process.stdout.write(`${JSON.stringify({ event: 'listening', listen })}\n`);
const stop = () => {
  for (const s of servers) s.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
