import { IceleakError } from './errors.js';

/** A value that knows when it stops being valid (milliseconds, same clock as `now`). */
export interface Expiring {
  readonly expiresAt: number;
}

/**
 * A table with a hard size limit whose entries expire: what the STUN observer keeps its
 * ICE credentials in (server/sessions.ts) and the service its leak tests in flight
 * (service/live-sessions.ts). Pure: the caller passes `now` and runs the sweeps (timers
 * belong to the adapters). Expired entries stay until swept or deleted, invisible to
 * {@link ExpiringTable.get}. Insertion order is eviction order: a flood of new entries
 * pushes out the oldest ones rather than growing memory.
 */
export class ExpiringTable<K, V extends Expiring> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new IceleakError(
        'E_TABLE_CAPACITY',
        'core/expiring-table',
        `capacity ${capacity} must be a positive integer`,
      );
    }
  }

  /** Number of entries, expired ones included until swept. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Adds `value` under `key` as the newest entry (an earlier value for `key` is replaced).
   * When the table is full the oldest entry makes room; it is returned, so its owner can
   * release what it holds elsewhere.
   */
  set(key: K, value: V): V | undefined {
    this.#entries.delete(key);
    let evicted: V | undefined;
    if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.entries().next().value;
      if (oldest !== undefined) {
        this.#entries.delete(oldest[0]);
        evicted = oldest[1];
      }
    }
    this.#entries.set(key, value);
    return evicted;
  }

  /** The entry for `key` while it is valid at `now`, else undefined. */
  get(key: K, now: number): V | undefined {
    const value = this.#entries.get(key);
    return value !== undefined && value.expiresAt > now ? value : undefined;
  }

  /** The entry for `key`, expired or not, until it is swept or deleted. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Removes the entry for `key`; true when there was one. */
  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  /** Removes every entry expired at `now` and returns them, oldest first. */
  sweep(now: number): V[] {
    const gone: Array<[K, V]> = [];
    for (const entry of this.#entries) if (entry[1].expiresAt <= now) gone.push(entry);
    for (const [key] of gone) this.#entries.delete(key);
    return gone.map(([, value]) => value);
  }
}
