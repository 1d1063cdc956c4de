import Database from 'better-sqlite3';
import { IceleakError } from '../core/errors.js';
import type { SiteResult } from './site-result.js';

/** SQLite store of site results, for large runs and `--resume`. One row per URL. */
export class SiteResultStore {
  readonly #db: Database.Database;
  readonly #put: Database.Statement;

  constructor(path: string) {
    try {
      this.#db = new Database(path);
    } catch (error) {
      throw new IceleakError(
        'E_SCAN_DB',
        'scan/store',
        `cannot open ${path}: ${error instanceof Error ? error.message : String(error)}`,
        {},
        { cause: error },
      );
    }
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS site (
        url TEXT PRIMARY KEY, status TEXT NOT NULL, harvesting INTEGER NOT NULL,
        finished_at INTEGER NOT NULL, result TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS script_finding (
        url TEXT NOT NULL, script TEXT NOT NULL, classifications TEXT NOT NULL, harvesting INTEGER NOT NULL,
        PRIMARY KEY (url, script));
      CREATE INDEX IF NOT EXISTS script_finding_script ON script_finding(script);`);
    this.#put = this.#db.prepare(
      'INSERT OR REPLACE INTO site (url, status, harvesting, finished_at, result) VALUES (?, ?, ?, ?, ?)',
    );
  }

  /** Stores one result (replacing an earlier one for the same URL). */
  put(result: SiteResult): void {
    const findings = this.#db.prepare(
      'INSERT OR REPLACE INTO script_finding (url, script, classifications, harvesting) VALUES (?, ?, ?, ?)',
    );
    this.#db.transaction(() => {
      this.#put.run(
        result.url,
        result.status,
        result.harvesting ? 1 : 0,
        result.finishedAt,
        JSON.stringify(result),
      );
      this.#db.prepare('DELETE FROM script_finding WHERE url = ?').run(result.url);
      for (const f of result.scripts)
        findings.run(result.url, f.script, f.classifications.join(','), f.harvesting ? 1 : 0);
    })();
  }

  /** URLs already scanned successfully (what `--resume` skips). */
  doneUrls(): Set<string> {
    const rows = this.#db.prepare("SELECT url FROM site WHERE status = 'ok'").all() as Array<{ url: string }>;
    return new Set(rows.map((r) => r.url));
  }

  /** Every stored result. */
  all(): SiteResult[] {
    const rows = this.#db.prepare('SELECT result FROM site ORDER BY finished_at').all() as Array<{
      result: string;
    }>;
    return rows.map((r) => JSON.parse(r.result) as SiteResult);
  }

  close(): void {
    this.#db.close();
  }
}
