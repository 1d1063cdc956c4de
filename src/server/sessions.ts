import { IceleakError } from '../core/errors.js';
import { ExpiringTable } from '../core/expiring-table.js';
import { shortTermKey } from '../core/stun/index.js';

/** ICE credentials the service hands out for one page session (RFC 8445 §5.3, RFC 8839 §5.4). */
export interface IceSession {
  readonly sessionId: string;
  /** Our `ice-ufrag`: the first half of USERNAME in the browser's checks. */
  readonly ufrag: string;
  /** Our `ice-pwd`: the short-term key of MESSAGE-INTEGRITY. */
  readonly pwd: string;
  /** How long the credentials stay valid; the table's default when absent. */
  readonly ttlMs?: number;
}

/** What a lookup returns: the session and its precomputed key. */
export interface SessionEntry {
  readonly sessionId: string;
  readonly key: Uint8Array;
  readonly expiresAt: number;
}

/** Defaults: a leak test lasts seconds; ten minutes leaves room for slow pages and retries. */
export const DEFAULT_SESSION_TTL_MS = 10 * 60_000;
/** Default bound on the table; at roughly 200 bytes an entry, about 2 MB. */
export const DEFAULT_MAX_SESSIONS = 10_000;

// RFC 8839 §5.4: ice-ufrag = 4*256ice-char, ice-pwd = 22*256ice-char, ice-char = ALPHA / DIGIT / "+" / "/".
const UFRAG = /^[A-Za-z0-9+/]{4,256}$/;
const PWD = /^[A-Za-z0-9+/]{22,256}$/;

/**
 * Our ICE credentials by ufrag, with expiry and a hard size limit. Only the service adds
 * entries; packets only read, so nothing a peer sends can grow it.
 */
export class SessionTable {
  readonly #table: ExpiringTable<string, SessionEntry>;
  readonly #defaultTtlMs: number;

  constructor(options: { maxSessions?: number; defaultTtlMs?: number } = {}) {
    const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
    this.#defaultTtlMs = options.defaultTtlMs ?? DEFAULT_SESSION_TTL_MS;
    if (!Number.isInteger(maxSessions) || maxSessions < 1) {
      throw new IceleakError(
        'E_SESSION_OPTIONS',
        'server/sessions',
        `maxSessions ${maxSessions} must be a positive integer`,
      );
    }
    this.#table = new ExpiringTable(maxSessions);
  }

  /** Number of entries, expired ones included until swept. */
  get size(): number {
    return this.#table.size;
  }

  /**
   * Adds or replaces the credentials for `session.ufrag`. When the table is full, expired
   * entries go first, then the oldest registration: a flood of sessions degrades
   * attribution of the oldest pages rather than memory.
   */
  register(session: IceSession, now: number = Date.now()): void {
    const place = 'server/sessions';
    if (!UFRAG.test(session.ufrag)) {
      throw new IceleakError(
        'E_SESSION_BAD_CREDENTIALS',
        place,
        'ufrag must be 4-256 ice-chars (RFC 8839 §5.4)',
      );
    }
    if (!PWD.test(session.pwd)) {
      throw new IceleakError(
        'E_SESSION_BAD_CREDENTIALS',
        place,
        'pwd must be 22-256 ice-chars (RFC 8839 §5.4)',
      );
    }
    if (session.sessionId.length === 0 || session.sessionId.length > 256) {
      throw new IceleakError('E_SESSION_BAD_CREDENTIALS', place, 'sessionId must be 1-256 characters');
    }
    const ttlMs = session.ttlMs ?? this.#defaultTtlMs;
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw new IceleakError('E_SESSION_BAD_CREDENTIALS', place, `ttlMs ${ttlMs} must be a positive number`);
    }
    this.#table.delete(session.ufrag);
    // Entries carry their own TTLs, so the oldest need not be the expired one: sweep first,
    // so that a live entry is evicted only when none has expired.
    if (this.#table.size >= this.#table.capacity) this.#table.sweep(now);
    this.#table.set(session.ufrag, {
      sessionId: session.sessionId,
      key: shortTermKey(session.pwd),
      expiresAt: now + ttlMs,
    });
  }

  /** Removes the credentials for `ufrag`; true when there were some. */
  unregister(ufrag: string): boolean {
    return this.#table.delete(ufrag);
  }

  /** The live entry for `ufrag`, or undefined; an expired entry is removed on sight. */
  lookup(ufrag: string, now: number = Date.now()): SessionEntry | undefined {
    const entry = this.#table.get(ufrag, now);
    if (entry === undefined) this.#table.delete(ufrag);
    return entry;
  }

  /** Drops every expired entry; returns how many went. */
  sweep(now: number = Date.now()): number {
    return this.#table.sweep(now).length;
  }
}
