import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProbeReport } from '../core/verdict/report.js';
import { startService } from './service.js';
import { LeakTestResultStore } from './store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// A report whose srflx candidate makes the service wait for an IPv4 ICE check that never comes.
const report: ProbeReport = {
  version: 1,
  userAgent: 'test',
  rtcPeerConnection: 'present',
  mediaPermission: false,
  durationMs: 100,
  connections: [
    {
      label: 'stun-ipv4',
      candidates: ['candidate:2 1 udp 1677729535 203.0.113.5 40000 typ srflx raddr 0.0.0.0 rport 0'],
      sdp: null,
      stats: [],
      gatheringComplete: true,
      durationMs: 50,
    },
  ],
};

describe('startService', () => {
  it('serves on loopback and, when closed mid-report, finishes and stores that report before stopping', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iceleak-service-'));
    dirs.push(dir);
    const db = join(dir, 'results.sqlite');
    const service = await startService({
      port: 0,
      stunListen: [{ address: '127.0.0.1', port: 0 }],
      db,
      logger: pino({ level: 'silent' }),
      iceWaitMs: 800,
    });
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(service.stunEndpoints.map((e) => e.transport).sort()).toEqual(['tcp', 'udp']);
    const page = await fetch(service.url);
    expect(page.status).toBe(200);
    const session = (await (
      await fetch(`${service.url}api/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
    ).json()) as { sessionId: string };
    const pending = fetch(`${service.url}api/sessions/${session.sessionId}/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(report),
    });
    await new Promise((r) => setTimeout(r, 150)); // the report is now waiting for its ICE check
    const closed = service.close();
    const response = await pending;
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await closed;
    const store = new LeakTestResultStore({ path: db, retentionMs: 60_000 });
    expect(store.get(id)?.server.waitedMs).toBeGreaterThanOrEqual(500);
    store.close();
    await expect(fetch(service.url)).rejects.toThrow();
  });
});
