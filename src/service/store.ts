import Database from 'better-sqlite3';
import { IceleakError } from '../core/errors.js';
import type { StoredResult } from '../core/verdict/result.js';

/**
 * Schema migrations, applied in order and recorded in `schema_migrations`. Never edit a
 * shipped entry: append a new one, so a database written by any release can be upgraded.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; description: string; sql: string }> = [
  {
    version: 1,
    description: 'results table with expiry index',
    sql: `CREATE TABLE results (
            id TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            verdict TEXT NOT NULL,
            json TEXT NOT NULL
          );
          CREATE INDEX results_expires_at ON results (expires_at);`,
  },
];

/** Where results live: a SQLite file (WAL), or memory for `--no-store`. */
export interface LeakTestResultStoreOptions {
  /** File path, or `:memory:` (nothing written to disk). */
  path: string;
  /** How long a result is kept (default 24 h); older ones are purged. */
  retentionMs: number;
  now?: () => number;
}

/** Stored leak-test results with retention; the service's only persistent state. */
export class LeakTestResultStore {
  readonly #db: Database.Database;
  readonly #retentionMs: number;
  readonly #now: () => number;
  readonly #insert: Database.Statement<[string, number, number, string, string]>;
  readonly #get: Database.Statement<[string, number], { json: string }>;
  readonly #purge: Database.Statement<[number]>;
  readonly #count: Database.Statement<[], { n: number }>;

  constructor(options: LeakTestResultStoreOptions) {
    this.#retentionMs = options.retentionMs;
    this.#now = options.now ?? Date.now;
    try {
      this.#db = new Database(options.path);
    } catch (error) {
      throw new IceleakError(
        'E_STORE_OPEN',
        'service/store',
        `cannot open ${options.path}: ${error instanceof Error ? error.message : String(error)}`,
        {},
        { cause: error },
      );
    }
    // WAL: readers (GET /api/results) never wait for the writer (POST report).
    if (options.path !== ':memory:') this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 2000');
    migrate(this.#db);
    this.#insert = this.#db.prepare(
      'INSERT INTO results (id, created_at, expires_at, verdict, json) VALUES (?, ?, ?, ?, ?)',
    );
    this.#get = this.#db.prepare('SELECT json FROM results WHERE id = ? AND expires_at > ?');
    this.#purge = this.#db.prepare('DELETE FROM results WHERE expires_at <= ?');
    this.#count = this.#db.prepare('SELECT count(*) AS n FROM results');
  }

  /** The schema version the database is at after migrations. */
  get schemaVersion(): number {
    return schemaVersionOf(this.#db);
  }

  /** Stores one result; its expiry is now + retention. */
  put(result: StoredResult): void {
    const now = this.#now();
    this.#insert.run(result.id, now, now + this.#retentionMs, result.verdict, JSON.stringify(result));
  }

  /** The result, or undefined when unknown or expired. */
  get(id: string): StoredResult | undefined {
    const row = this.#get.get(id, this.#now());
    return row ? (JSON.parse(row.json) as StoredResult) : undefined;
  }

  /** Deletes expired results; returns how many. */
  purgeExpired(): number {
    return this.#purge.run(this.#now()).changes;
  }

  /** Rows currently in the table (expired ones included until purged). */
  count(): number {
    return this.#count.get()?.n ?? 0;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

function schemaVersionOf(db: Database.Database): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

/** Applies every migration newer than the database, each in its own transaction. */
export function migrate(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY,
             description TEXT NOT NULL,
             applied_at INTEGER NOT NULL
           )`);
  const current = schemaVersionOf(db);
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new IceleakError(
      'E_STORE_SCHEMA',
      'service/store',
      `database schema ${current} is newer than this iceleak (${latest}); upgrade iceleak or use another --db`,
    );
  }
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)',
  );
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.description, Date.now());
    })();
  }
}
