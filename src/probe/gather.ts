import type { ProbeConnection, ProbeConnectionLabel, StatsCandidate } from '../core/verdict/report.js';

/** What the probe keeps per connection; mirrors the service's caps so a report is never refused for size. */
const MAX_CANDIDATES = 100;
const MAX_CANDIDATE_LENGTH = 512;
const MAX_SDP_LENGTH = 32_768;
const MAX_STATS = 100;
const MAX_STRING = 256;

/** A peer connection being gathered, and how to finish it. */
export interface Gathering {
  readonly label: ProbeConnectionLabel;
  /** Resolves once gathering completed or at `capAt`, then collects SDP and stats. */
  readonly result: Promise<ProbeConnection>;
  /** Closes the connection (after the report: closing earlier would stop the ICE checks). */
  close(): void;
}

const sleepUntil = (at: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));

function str(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, MAX_STRING) : null;
}
function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535 ? value : null;
}

/** `local-candidate` entries of getStats() (W3C webrtc-stats §7.11); Firefox still names the address `ip` in old releases. */
async function localCandidateStats(pc: RTCPeerConnection, capAt: number): Promise<StatsCandidate[]> {
  const report = await Promise.race([
    pc.getStats(),
    sleepUntil(Math.max(capAt, performance.now()) + 150).then(() => null),
  ]);
  const out: StatsCandidate[] = [];
  report?.forEach((entry: Record<string, unknown>) => {
    if (entry['type'] !== 'local-candidate' || out.length >= MAX_STATS) return;
    out.push({
      address: str(entry['address'] ?? entry['ip']),
      port: num(entry['port']),
      protocol: str(entry['protocol']),
      candidateType: str(entry['candidateType']),
      relatedAddress: str(entry['relatedAddress']),
      relatedPort: num(entry['relatedPort']),
      foundation: str(entry['foundation']),
      url: str(entry['url']),
    });
  });
  return out;
}

function errorText(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}

/**
 * Starts one peer connection with a data channel and gathers its candidates (JSEP,
 * RFC 9429 §5.2.1). With `answer`, the offer is sent to the service and its ICE-lite
 * answer applied, so the browser sends connectivity checks to our observer.
 */
export function startGathering(
  label: ProbeConnectionLabel,
  iceServers: RTCIceServer[],
  capAt: number,
  answer?: (offerSdp: string) => Promise<string>,
): Gathering {
  // With an ICE-lite answer, "connected" means our observer answered a check: the service
  // has what it needs from this connection even if gathering is still running.
  const doneWhenConnected = answer !== undefined;
  const start = performance.now();
  const candidates: string[] = [];
  let pc: RTCPeerConnection | null = null;
  const finish = (complete: boolean, error: string | null, stats: StatsCandidate[]): ProbeConnection => ({
    label,
    candidates,
    sdp: pc?.localDescription?.sdp.slice(0, MAX_SDP_LENGTH) ?? null,
    stats,
    gatheringComplete: complete,
    durationMs: Math.round(performance.now() - start),
    error,
  });
  const result = (async (): Promise<ProbeConnection> => {
    let complete = false;
    let error: string | null = null;
    try {
      const conn = new RTCPeerConnection({ iceServers });
      pc = conn;
      const gathered = new Promise<boolean>((resolve) => {
        conn.addEventListener('icecandidate', (event) => {
          const line = event.candidate?.candidate;
          if (!event.candidate) resolve(true);
          else if (line && candidates.length < MAX_CANDIDATES)
            candidates.push(line.slice(0, MAX_CANDIDATE_LENGTH));
        });
        conn.addEventListener('icegatheringstatechange', () => {
          if (conn.iceGatheringState === 'complete') resolve(true);
        });
        conn.addEventListener('iceconnectionstatechange', () => {
          const state = conn.iceConnectionState;
          if (doneWhenConnected && (state === 'connected' || state === 'completed' || state === 'failed')) {
            resolve(true);
          }
        });
      });
      conn.createDataChannel('iceleak');
      await conn.setLocalDescription(await conn.createOffer());
      if (answer) {
        const offer = conn.localDescription?.sdp ?? '';
        await conn.setRemoteDescription({ type: 'answer', sdp: await answer(offer) });
      }
      const finished = await Promise.race([gathered, sleepUntil(capAt).then(() => false)]);
      complete = finished && conn.iceGatheringState === 'complete';
    } catch (e) {
      error = errorText(e);
    }
    const stats = pc ? await localCandidateStats(pc, capAt).catch(() => []) : [];
    return finish(complete, error, stats);
  })();
  return {
    label,
    result,
    close() {
      try {
        pc?.close();
      } catch {}
    },
  };
}
