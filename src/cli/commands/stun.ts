import { IceleakError } from '../../core/errors.js';
import { startStunObserver } from '../../server/index.js';
import { defineCliCommand, listFlag, parseListen, serveUntilSignal, stringFlag } from '../options.js';

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

/** Parses `SESSIONID:UFRAG:PWD` (ufrag and pwd are ice-chars, so never contain ':'). */
export function parseSession(
  text: string,
  place = 'cli/stun/--session',
): { sessionId: string; ufrag: string; pwd: string } {
  const parts = text.split(':');
  if (parts.length < 3) {
    throw new IceleakError('E_USAGE', place, `${JSON.stringify(text)}: expected SESSIONID:UFRAG:PWD`);
  }
  const pwd = parts.pop()!;
  const ufrag = parts.pop()!;
  return { sessionId: parts.join(':'), ufrag, pwd };
}

export default defineCliCommand({
  command: 'stun',
  description: 'Run the STUN Binding server and ICE-lite observer; print one JSON line per observation.',
  flags: {
    listen: listFlag(parseListen, 'ADDR:PORT to serve on, UDP and TCP; repeatable; [::1]:3478 for IPv6', {
      valueHint: 'ADDR:PORT',
      default: '0.0.0.0:3478',
    }),
    software: stringFlag('SOFTWARE attribute to put in responses (default: none)'),
    session: listFlag(parseSession, 'register ICE credentials SESSIONID:UFRAG:PWD (repeatable)', {
      valueHint: 'ID:UFRAG:PWD',
    }),
  },
  async run({ flags }) {
    const { listen, software, session: sessions } = flags;
    const write = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
    await serveUntilSignal(
      async () => {
        const observer = await startStunObserver(software === undefined ? { listen } : { listen, software });
        try {
          for (const s of sessions) observer.registerSession({ ...s, ttlMs: Number.MAX_SAFE_INTEGER / 2 });
        } catch (error) {
          await observer.close();
          throw error;
        }
        return observer;
      },
      (observer) => {
        observer.onObservation((o) => write({ event: 'observation', ...o }));
        write({ event: 'listening', endpoints: observer.endpoints });
      },
    );
  },
});
