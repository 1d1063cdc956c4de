import { isIP } from 'node:net';
import { type ArgsDef, type CommandDef, defineCommand } from 'citty';
import { IceleakError } from '../core/errors.js';

/**
 * The CLI's flags as data. Each command declares a table of flags (how a flag takes its
 * value, its help text, its default, its parser); `parseCommandLine` reads argv — and, for
 * a command with an `envPrefix`, one environment variable per flag — against that table,
 * and `cittyArgs` renders the same table for `--help`. Misuse is
 * IceleakError('E_USAGE', 'cli/<command>/--<flag>', …): main.ts prints one line, exit 2.
 *
 * Argument grammar (one rule for every command):
 *   --flag=VALUE | --flag VALUE   a value; a separate VALUE never starts with '-', so a flag
 *                                 cannot swallow the next flag (`--db=-odd-name` if it must)
 *   --flag                        a switch is on; an optional-value flag means `--flag=true`
 *   --no-flag                     a switch is off
 *   --flag A,B --flag C           a list flag: comma-separated, repeatable → [A, B, C]
 *   --                            everything after it is positional
 * Unknown flags and positional arguments a command does not take are errors.
 */

/** Turns one text into a value; throws E_USAGE at `place` when it cannot. */
export type Parse<T> = (text: string, place: string) => T;

/** One row of a command's flag table. */
export interface Flag<T> {
  /**
   * `value`: takes one value (the last one given wins); `list`: comma-separated values, the
   * flag repeatable; `switch`: on/off; `optional-value`: alone, or with a value.
   */
  readonly kind: 'value' | 'list' | 'switch' | 'optional-value';
  readonly description: string;
  readonly valueHint?: string;
  /** The default as a user would type it, for --help and docs/serve.md. */
  readonly defaultText?: string;
  /** Every text given for the flag, in order ([] when absent) → its value. */
  readonly read: (texts: readonly string[], place: string) => T;
}

export type FlagTable = Readonly<Record<string, Flag<unknown>>>;

/** The values a flag table yields, typed row by row. */
export type FlagValues<F extends FlagTable> = { readonly [K in keyof F]: ReturnType<F[K]['read']> };

function usage(place: string, message: string): IceleakError {
  return new IceleakError('E_USAGE', place, message);
}

// ─── Parsers ──────────────────────────────────────────────────────────────────────────

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

/** `1/true/yes/on` → true, `0/false/no/off` → false, anything else → undefined. */
export function booleanWord(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
}

/** `1/true/yes/on` or `0/false/no/off`. */
export function parseBoolean(text: string, place: string): boolean {
  const value = booleanWord(text);
  if (value === undefined) {
    throw usage(place, `${JSON.stringify(text)}: expected true or false (1/0, yes/no, on/off)`);
  }
  return value;
}

/** Any non-empty text. */
export function parseText(text: string, place: string): string {
  if (text === '') throw usage(place, 'needs a value');
  return text;
}

/** A whole number in [min, max]. */
export function integerIn(min: number, max = Number.MAX_SAFE_INTEGER): Parse<number> {
  return (text, place) => {
    const n = /^\d{1,15}$/.test(text.trim()) ? Number(text) : Number.NaN;
    if (!(n >= min && n <= max)) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
      throw usage(place, `${JSON.stringify(text)}: expected a whole number ${range}`);
    }
    return n;
  };
}

/** A TCP/UDP port, 0 meaning "any free port". */
export function parsePort(text: string, place: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw usage(place, `${JSON.stringify(text)}: port must be 0-65535`);
  }
  return Number(text);
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Parses a duration such as `24h`, `30m`, `7d`, `90s` or `1500ms` into milliseconds. */
export function parseDuration(text: string, place: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  const value = m ? Number(m[1]) * DURATION_UNITS[m[2]!]! : Number.NaN;
  if (!Number.isFinite(value) || value <= 0) {
    throw usage(place, `${JSON.stringify(text)}: expected a duration like 24h, 30m, 7d`);
  }
  return value;
}

/** Parses `IPV4:PORT`, `[IPV6]:PORT`, or an address alone (`IPV4`, `[IPV6]`) meaning port 3478. */
export function parseListen(text: string, place: string): { address: string; port: number } {
  const bad = (why: string) => usage(place, `${JSON.stringify(text)}: ${why}`);
  let address: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    address = bracketed[1]!;
    portText = bracketed[2];
  } else if (isIP(text) === 4) {
    address = text;
  } else if (isIP(text) === 6) {
    // `::1:3478` is itself an IPv6 address: without brackets the port cannot be told apart.
    throw bad('write IPv6 addresses in brackets, e.g. [::1]:3478');
  } else {
    const colon = text.lastIndexOf(':');
    if (colon === -1) throw bad('expected ADDR:PORT or [IPv6]:PORT');
    address = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (isIP(address) === 6) throw bad('write IPv6 addresses in brackets, e.g. [::1]:3478');
  }
  if (isIP(address) === 0) throw bad('not an IP address');
  if (portText !== undefined && !/^\d{1,5}$/.test(portText)) throw bad('port must be a number');
  const port = portText === undefined ? 3478 : Number(portText);
  if (port > 65535) throw bad('port must be 0-65535');
  return { address, port };
}

// ─── Flag constructors ────────────────────────────────────────────────────────────────

interface ValueOptions {
  readonly valueHint?: string;
  /** The default text, parsed like a typed value when the flag is absent. */
  readonly default?: string;
  /** A default applied further down (the service's own), only shown in --help. */
  readonly defaultText?: string;
}
type WithDefault = ValueOptions & { readonly default: string };

/** A flag taking one value; absent → `default` parsed, else undefined. */
export function valueFlag<T>(parse: Parse<T>, description: string, options: WithDefault): Flag<T>;
export function valueFlag<T>(
  parse: Parse<T>,
  description: string,
  options?: ValueOptions,
): Flag<T | undefined>;
export function valueFlag<T>(
  parse: Parse<T>,
  description: string,
  options: ValueOptions = {},
): Flag<T | undefined> {
  const { valueHint, default: fallback } = options;
  return {
    kind: 'value',
    description,
    ...(valueHint === undefined ? {} : { valueHint }),
    ...defaultTextOf(options),
    read: (texts, place) => {
      const text = texts.at(-1) ?? fallback;
      return text === undefined ? undefined : parse(text, place);
    },
  };
}

function defaultTextOf(options: ValueOptions): { defaultText?: string } {
  const text = options.default ?? options.defaultText;
  return text === undefined ? {} : { defaultText: text };
}

/** A flag taking any non-empty text. */
export function stringFlag(description: string, options: WithDefault): Flag<string>;
export function stringFlag(description: string, options?: ValueOptions): Flag<string | undefined>;
export function stringFlag(description: string, options: ValueOptions = {}) {
  return valueFlag(parseText, description, options);
}

/** A comma-separated, repeatable flag; each item parsed by `parse`. Absent → `default` items, else []. */
export function listFlag<T>(parse: Parse<T>, description: string, options: ValueOptions = {}): Flag<T[]> {
  const { valueHint, default: fallback } = options;
  return {
    kind: 'list',
    description,
    ...(valueHint === undefined ? {} : { valueHint }),
    ...defaultTextOf(options),
    read: (texts, place) => {
      const given = texts.length > 0 ? texts : fallback === undefined ? [] : [fallback];
      return given
        .flatMap((text) => text.split(','))
        .map((item) => item.trim())
        .filter((item) => item !== '')
        .map((item) => parse(item, place));
    },
  };
}

/** An on/off flag: `--x`, `--no-x`, `--x=false`. Absent → `default` (false unless said). */
export function switchFlag(description: string, options?: { readonly default?: boolean }): Flag<boolean>;
/** An on/off flag whose default is applied further down: absent → undefined. */
export function switchFlag(
  description: string,
  options: { readonly defaultText: 'true' | 'false' },
): Flag<boolean | undefined>;
export function switchFlag(
  description: string,
  options: { readonly default?: boolean; readonly defaultText?: 'true' | 'false' } = {},
): Flag<boolean | undefined> {
  const defaultText = options.defaultText ?? (options.default === true ? 'true' : undefined);
  return {
    kind: 'switch',
    description,
    ...(defaultText === undefined ? {} : { defaultText }),
    read: (texts, place) => {
      const text = texts.at(-1);
      if (text === undefined) return options.defaultText === undefined ? options.default === true : undefined;
      return parseBoolean(text, place);
    },
  };
}

/**
 * A flag that may stand alone (read as `true`) or carry a value: `--x`, `--x=V`, `--x V`.
 * Like every flag, it takes the next argument only when that does not start with '-'.
 */
export function optionalValueFlag<T>(parse: Parse<T>, description: string, options: WithDefault): Flag<T> {
  return { ...valueFlag(parse, description, options), kind: 'optional-value' };
}

/** `--port`-like flags. */
export const portFlag = (description: string, options: WithDefault): Flag<number> =>
  valueFlag(parsePort, description, options);

/** A duration in milliseconds (`24h`, `90s`). */
export function durationFlag(description: string, options: ValueOptions = {}): Flag<number | undefined> {
  return valueFlag(parseDuration, description, options);
}

// ─── Commands ─────────────────────────────────────────────────────────────────────────

/** The positional arguments a command takes; none when a command does not say. */
export interface Positionals {
  readonly name: string;
  readonly description: string;
  /** At least one is needed. */
  readonly required?: boolean;
  /** Any number of them (URLs, scenario names); otherwise at most one. */
  readonly variadic?: boolean;
}

/** A command line's shape: its name (`serve`, `lab/up`), flags and positional arguments. */
export interface CommandLineSpec<F extends FlagTable> {
  /** `serve`, `lab/up`: names the command in error places (`cli/lab/up/--json`). */
  readonly command: string;
  readonly flags: F;
  readonly positionals?: Positionals;
  /** Every flag also reads `<envPrefix><FLAG_UPPER_SNAKE>` (see `envVarOf`); a typed flag wins. */
  readonly envPrefix?: string;
}

export interface CommandLine<F extends FlagTable> {
  readonly flags: FlagValues<F>;
  readonly positionals: readonly string[];
}

/**
 * The environment variable of a flag: the prefix and the flag as a user types it to change
 * the default, in upper snake case — `--log-level` → ICELEAK_LOG_LEVEL, `--no-store` →
 * ICELEAK_NO_STORE (a switch that is on by default is turned off by setting it to 1).
 */
export function envVarOf(prefix: string, name: string, flag: Flag<unknown>): string {
  const typed = onByDefault(flag) ? `no-${name}` : name;
  return prefix + typed.toUpperCase().replaceAll('-', '_');
}

/** A switch that is on unless turned off: `--no-x` is its documented form. */
function onByDefault(flag: Flag<unknown>): boolean {
  return flag.kind === 'switch' && flag.defaultText === 'true';
}

function flagPlace(command: string, name: string): string {
  return `cli/${command}/--${name}`;
}

/** Splits argv into each flag's texts and the positional arguments (see the grammar above). */
function scanArgs(
  spec: CommandLineSpec<FlagTable>,
  rawArgs: readonly string[],
): { texts: Map<string, string[]>; positionals: string[] } {
  const texts = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === '--') {
      positionals.push(...rawArgs.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const written = arg.slice(arg.startsWith('--') ? 2 : 1, eq === -1 ? undefined : eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const negated = written.startsWith('no-') && !Object.hasOwn(spec.flags, written);
    const name = negated ? written.slice(3) : written;
    const flag = Object.hasOwn(spec.flags, name) ? spec.flags[name] : undefined;
    if (!arg.startsWith('--') || !flag || (negated && (flag.kind !== 'switch' || inline !== undefined))) {
      const shown = arg.slice(0, eq === -1 ? undefined : eq);
      throw usage(`cli/${spec.command}`, `unknown flag ${shown}; ${helpHint(spec.command)}`);
    }
    const next = rawArgs[i + 1];
    const nextIsValue = next !== undefined && !next.startsWith('-');
    let text: string;
    if (flag.kind === 'switch') text = negated ? 'false' : (inline ?? 'true');
    else if (inline !== undefined) text = inline;
    else if (nextIsValue) text = rawArgs[++i]!;
    else if (flag.kind === 'optional-value') text = 'true';
    else throw usage(flagPlace(spec.command, name), `--${name} needs a value`);
    texts.set(name, [...(texts.get(name) ?? []), text]);
  }
  return { texts, positionals };
}

function helpHint(command: string): string {
  return `see \`iceleak ${command.replace('/', ' ')} --help\``;
}

function checkPositionals(spec: CommandLineSpec<FlagTable>, positionals: readonly string[]): void {
  const place = `cli/${spec.command}`;
  const allowed = spec.positionals === undefined ? 0 : spec.positionals.variadic ? Infinity : 1;
  const stray = positionals[allowed];
  if (stray !== undefined) {
    throw usage(place, `unexpected argument ${JSON.stringify(stray)}; ${helpHint(spec.command)}`);
  }
  if (spec.positionals?.required && positionals.length === 0) {
    throw usage(place, `missing ${spec.positionals.name.toUpperCase()}`);
  }
}

/** Reads argv (and the environment, for a command with `envPrefix`) against a command's flag table. */
export function parseCommandLine<F extends FlagTable>(
  spec: CommandLineSpec<F>,
  rawArgs: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): CommandLine<F> {
  const { texts, positionals } = scanArgs(spec, rawArgs);
  checkPositionals(spec, positionals);
  const flags: Record<string, unknown> = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    let given = texts.get(name) ?? [];
    let place = flagPlace(spec.command, name);
    if (given.length === 0 && spec.envPrefix !== undefined) {
      const variable = envVarOf(spec.envPrefix, name, flag);
      const value = env[variable];
      if (value !== undefined && value !== '') {
        place = `cli/${spec.command}/${variable}`;
        // ICELEAK_NO_STORE=1 means --no-store: the variable names the switched-off form.
        given = [onByDefault(flag) ? String(!parseBoolean(value, place)) : value];
      }
    }
    flags[name] = flag.read(given, place);
  }
  return { flags: flags as FlagValues<F>, positionals };
}

/** The flag table (and positionals) as citty's args, so `--help` shows exactly what is parsed. */
export function cittyArgs(spec: CommandLineSpec<FlagTable>): ArgsDef {
  const args: ArgsDef = {};
  if (spec.positionals) {
    const { name, description, required } = spec.positionals;
    args[name] = { type: 'positional', description, required: required === true };
  }
  for (const [name, flag] of Object.entries(spec.flags)) {
    const env = spec.envPrefix === undefined ? '' : envVarOf(spec.envPrefix, name, flag);
    const envNote =
      env === ''
        ? ''
        : flag.kind === 'list'
          ? ` (${env}, comma-separated)`
          : onByDefault(flag)
            ? ` (${env}=1)`
            : ` (${env})`;
    const description = flag.description + envNote;
    if (flag.kind === 'switch') {
      args[name] = { type: 'boolean', description, ...(onByDefault(flag) ? { default: true } : {}) };
    } else {
      args[name] = {
        type: 'string',
        description,
        ...(flag.valueHint === undefined ? {} : { valueHint: flag.valueHint }),
        ...(flag.defaultText === undefined ? {} : { default: flag.defaultText }),
      };
    }
  }
  return args;
}

/**
 * A command as data: its description, flag table and positionals, and a `run` that gets
 * the parsed values. Adding a flag is one row in the table; parsing, `--help`, the
 * environment variable (with `envPrefix`) and the error for a bad value follow from it.
 */
export function defineCliCommand<F extends FlagTable>(
  spec: CommandLineSpec<F> & {
    readonly description: string;
    run(line: CommandLine<F>): void | Promise<void>;
  },
): CommandDef {
  return defineCommand({
    meta: { name: spec.command.split('/').at(-1), description: spec.description },
    args: cittyArgs(spec),
    run: ({ rawArgs }) => spec.run(parseCommandLine(spec, rawArgs)),
  });
}

// ─── Signals ──────────────────────────────────────────────────────────────────────────

/**
 * An AbortSignal fired by the first SIGINT/SIGTERM (after `onInterrupt`); a second one
 * exits at once with 130 — 'exit' hooks still remove labs, browsers and temp dirs.
 * `release()` removes the handlers.
 */
export function interruptOnSignal(onInterrupt?: () => void): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    onInterrupt?.();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * Runs a server until SIGINT/SIGTERM: `start` it, announce it with `ready`, and on the signal
 * close it gracefully. The handlers go in before `start`, so a signal sent the moment `ready`
 * printed (or while starting) is never Node's default "terminate now" — a supervisor that
 * stops us as soon as we say we listen still gets a clean shutdown.
 */
export async function serveUntilSignal<S extends { close(): Promise<void> }>(
  start: () => Promise<S>,
  ready: (server: S) => void,
): Promise<void> {
  const interrupt = interruptOnSignal();
  try {
    const server = await start();
    try {
      ready(server);
      if (!interrupt.signal.aborted) {
        await new Promise((resolve) => interrupt.signal.addEventListener('abort', resolve, { once: true }));
      }
    } finally {
      await server.close();
    }
  } finally {
    interrupt.release();
  }
}
