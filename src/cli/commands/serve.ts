import { isIP } from 'node:net';
import { IceleakError } from '../../core/errors.js';
import type { ServiceOptions } from '../../service/index.js';
import {
  booleanWord,
  defineCliCommand,
  durationFlag,
  type Flag,
  type FlagValues,
  listFlag,
  optionalValueFlag,
  parseCommandLine,
  parseListen,
  parseText,
  portFlag,
  serveUntilSignal,
  stringFlag,
  switchFlag,
} from '../options.js';

/**
 * `iceleak serve`: the self-hosted WebRTC leak test (HTTP page + API, STUN server, ICE-lite
 * observer, SQLite results). Every flag has an ICELEAK_* environment variable, derived from
 * its name (docs/serve.md lists them); the flag wins. stdout: one line with the page URL
 * (`--json`: {"event":"listening","url":…,"stun":[…]}). Logs (pino JSON) go to stderr.
 * SIGINT/SIGTERM: finish in-flight requests, then exit 0.
 */

/** proxy-addr's names for address ranges, which fastify's `trustProxy` takes beside addresses and CIDRs. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(item: string): boolean {
  if (PROXY_RANGE_NAMES.has(item)) return true;
  const [address = '', bits, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * A `--trust-proxy` value: digits other than 0 → a hop count (1 = the one reverse proxy in
 * front of us; read before `1` could mean yes); `true`/`yes`/`on` → every hop;
 * `false`/`0`/`no`/`off` → off; else comma-separated proxy addresses or CIDRs
 * (`10.0.0.0/8,127.0.0.1`).
 */
export function parseTrustProxy(text: string, place: string): boolean | number | string {
  if (/^\s*\d+\s*$/.test(text) && Number(text) > 0) return Number(text);
  const word = booleanWord(text);
  if (word !== undefined) return word;
  const items = text.split(',').map((s) => s.trim());
  if (items.some((item) => !isAddressOrCidr(item))) {
    throw new IceleakError(
      'E_USAGE',
      place,
      `${JSON.stringify(text)}: expected true, false, a hop count, or proxy addresses/CIDRs`,
    );
  }
  return items.join(',');
}

/** A serve flag whose value fills the ServiceOptions field `option` when given. */
function option<K extends keyof ServiceOptions, T extends ServiceOptions[K]>(
  key: K,
  flag: Flag<T>,
): Flag<T> & { readonly option: K } {
  return { ...flag, option: key };
}

const parseStunListen = (text: string, place: string) => parseListen(text, place);

/** `iceleak serve`'s flags: one row per flag; its ICELEAK_* variable follows from the name. */
export const SERVE = {
  command: 'serve',
  envPrefix: 'ICELEAK_',
  flags: {
    host: option('host', stringFlag('HTTP listen address', { valueHint: 'ADDR', default: '127.0.0.1' })),
    port: option('port', portFlag('HTTP port, 0 for any', { valueHint: 'N', default: '8080' })),
    'stun-listen': option(
      'stunListen',
      listFlag(
        parseStunListen,
        'STUN/ICE-lite address, UDP+TCP; repeatable; a taken default port moves to the next free one',
        { valueHint: 'ADDR:PORT', defaultText: '127.0.0.1:3478' },
      ),
    ),
    'public-address': option(
      'publicAddresses',
      listFlag(
        parseText,
        'IPv4/IPv6 address browsers must use to reach the STUN server (behind NAT); repeatable',
        { valueHint: 'IP' },
      ),
    ),
    'tls-cert': option('tlsCert', stringFlag('PEM certificate: serve HTTPS', { valueHint: 'FILE' })),
    'tls-key': option('tlsKey', stringFlag('PEM private key', { valueHint: 'FILE' })),
    'trust-proxy': option(
      'trustProxy',
      optionalValueFlag(
        parseTrustProxy,
        'honour X-Forwarded-For: alone = every hop, or a hop count, or proxy addresses/CIDRs',
        { valueHint: 'VALUE', default: 'false' },
      ),
    ),
    'ipv4-host': option('ipv4Host', stringFlag('hostname reachable only over IPv4', { valueHint: 'HOST' })),
    'ipv6-host': option('ipv6Host', stringFlag('hostname reachable only over IPv6', { valueHint: 'HOST' })),
    db: option('db', stringFlag('SQLite file', { valueHint: 'PATH', defaultText: './iceleak.sqlite' })),
    store: option('store', switchFlag('--no-store: keep results in memory only', { defaultText: 'true' })),
    retention: option(
      'retentionMs',
      durationFlag('how long results are kept, e.g. 24h, 7d', { valueHint: 'DURATION', defaultText: '24h' }),
    ),
    'log-level': option(
      'logLevel',
      stringFlag('pino level: fatal … trace', { valueHint: 'LEVEL', defaultText: 'info' }),
    ),
    json: switchFlag('print the listening line as JSON (for automation)'),
  },
} as const;

/** The service options the flags (and ICELEAK_* variables) ask for; flags not given stay unset. */
function serviceOptionsOf(flags: FlagValues<typeof SERVE.flags>): ServiceOptions {
  const options: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(SERVE.flags)) {
    const value: unknown = flags[name as keyof typeof flags];
    if (!('option' in flag) || value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    options[flag.option] = value;
  }
  return options as ServiceOptions;
}

/** Builds the service options from flags and ICELEAK_* variables (exported for tests). */
export function serveOptionsFrom(rawArgs: readonly string[], env = process.env): ServiceOptions {
  return serviceOptionsOf(parseCommandLine(SERVE, rawArgs, env).flags);
}

export default defineCliCommand({
  ...SERVE,
  description: 'Run the self-hosted WebRTC leak-test service (page, API, STUN server, ICE-lite observer).',
  async run({ flags }) {
    const options = serviceOptionsOf(flags);
    // Loaded here so option parsing (and --help) does not pull in fastify, SQLite and esbuild.
    const { startService } = await import('../../service/index.js');
    await serveUntilSignal(
      () => startService(options),
      (service) => {
        const line = flags.json
          ? JSON.stringify({ event: 'listening', url: service.url, stun: service.stunEndpoints })
          : `iceleak serve: open ${service.url} (STUN ${service.stunEndpoints
              .map((e) => `${e.transport}:${e.address}:${e.port}`)
              .join(', ')})`;
        process.stdout.write(`${line}\n`);
      },
    );
  },
});
