import type { ProbeReport } from '../core/verdict/report.js';
import type { StoredResult } from '../core/verdict/result.js';
import { api, type SessionInfo } from './api.js';
import { rtcAvailability, settleAvailability } from './availability.js';
import { type Gathering, startGathering } from './gather.js';

/** What the service answers to a report. */
export interface ReportAccepted {
  readonly id: string;
  readonly url: string;
  readonly verdict: string;
  readonly result: StoredResult;
}

/** Fallback when the service does not say: the 2 s hard cap of docs/serve.md (How a test runs, step 4). */
const DEFAULT_CAP_MS = 2000;

/** Camera/microphone permission changes what browsers expose (Chromium drops mDNS for host candidates). */
async function requestMedia(): Promise<MediaStream | null> {
  for (const constraints of [{ audio: true, video: true }, { audio: true }, { video: true }]) {
    try {
      return await navigator.mediaDevices.getUserMedia(constraints);
    } catch {}
  }
  return null;
}

/**
 * Runs the whole leak test: starts a session, gathers on every connection in parallel
 * (host only, each STUN address, ICE-lite offer/answer), fetches the IPv4/IPv6-only
 * origins, and submits the report. Finishes when gathering completed everywhere — the
 * service then confirms the ICE checks it saw — or at the session's cap.
 */
export async function runProbe(options: { media: boolean }): Promise<ReportAccepted> {
  const started = performance.now();
  const stream = options.media ? await requestMedia() : null;
  const gatheringStarted = performance.now(); // after any permission prompt
  const availability = rtcAvailability();
  const session = await api<SessionInfo>('POST', '/api/sessions', {});
  // The cap counts from the probe's start (session round trip included), not from the session.
  const capAt =
    gatheringStarted + (session.probeCapMs > 0 ? Math.min(session.probeCapMs, 10_000) : DEFAULT_CAP_MS);
  const base = `/api/sessions/${encodeURIComponent(session.sessionId)}`;

  const seen = Promise.all(
    session.seenUrls.map(async (url) => {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), Math.max(0, capAt - performance.now()));
      try {
        await fetch(url, { mode: 'cors', credentials: 'omit', cache: 'no-store', signal: abort.signal });
      } catch {
        // An IPv6-only origin is unreachable from an IPv4-only network: that is an answer too.
      } finally {
        clearTimeout(timer);
      }
    }),
  );

  const gatherings: Gathering[] = [];
  if (availability !== 'absent') {
    gatherings.push(startGathering('host-only', [], capAt));
    const [v4] = session.stun.ipv4;
    const [v6] = session.stun.ipv6;
    if (v4) gatherings.push(startGathering('stun-ipv4', [{ urls: v4 }], capAt));
    if (v6) gatherings.push(startGathering('stun-ipv6', [{ urls: v6 }], capAt));
    // One ICE-lite connection per family: a browser stops checking once one pair works, so a
    // single answer naming IPv4 and IPv6 endpoints may never show us the other family's checks.
    const families = [...(v4 ? ['IPv4'] : []), ...(v6 ? ['IPv6'] : [])];
    for (const family of families.length > 0 ? families : [undefined]) {
      gatherings.push(
        startGathering('ice-lite', [], capAt, async (sdp) => {
          const answer = await api<{ sdp: string }>(
            'POST',
            `${base}/offer`,
            family ? { sdp, family } : { sdp },
          );
          return answer.sdp;
        }),
      );
    }
  }
  try {
    const connections = await Promise.all(gatherings.map((g) => g.result));
    await seen;
    const report: ProbeReport = {
      version: 1,
      userAgent: navigator.userAgent.slice(0, 512),
      rtcPeerConnection: settleAvailability(availability, connections),
      mediaPermission: stream !== null,
      connections,
      durationMs: Math.round(performance.now() - started),
    };
    // The connections stay open until the service has answered: it may still be waiting for their checks.
    return await api<ReportAccepted>('POST', `${base}/report`, report);
  } finally {
    for (const g of gatherings) g.close();
    for (const track of stream?.getTracks() ?? []) track.stop();
  }
}
