import { candidatesInSdp, type HarvestedCandidate, parseCandidateValues } from './candidate-values.js';
import type { ApiCall } from './capture.js';

/** What one script did with WebRTC on one page: the input of the rules table. */
export interface ScriptFacts {
  readonly script: string;
  /** Read the RTCPeerConnection global (typeof, existence checks) or constructed one. */
  readonly touchedConstructor: boolean;
  readonly constructed: number;
  /** STUN/TURN URLs configured on the peer connections the script used. */
  readonly iceServers: readonly string[];
  /** Called setLocalDescription or createOffer (gathering starts with the local description). */
  readonly startedGathering: boolean;
  /** Read a candidate (event, RTCIceCandidate field, SDP with candidates, getStats result). */
  readonly readCandidates: boolean;
  /** Candidates the script read, in order, deduplicated by candidate string. */
  readonly harvested: readonly HarvestedCandidate[];
  /** A remote description was set on one of its peer connections. */
  readonly remoteDescription: boolean;
  /** Tracks, transceivers with media, getUserMedia, or data-channel messages sent. */
  readonly mediaOrData: boolean;
  /** Time of the first candidate read (ms since epoch), or null. */
  readonly firstReadAt: number | null;
  /** The script's own calls, in order. */
  readonly calls: readonly ApiCall[];
}

// Calls whose detail holds something the page *read* (not something it handed in).
const CANDIDATE_READS = new Set([
  'icecandidate.candidate',
  'RTCIceCandidate.candidate',
  'RTCIceCandidate.address',
  'RTCIceCandidate.relatedAddress',
  'RTCIceCandidate.foundation',
  'toJSON',
]);
const SDP_READS = new Set([
  'localDescription',
  'currentLocalDescription',
  'pendingLocalDescription',
  'RTCSessionDescription.sdp',
  'toJSON',
]);
const MEDIA_OR_DATA = new Set(['addTrack', 'addStream', 'getUserMedia', 'send']);

function readsOf(call: ApiCall): HarvestedCandidate[] {
  const d = call.detail;
  const out: HarvestedCandidate[] = [];
  if (CANDIDATE_READS.has(call.api) && typeof d.candidate === 'string') {
    const c = parseCandidateValues(d.candidate);
    if (c) out.push(c);
  }
  if (SDP_READS.has(call.api) && typeof d.sdp === 'string') out.push(...candidatesInSdp(d.sdp));
  if (call.api === 'getStats-result' && Array.isArray(d.localCandidates)) {
    for (const s of d.localCandidates as Array<{ address?: unknown; candidateType?: unknown }>) {
      const type = typeof s.candidateType === 'string' ? s.candidateType : null;
      // Chromium hides mDNS-obfuscated host addresses in stats (null): still a candidate read.
      const address = typeof s.address === 'string' && s.address !== '' ? s.address : null;
      out.push({
        candidate: `stats:${type ?? '?'}:${address ?? 'hidden'}`,
        address,
        port: null,
        type,
        relatedAddress: null,
      });
    }
  }
  return out;
}

/** Groups a page's calls by attributed script and derives each script's {@link ScriptFacts}. */
export function factsByScript(calls: readonly ApiCall[]): ScriptFacts[] {
  const byScript = new Map<string, ApiCall[]>();
  for (const call of calls) {
    const list = byScript.get(call.script) ?? [];
    list.push(call);
    byScript.set(call.script, list);
  }
  // Per peer connection, whatever script did it: servers, remote description, media.
  const serversOf = new Map<string, string[]>();
  const remoteOn = new Set<string>();
  const mediaOn = new Set<string>();
  for (const call of calls) {
    if (call.pc === null) continue;
    if (call.api === 'RTCPeerConnection' && Array.isArray(call.detail.iceServers)) {
      serversOf.set(
        call.pc,
        (call.detail.iceServers as unknown[]).filter((u): u is string => typeof u === 'string'),
      );
    }
    if (call.api === 'setRemoteDescription') remoteOn.add(call.pc);
    if (MEDIA_OR_DATA.has(call.api)) mediaOn.add(call.pc);
    if (call.api === 'addTransceiver' && call.detail.direction !== 'recvonly') mediaOn.add(call.pc);
  }
  const out: ScriptFacts[] = [];
  for (const [script, own] of byScript) {
    const pcs = new Set(own.flatMap((c) => (c.pc === null ? [] : [c.pc])));
    const harvested = new Map<string, HarvestedCandidate>();
    let firstReadAt: number | null = null;
    for (const call of own) {
      for (const c of readsOf(call)) {
        if (!harvested.has(c.candidate)) harvested.set(c.candidate, c);
        firstReadAt ??= call.time;
      }
    }
    const servers = new Set<string>();
    for (const pc of pcs) for (const u of serversOf.get(pc) ?? []) servers.add(u);
    out.push({
      script,
      touchedConstructor: own.some((c) => c.api === 'constructor-access' || c.api === 'RTCPeerConnection'),
      constructed: own.filter((c) => c.api === 'RTCPeerConnection').length,
      iceServers: [...servers],
      startedGathering: own.some((c) => c.api === 'setLocalDescription' || c.api === 'createOffer'),
      readCandidates: harvested.size > 0,
      harvested: [...harvested.values()],
      remoteDescription: [...pcs].some((pc) => remoteOn.has(pc)),
      mediaOrData: own.some((c) => MEDIA_OR_DATA.has(c.api)) || [...pcs].some((pc) => mediaOn.has(pc)),
      firstReadAt,
      calls: own,
    });
  }
  return out;
}
