import { describe, expect, it } from 'vitest';
import type { IceCheckObservation } from '../core/observation.js';
import { httpSeenAddress, LiveSessions } from './live-sessions.js';

function check(sessionId: string | null): IceCheckObservation {
  return {
    kind: 'ice-check',
    transport: 'udp',
    source: { address: '203.0.113.5', port: 40000, family: 'IPv4' },
    local: { address: '192.0.2.1', port: 3478, family: 'IPv4' },
    time: Date.now(),
    transactionId: '00'.repeat(12),
    sessionId,
    localUfrag: 'abcd',
    remoteUfrag: 'efgh',
    useCandidate: false,
    priority: 1,
    role: 'controlling',
  };
}

describe('LiveSessions', () => {
  it('wakes a waiting report as soon as the first check arrives, not at the timeout', async () => {
    const sessions = new LiveSessions({ ttlMs: 60_000, max: 10 });
    const { session } = sessions.create('s1', 'abcd', 'p'.repeat(22));
    const started = Date.now();
    const waited = sessions.waitFor(session, (s) => s.iceChecks.length > 0, 5000);
    setTimeout(() => sessions.addCheck(check('s1')), 20);
    await waited;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(session.iceChecks).toHaveLength(1);
  });

  it('gives up at the bound when no check comes, and ignores checks of other sessions', async () => {
    const sessions = new LiveSessions({ ttlMs: 60_000, max: 10 });
    const { session } = sessions.create('s1', 'abcd', 'p'.repeat(22));
    sessions.create('s2', 'wxyz', 'q'.repeat(22));
    const waiting = sessions.waitFor(session, (s) => s.iceChecks.length > 0, 50);
    sessions.addCheck(check('s2'));
    sessions.addCheck(check(null));
    expect(await waiting).toBeGreaterThanOrEqual(45);
    expect(session.iceChecks).toHaveLength(0);
  });

  it('evicts the oldest session when full and expires sessions after their ttl', () => {
    let now = 0;
    const sessions = new LiveSessions({ ttlMs: 1000, max: 2, now: () => now });
    sessions.create('a', 'ua00', 'p'.repeat(22));
    sessions.create('b', 'ub00', 'p'.repeat(22));
    const { evicted } = sessions.create('c', 'uc00', 'p'.repeat(22));
    expect(evicted?.id).toBe('a');
    now = 1000;
    expect(sessions.get('b')).toBeUndefined();
    expect(sessions.sweep().map((s) => s.id)).toEqual(['b', 'c']);
  });

  it('records HTTP-seen addresses once each, unwrapping IPv4-mapped IPv6', () => {
    const sessions = new LiveSessions({ ttlMs: 1000, max: 2 });
    const { session } = sessions.create('a', 'ua00', 'p'.repeat(22));
    sessions.recordHttp(session, '::ffff:198.51.100.7');
    sessions.recordHttp(session, '198.51.100.7');
    sessions.recordHttp(session, '2001:DB8::7');
    expect([...session.http.values()]).toEqual([
      { address: '198.51.100.7', family: 'IPv4' },
      { address: '2001:db8::7', family: 'IPv6' },
    ]);
    expect(httpSeenAddress('not-an-ip')).toBeNull();
  });
});
