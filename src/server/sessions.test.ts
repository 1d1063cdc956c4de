import { describe, expect, it } from 'vitest';
import { SessionTable } from './sessions.js';

const PWD = 'abcdefghijklmnopqrstuv';

describe('SessionTable', () => {
  it('finds a session until it expires, then forgets it', () => {
    const table = new SessionTable();
    table.register({ sessionId: 's', ufrag: 'abcd', pwd: PWD, ttlMs: 1000 }, 0);
    expect(table.lookup('abcd', 999)?.sessionId).toBe('s');
    expect(table.lookup('abcd', 1000)).toBeUndefined();
    expect(table.size).toBe(0);
  });

  it('never holds more than maxSessions, evicting expired entries then the oldest', () => {
    const table = new SessionTable({ maxSessions: 3 });
    table.register({ sessionId: 'a', ufrag: 'aaaa', pwd: PWD, ttlMs: 10 }, 0);
    table.register({ sessionId: 'b', ufrag: 'bbbb', pwd: PWD, ttlMs: 1000 }, 0);
    table.register({ sessionId: 'c', ufrag: 'cccc', pwd: PWD, ttlMs: 1000 }, 0);
    table.register({ sessionId: 'd', ufrag: 'dddd', pwd: PWD, ttlMs: 1000 }, 20);
    expect(table.lookup('aaaa', 20)).toBeUndefined();
    expect(table.lookup('bbbb', 20)?.sessionId).toBe('b');
    for (let i = 0; i < 100; i++) table.register({ sessionId: `x${i}`, ufrag: `x${i}xx`, pwd: PWD }, 30);
    expect(table.size).toBe(3);
    expect(table.lookup('x99xx', 30)?.sessionId).toBe('x99');
    expect(table.lookup('bbbb', 30)).toBeUndefined();
  });

  it('unregisters and sweeps', () => {
    const table = new SessionTable();
    table.register({ sessionId: 'a', ufrag: 'aaaa', pwd: PWD, ttlMs: 5 }, 0);
    table.register({ sessionId: 'b', ufrag: 'bbbb', pwd: PWD, ttlMs: 50 }, 0);
    expect(table.unregister('bbbb')).toBe(true);
    expect(table.sweep(10)).toBe(1);
    expect(table.size).toBe(0);
  });

  it.each([
    [{ sessionId: 's', ufrag: 'abc', pwd: PWD }],
    [{ sessionId: 's', ufrag: 'ab:cd', pwd: PWD }],
    [{ sessionId: 's', ufrag: 'abcd', pwd: 'short' }],
    [{ sessionId: '', ufrag: 'abcd', pwd: PWD }],
    [{ sessionId: 's', ufrag: 'abcd', pwd: PWD, ttlMs: 0 }],
  ])('refuses credentials outside RFC 8839 §5.4: %j', (session) => {
    expect(() => new SessionTable().register(session)).toThrow(
      expect.objectContaining({ code: 'E_SESSION_BAD_CREDENTIALS' }),
    );
  });
});
