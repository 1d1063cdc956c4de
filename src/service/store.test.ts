import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { isIceleakError } from '../core/errors.js';
import { RESULT_SCHEMA_VERSION, type StoredResult } from '../core/verdict/result.js';
import { LeakTestResultStore, MIGRATIONS, migrate } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iceleak-store-'));
  dirs.push(dir);
  return join(dir, 'results.sqlite');
}

function result(id: string): StoredResult {
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    id,
    createdAt: new Date(0).toISOString(),
    verdict: 'protected',
    findings: [],
    browser: { family: 'chromium', userAgent: 'test' },
    http: { addresses: [{ address: '198.51.100.7', family: 'IPv4' }] },
    client: null,
    server: { stun: [], iceChecks: [], waitedMs: 0 },
  };
}

describe('LeakTestResultStore', () => {
  it('applies every migration once to a new file, in WAL mode, and again finds nothing to do on reopen', () => {
    const path = tempDb();
    const first = new LeakTestResultStore({ path, retentionMs: 1000 });
    expect(first.schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
    first.put(result('a'.repeat(22)));
    first.close();

    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const applied = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    migrate(db); // idempotent
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
    db.close();

    const second = new LeakTestResultStore({ path, retentionMs: 1000 });
    expect(second.get('a'.repeat(22))?.verdict).toBe('protected');
    second.close();
  });

  it('refuses a database written by a newer iceleak instead of corrupting it', () => {
    const path = tempDb();
    const db = new Database(path);
    migrate(db);
    db.prepare('INSERT INTO schema_migrations (version, description, applied_at) VALUES (999, ?, 0)').run(
      'future',
    );
    db.close();
    let caught: unknown;
    try {
      new LeakTestResultStore({ path, retentionMs: 1000 });
    } catch (error) {
      caught = error;
    }
    expect(isIceleakError(caught, 'E_STORE_SCHEMA')).toBe(true);
  });

  it('hides results past retention and purges them', () => {
    let now = 1_000_000;
    const store = new LeakTestResultStore({ path: ':memory:', retentionMs: 60_000, now: () => now });
    store.put(result('old'.padEnd(22, 'x')));
    now += 30_000;
    store.put(result('new'.padEnd(22, 'x')));
    now += 31_000; // the first is 61 s old, the second 31 s
    expect(store.get('old'.padEnd(22, 'x'))).toBeUndefined();
    expect(store.get('new'.padEnd(22, 'x'))?.id).toBe('new'.padEnd(22, 'x'));
    expect(store.count()).toBe(2);
    expect(store.purgeExpired()).toBe(1);
    expect(store.count()).toBe(1);
    store.close();
  });

  it('keeps the JSON exactly as stored, hostile strings included', () => {
    const store = new LeakTestResultStore({ path: ':memory:', retentionMs: 60_000 });
    const hostile = {
      ...result('h'.repeat(22)),
      browser: {
        family: 'other' as const,
        userAgent: "<script>alert('x')</script>\u0000'; DROP TABLE results;--",
      },
    };
    store.put(hostile);
    expect(store.get('h'.repeat(22))).toEqual(hostile);
    store.close();
  });

  it('reports an unopenable path with a stable code', () => {
    let caught: unknown;
    try {
      new LeakTestResultStore({ path: '/nonexistent-dir/for/sure/x.sqlite', retentionMs: 1 });
    } catch (error) {
      caught = error;
    }
    expect(isIceleakError(caught, 'E_STORE_OPEN')).toBe(true);
  });
});
