import { isIP } from 'node:net';
import { defineCommand } from 'citty';
import { IceleakError } from '../../core/errors.js';
import { startStunObserver } from '../../server/index.js';
import { allValues } from '../repeated-flag.js';

/**
 * `iceleak stun`: the STUN Binding server and ICE-lite observer on its own.
 *
 * Output contract (stdout, one JSON object per line, nothing else on stdout; stable):
 *   1. first line: {"event":"listening","endpoints":[{"transport":"udp"|"tcp","address":"…","port":N},…]}
 *      with the real ports (so `--listen 127.0.0.1:0` is usable by a parent process);
 *   2. then one line per observation: {"event":"observation", …Observation} — the fields of
 *      `StunBindingObservation` / `IceCheckObservation` from src/core/observation.ts
 *      (`kind` is "stun-binding" or "ice-check") spread next to "event".
 * SIGINT/SIGTERM close the sockets and exit 0. Usage errors: one line on stderr, exit 2.
 */

/** Parses `IPV4:PORT`, `[IPV6]:PORT`, or an address alone (`IPV4`, `[IPV6]`) meaning port 3478. */
export function parseListen(text: string): { address: string; port: number } {
  const place = 'cli/stun/--listen';
  const bad = (why: string) => new IceleakError('E_USAGE', place, `${JSON.stringify(text)}: ${why}`);
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

/** Parses `SESSIONID:UFRAG:PWD` (ufrag and pwd are ice-chars, so never contain ':'). */
export function parseSession(text: string): { sessionId: string; ufrag: string; pwd: string } {
  const parts = text.split(':');
  if (parts.length < 3) {
    throw new IceleakError(
      'E_USAGE',
      'cli/stun/--session',
      `${JSON.stringify(text)}: expected SESSIONID:UFRAG:PWD`,
    );
  }
  const pwd = parts.pop()!;
  const ufrag = parts.pop()!;
  return { sessionId: parts.join(':'), ufrag, pwd };
}

export default defineCommand({
  meta: {
    name: 'stun',
    description: 'Run the STUN Binding server and ICE-lite observer; print one JSON line per observation.',
  },
  args: {
    listen: {
      type: 'string',
      description: 'ADDR:PORT to serve on, UDP and TCP; repeatable; [::1]:3478 for IPv6',
      valueHint: 'ADDR:PORT',
      default: '0.0.0.0:3478',
    },
    software: { type: 'string', description: 'SOFTWARE attribute to put in responses (default: none)' },
    session: {
      type: 'string',
      description: 'register ICE credentials SESSIONID:UFRAG:PWD (repeatable)',
      valueHint: 'ID:UFRAG:PWD',
    },
  },
  async run({ rawArgs, args }) {
    const listenTexts = allValues(rawArgs, 'listen', 'stun');
    const listen = (listenTexts.length > 0 ? listenTexts : ['0.0.0.0:3478']).map(parseListen);
    const sessions = allValues(rawArgs, 'session', 'stun').map(parseSession);
    const software = typeof args.software === 'string' ? args.software : undefined;
    const observer = await startStunObserver(software === undefined ? { listen } : { listen, software });
    try {
      for (const s of sessions) observer.registerSession({ ...s, ttlMs: Number.MAX_SAFE_INTEGER / 2 });
    } catch (error) {
      await observer.close();
      throw error;
    }
    const write = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
    observer.onObservation((o) => write({ event: 'observation', ...o }));
    write({ event: 'listening', endpoints: observer.endpoints });
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void observer.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
});
