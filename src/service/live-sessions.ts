import { isIP } from 'node:net';
import { ExpiringTable } from '../core/expiring-table.js';
import type { IceCheckObservation } from '../core/observation.js';
import type { HttpSeenAddress } from '../core/verdict/types.js';

/** One page's leak test while it runs: credentials, what HTTP and the observer saw, and whether it reported. */
export interface LiveSession {
  readonly id: string;
  readonly ufrag: string;
  readonly pwd: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly http: Map<string, HttpSeenAddress>;
  readonly iceChecks: IceCheckObservation[];
  /** Set once a report was accepted: a session reports once (no replay). */
  resultId: string | null;
  reporting: boolean;
}

/** Bounds: a hostile client can create sessions only as fast as the rate limit lets it. */
const MAX_CHECKS_PER_SESSION = 256;
const MAX_HTTP_PER_SESSION = 8;

/** Strips an IPv4-mapped IPv6 prefix (dual-stack sockets report `::ffff:192.0.2.1`). */
export function httpSeenAddress(ip: string): HttpSeenAddress | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped?.[1] ?? ip;
  const family = isIP(address);
  if (family === 4) return { address, family: 'IPv4' };
  if (family === 6) return { address: address.toLowerCase(), family: 'IPv6' };
  return null;
}

/**
 * The sessions in flight, by id. ICE checks the observer attributes to a session are
 * appended here; a report request can wait for them (never longer than its bound).
 */
export class LiveSessions {
  readonly #sessions: ExpiringTable<string, LiveSession>;
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { ttlMs: number; max: number; now?: () => number }) {
    this.#sessions = new ExpiringTable(options.max);
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Adds a session; when full, the oldest is evicted (and returned so its credentials can be dropped). */
  create(id: string, ufrag: string, pwd: string): { session: LiveSession; evicted: LiveSession | null } {
    const now = this.#now();
    const session: LiveSession = {
      id,
      ufrag,
      pwd,
      createdAt: now,
      expiresAt: now + this.#ttlMs,
      http: new Map(),
      iceChecks: [],
      resultId: null,
      reporting: false,
    };
    const evicted = this.#sessions.set(id, session) ?? null;
    return { session, evicted };
  }

  /** The live (unexpired) session, if any. */
  get(id: string): LiveSession | undefined {
    return this.#sessions.get(id, this.#now());
  }

  /** Records the source address of one of the session's HTTP requests. */
  recordHttp(session: LiveSession, ip: string): void {
    const seen = httpSeenAddress(ip);
    if (!seen || session.http.has(seen.address) || session.http.size >= MAX_HTTP_PER_SESSION) return;
    session.http.set(seen.address, seen);
  }

  /** Appends an attributed ICE check and wakes whoever waits on that session. */
  addCheck(check: IceCheckObservation): void {
    if (check.sessionId === null) return;
    // Until swept: a report already waiting on a session that just expired still gets woken.
    const session = this.#sessions.peek(check.sessionId);
    if (!session || session.iceChecks.length >= MAX_CHECKS_PER_SESSION) return;
    session.iceChecks.push(check);
    for (const wake of this.#waiters.get(session.id) ?? []) wake();
  }

  /**
   * Resolves when `ready(session)` holds or after `timeoutMs`, whichever is first; returns
   * the milliseconds waited. Event-driven: it re-checks only when a check arrives.
   */
  waitFor(session: LiveSession, ready: (s: LiveSession) => boolean, timeoutMs: number): Promise<number> {
    const start = this.#now();
    if (ready(session) || timeoutMs <= 0) return Promise.resolve(0);
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(session.id) ?? new Set<() => void>();
      this.#waiters.set(session.id, waiters);
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0) this.#waiters.delete(session.id);
        resolve(this.#now() - start);
      };
      const wake = () => {
        if (ready(session)) finish();
      };
      const timer = setTimeout(finish, timeoutMs);
      waiters.add(wake);
    });
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }

  /** Drops expired sessions; returns them so their ICE credentials can be unregistered. */
  sweep(): LiveSession[] {
    return this.#sessions.sweep(this.#now());
  }
}
