import { defineCommand } from 'citty';
import { IceleakError } from '../../core/errors.js';
import type { ServiceOptions } from '../../service/index.js';
import { allValues } from '../repeated-flag.js';
import { parseListen } from './stun.js';

/**
 * `iceleak serve`: the self-hosted WebRTC leak test (HTTP page + API, STUN server, ICE-lite
 * observer, SQLite results). Every flag has an ICELEAK_* environment variable; the flag wins.
 * stdout: one line with the page URL (`--json`: {"event":"listening","url":…,"stun":[…]}).
 * Logs (pino JSON) go to stderr. SIGINT/SIGTERM: finish in-flight requests, then exit 0.
 */

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration such as `24h`, `30m`, `7d`, `90s` or `1500ms` into milliseconds. */
export function parseDuration(text: string, place: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  const value = m ? Number(m[1]) * UNITS[m[2]!]! : Number.NaN;
  if (!Number.isFinite(value) || value <= 0) {
    throw new IceleakError(
      'E_USAGE',
      place,
      `${JSON.stringify(text)}: expected a duration like 24h, 30m, 7d`,
    );
  }
  return value;
}

/** Flag values, else the comma-separated environment variable. */
function listOption(rawArgs: readonly string[], flag: string, env: string): string[] {
  const fromFlags = allValues(rawArgs, flag, 'serve');
  if (fromFlags.length > 0) return fromFlags;
  return (process.env[env] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function stringOption(value: unknown, env: string): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  const fromEnv = process.env[env];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

function portOption(text: string | undefined, place: string, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new IceleakError('E_USAGE', place, `${JSON.stringify(text)}: port must be 0-65535`);
  }
  return Number(text);
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);

/** `--trust-proxy` alone: trust every hop; with a value: a hop count or a list of proxy addresses/CIDRs. */
function trustProxyOption(rawArgs: readonly string[]): boolean | number | string {
  const index = rawArgs.findIndex((a) => a === '--trust-proxy' || a.startsWith('--trust-proxy='));
  let text: string | undefined;
  if (index >= 0) {
    const arg = rawArgs[index]!;
    const next = rawArgs[index + 1];
    text = arg.includes('=')
      ? arg.slice('--trust-proxy='.length)
      : next && !next.startsWith('-')
        ? next
        : 'true';
  } else text = process.env['ICELEAK_TRUST_PROXY'];
  if (text === undefined || text === '' || ['0', 'false', 'no', 'off'].includes(text)) return false;
  // Digits are a hop count (1 = the one reverse proxy in front of us), checked before "1" could mean yes.
  if (/^\d+$/.test(text)) return Number(text);
  if (TRUE.has(text)) return true;
  return text;
}

/** Builds the service options from flags and ICELEAK_* variables (exported for tests). */
export function serveOptionsFrom(rawArgs: readonly string[], args: Record<string, unknown>): ServiceOptions {
  const options: ServiceOptions = {
    host: stringOption(args['host'], 'ICELEAK_HOST') ?? '127.0.0.1',
    port: portOption(stringOption(args['port'], 'ICELEAK_PORT'), 'cli/serve/--port', 8080),
    trustProxy: trustProxyOption(rawArgs),
  };
  const stunListen = listOption(rawArgs, 'stun-listen', 'ICELEAK_STUN_LISTEN').map(parseListen);
  if (stunListen.length > 0) options.stunListen = stunListen;
  const publicAddresses = listOption(rawArgs, 'public-address', 'ICELEAK_PUBLIC_ADDRESS');
  if (publicAddresses.length > 0) options.publicAddresses = publicAddresses;
  const set = <K extends keyof ServiceOptions>(key: K, value: ServiceOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  set('tlsCert', stringOption(args['tls-cert'], 'ICELEAK_TLS_CERT'));
  set('tlsKey', stringOption(args['tls-key'], 'ICELEAK_TLS_KEY'));
  set('ipv4Host', stringOption(args['ipv4-host'], 'ICELEAK_IPV4_HOST'));
  set('ipv6Host', stringOption(args['ipv6-host'], 'ICELEAK_IPV6_HOST'));
  set('db', stringOption(args['db'], 'ICELEAK_DB'));
  set('logLevel', stringOption(args['log-level'], 'ICELEAK_LOG_LEVEL'));
  const retention = stringOption(args['retention'], 'ICELEAK_RETENTION');
  if (retention !== undefined) options.retentionMs = parseDuration(retention, 'cli/serve/--retention');
  if (rawArgs.includes('--no-store') || TRUE.has(process.env['ICELEAK_NO_STORE'] ?? ''))
    options.store = false;
  return options;
}

export default defineCommand({
  meta: {
    name: 'serve',
    description: 'Run the self-hosted WebRTC leak-test service (page, API, STUN server, ICE-lite observer).',
  },
  args: {
    host: { type: 'string', description: 'HTTP listen address (ICELEAK_HOST)', default: '127.0.0.1' },
    port: { type: 'string', description: 'HTTP port, 0 for any (ICELEAK_PORT)', default: '8080' },
    'stun-listen': {
      type: 'string',
      description:
        'STUN/ICE-lite ADDR:PORT, UDP+TCP; repeatable (ICELEAK_STUN_LISTEN, comma-separated); default 127.0.0.1:3478 or the next free port',
      valueHint: 'ADDR:PORT',
    },
    'public-address': {
      type: 'string',
      description:
        'IPv4/IPv6 address browsers must use to reach the STUN server (behind NAT); repeatable (ICELEAK_PUBLIC_ADDRESS)',
      valueHint: 'IP',
    },
    'tls-cert': { type: 'string', description: 'PEM certificate: serve HTTPS (ICELEAK_TLS_CERT)' },
    'tls-key': { type: 'string', description: 'PEM private key (ICELEAK_TLS_KEY)' },
    'trust-proxy': {
      type: 'string',
      description:
        'honour X-Forwarded-For: alone = any hop, or a hop count, or proxy addresses/CIDRs (ICELEAK_TRUST_PROXY); off by default',
    },
    'ipv4-host': { type: 'string', description: 'hostname reachable only over IPv4 (ICELEAK_IPV4_HOST)' },
    'ipv6-host': { type: 'string', description: 'hostname reachable only over IPv6 (ICELEAK_IPV6_HOST)' },
    db: { type: 'string', description: 'SQLite file (ICELEAK_DB)', default: './iceleak.sqlite' },
    store: {
      type: 'boolean',
      description: '--no-store: keep results in memory only (ICELEAK_NO_STORE=1)',
      default: true,
    },
    retention: {
      type: 'string',
      description: 'how long results are kept, e.g. 24h, 7d (ICELEAK_RETENTION)',
      default: '24h',
    },
    'log-level': {
      type: 'string',
      description: 'pino level: fatal … trace (ICELEAK_LOG_LEVEL)',
      default: 'info',
    },
    json: { type: 'boolean', description: 'print the listening line as JSON (for automation)' },
  },
  async run({ rawArgs, args }) {
    // citty fills defaults into args; only flags the user typed may override the environment.
    const typed = (name: string) => rawArgs.some((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    const explicit: Record<string, unknown> = {};
    for (const name of [
      'host',
      'port',
      'tls-cert',
      'tls-key',
      'ipv4-host',
      'ipv6-host',
      'db',
      'retention',
      'log-level',
    ]) {
      if (typed(name)) explicit[name] = (args as Record<string, unknown>)[name];
    }
    const options = serveOptionsFrom(rawArgs, explicit);
    // Loaded here so option parsing (and --help) does not pull in fastify, SQLite and esbuild.
    const { startService } = await import('../../service/index.js');
    const service = await startService(options);
    const line = args.json
      ? JSON.stringify({ event: 'listening', url: service.url, stun: service.stunEndpoints })
      : `iceleak serve: open ${service.url} (STUN ${service.stunEndpoints
          .map((e) => `${e.transport}:${e.address}:${e.port}`)
          .join(', ')})`;
    process.stdout.write(`${line}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void service.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
});
