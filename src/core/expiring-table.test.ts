import { describe, expect, it } from 'vitest';
import { ExpiringTable } from './expiring-table.js';

interface Row {
  readonly name: string;
  readonly expiresAt: number;
}
const row = (name: string, expiresAt: number): Row => ({ name, expiresAt });

describe('ExpiringTable', () => {
  it('returns an entry until the instant it expires, and keeps it (invisible) until swept', () => {
    const table = new ExpiringTable<string, Row>(4);
    table.set('a', row('a', 100));
    expect(table.get('a', 99)?.name).toBe('a');
    expect(table.get('a', 100)).toBeUndefined();
    expect(table.peek('a')?.name).toBe('a');
    expect(table.size).toBe(1);
    expect(table.get('missing', 0)).toBeUndefined();
  });

  it('never holds more than its capacity: the oldest entry makes room and is returned', () => {
    const table = new ExpiringTable<string, Row>(3);
    expect(table.set('a', row('a', 1000))).toBeUndefined();
    table.set('b', row('b', 1000));
    table.set('c', row('c', 1000));
    expect(table.set('d', row('d', 1000))?.name).toBe('a');
    expect(table.set('e', row('e', 1000))?.name).toBe('b');
    expect(table.size).toBe(3);
    expect(['a', 'b', 'c', 'd', 'e'].filter((k) => table.get(k, 0) !== undefined)).toEqual(['c', 'd', 'e']);
    for (let i = 0; i < 100; i++) table.set(`x${i}`, row(`x${i}`, 1000));
    expect(table.size).toBe(3);
  });

  it('evicts in insertion order, a replaced key counting as newly inserted', () => {
    const table = new ExpiringTable<string, Row>(2);
    table.set('a', row('a1', 1000));
    table.set('b', row('b', 1000));
    // Replacing 'a' neither grows the table nor evicts anything, and makes 'a' the newest.
    expect(table.set('a', row('a2', 1000))).toBeUndefined();
    expect(table.size).toBe(2);
    expect(table.set('c', row('c', 1000))?.name).toBe('b');
    expect(table.get('a', 0)?.name).toBe('a2');
  });

  it('sweeps exactly the entries expired at now, oldest first, and deletes on request', () => {
    const table = new ExpiringTable<string, Row>(10);
    table.set('late', row('late', 50));
    table.set('early', row('early', 5));
    table.set('now', row('now', 10));
    table.set('kept', row('kept', 11));
    expect(table.sweep(10).map((r) => r.name)).toEqual(['early', 'now']);
    expect(table.size).toBe(2);
    expect(table.delete('kept')).toBe(true);
    expect(table.delete('kept')).toBe(false);
    expect(table.sweep(1000).map((r) => r.name)).toEqual(['late']);
    expect(table.size).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses capacity %s', (capacity) => {
    expect(() => new ExpiringTable<string, Row>(capacity)).toThrow(
      expect.objectContaining({ code: 'E_TABLE_CAPACITY', place: 'core/expiring-table' }),
    );
  });
});
