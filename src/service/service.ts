import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { IceleakError } from '../core/errors.js';
import { type StunObserver, startStunObserver } from '../server/index.js';
import { buildApp, type PublicEndpoint } from './app.js';
import { createServiceMetrics } from './metrics.js';
import { loadProbeScript } from './probe-asset.js';
import { LeakTestResultStore } from './store.js';

/** Everything `iceleak serve` can be told; all optional (embedded defaults). */
export interface ServiceOptions {
  /** HTTP listen host (default 127.0.0.1) and port (default 8080; 0 = any free port). */
  host?: string;
  port?: number;
  /** STUN/ICE-lite listen endpoints (default 127.0.0.1:3478, or the next free port when taken). */
  stunListen?: Array<{ address: string; port: number }>;
  /** Addresses browsers must use to reach the STUN server when it is behind NAT/a load balancer. */
  publicAddresses?: string[];
  tlsCert?: string;
  tlsKey?: string;
  trustProxy?: boolean | number | string;
  /** Hostnames that resolve only over IPv4 / IPv6 (the page fetches both to learn each HTTP-seen address). */
  ipv4Host?: string;
  ipv6Host?: string;
  /** SQLite file (default ./iceleak.sqlite); `:memory:` or `store: false` keeps nothing on disk. */
  db?: string;
  store?: boolean;
  /** Result retention (default 24 h). */
  retentionMs?: number;
  logLevel?: string;
  /** A logger to use instead of pino on stderr. */
  logger?: Logger;
  rateLimitPerMinute?: number | false;
  iceWaitMs?: number;
  probeCapMs?: number;
}

/** A running service. */
export interface RunningService {
  /** The page URL, e.g. http://127.0.0.1:8080/ */
  readonly url: string;
  readonly app: FastifyInstance;
  readonly stunEndpoints: readonly PublicEndpoint[];
  /** Stops accepting, finishes in-flight requests (no result lost), closes the observer and the database. */
  close(): Promise<void>;
}

/** Default STUN port (RFC 8489 §18.8 registers 3478); if taken, the next ones are tried. */
const DEFAULT_STUN_PORT = 3478;
const STUN_PORT_TRIES = 10;
const PURGE_INTERVAL_MS = 10 * 60_000;

async function startObserver(listen: ServiceOptions['stunListen']): Promise<StunObserver> {
  if (listen && listen.length > 0) return startStunObserver({ listen });
  let lastError: unknown;
  for (let port = DEFAULT_STUN_PORT; port < DEFAULT_STUN_PORT + STUN_PORT_TRIES; port++) {
    try {
      return await startStunObserver({ listen: [{ address: '127.0.0.1', port }] });
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** Browsers must reach these: the public addresses (with the bound ports), else the bound endpoints. */
function publicEndpoints(observer: StunObserver, publicAddresses: string[] | undefined): PublicEndpoint[] {
  const bound = observer.endpoints.map((e) => ({ address: e.address, port: e.port, transport: e.transport }));
  if (!publicAddresses || publicAddresses.length === 0) {
    const wildcard = bound.find((e) => e.address === '0.0.0.0' || e.address === '::');
    if (wildcard) {
      throw new IceleakError(
        'E_PUBLIC_ADDRESS',
        'service/options',
        `STUN listens on ${wildcard.address}; say which address browsers must use with --public-address`,
      );
    }
    return bound;
  }
  const out: PublicEndpoint[] = [];
  for (const address of publicAddresses) {
    const family = isIP(address);
    if (family === 0)
      throw new IceleakError('E_PUBLIC_ADDRESS', 'service/options', `not an IP address: ${address}`);
    // Same port as a bound endpoint of that family (port forwarding keeps the port); any one otherwise.
    const sameFamily = bound.filter((e) => isIP(e.address) === family || e.address === '::');
    for (const transport of ['udp', 'tcp'] as const) {
      const e =
        sameFamily.find((b) => b.transport === transport) ?? bound.find((b) => b.transport === transport);
      if (e) out.push({ address, port: e.port, transport });
    }
  }
  return out;
}

function originOf(scheme: 'http' | 'https', host: string | undefined, port: number): string | null {
  if (!host) return null;
  const h = isIP(host) === 6 ? `[${host}]` : host;
  const defaultPort = scheme === 'http' ? 80 : 443;
  return `${scheme}://${h}${port === defaultPort ? '' : `:${port}`}`;
}

/**
 * Starts `iceleak serve` in this process: STUN server + ICE-lite observer, the result store,
 * the HTTP app. Closes whatever it opened when a later step fails.
 */
export async function startService(options: ServiceOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? pino({ level: options.logLevel ?? 'info' }, pino.destination(2));
  const tls =
    options.tlsCert || options.tlsKey
      ? await (async () => {
          if (!options.tlsCert || !options.tlsKey) {
            throw new IceleakError('E_TLS', 'service/options', '--tls-cert and --tls-key go together');
          }
          return { cert: await readFile(options.tlsCert), key: await readFile(options.tlsKey) };
        })()
      : null;
  const probeScript = await loadProbeScript();
  const store = new LeakTestResultStore({
    path: options.store === false ? ':memory:' : (options.db ?? './iceleak.sqlite'),
    retentionMs: options.retentionMs ?? 24 * 3_600_000,
  });
  let observer: StunObserver | undefined;
  let app: FastifyInstance | undefined;
  try {
    store.purgeExpired();
    observer = await startObserver(options.stunListen);
    const endpoints = publicEndpoints(observer, options.publicAddresses);
    const port = options.port ?? 8080;
    const scheme = tls ? 'https' : 'http';
    app = await buildApp(
      {
        trustProxy: options.trustProxy ?? false,
        https: tls,
        ipv4Origin: originOf(scheme, options.ipv4Host, port),
        ipv6Origin: originOf(scheme, options.ipv6Host, port),
        ...(options.rateLimitPerMinute === undefined
          ? {}
          : { rateLimitPerMinute: options.rateLimitPerMinute }),
        ...(options.iceWaitMs === undefined ? {} : { iceWaitMs: options.iceWaitMs }),
        ...(options.probeCapMs === undefined ? {} : { probeCapMs: options.probeCapMs }),
      },
      {
        observer,
        endpoints,
        store,
        probeScript,
        logger,
        metrics: createServiceMetrics({ processMetrics: true }),
      },
    );
    const address = await app.listen({ host: options.host ?? '127.0.0.1', port });
    const bound = app.server.address();
    const boundPort = typeof bound === 'object' && bound ? bound.port : port;
    const host = options.host ?? '127.0.0.1';
    // The page URL: the IPv4 hostname when given (the one a wildcard listener cannot name).
    const pageHost = options.ipv4Host ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
    const url = `${originOf(scheme, pageHost, boundPort)}/`;
    logger.info({ url, address, stun: endpoints }, 'iceleak serve listening');
    const purger = setInterval(() => {
      const purged = store.purgeExpired();
      if (purged > 0) logger.info({ purged }, 'expired results purged');
    }, PURGE_INTERVAL_MS);
    purger.unref();
    const openApp = app;
    const openObserver = observer;
    let closing: Promise<void> | undefined;
    return {
      url,
      app: openApp,
      stunEndpoints: endpoints,
      close() {
        closing ??= (async () => {
          clearInterval(purger);
          // Fastify waits for in-flight requests (a report being stored) before resolving.
          await openApp.close();
          await openObserver.close();
          store.close();
          logger.info('iceleak serve stopped');
        })();
        return closing;
      },
    };
  } catch (error) {
    await app?.close().catch(() => {});
    await observer?.close().catch(() => {});
    store.close();
    throw error;
  }
}
