/** What the page-side gathering script returns (see `gatherExpression`). */
export interface GatherOutcome {
  /** The offer as first set (Chromium: no candidates yet; Firefox: none either). */
  offerSdp: string;
  /** localDescription after gathering finished (or timed out): with a=candidate lines. */
  localSdp: string;
  /** Every non-empty candidate string from `icecandidate`, in order. */
  candidates: string[];
  /** Whether end-of-candidates (null candidate) came before the timeout. */
  complete: boolean;
  gatherMs: number;
  /** The ICE-lite answer the page server returned, when asked for one. */
  answer: string | null;
  /** iceConnectionState after the answer: 'connected' once our observer answered a check. */
  iceState: string | null;
  error: string | null;
  /** `typeof RTCPeerConnection === 'function'` (false with media.peerconnection.enabled=false). */
  hasPeerConnection: boolean;
  /** With `?media=1` in the page URL: 'granted' or the getUserMedia error; otherwise null. */
  media: string | null;
}

export interface GatherOptions {
  /** `stun:192.0.2.1:3478`, or none: no STUN server configured. */
  readonly stun?: string;
  /** POST the gathered offer to `/answer` on the page's origin and set the ICE-lite answer. */
  readonly answer?: boolean;
  /** Where to POST the offer; default `/answer`. */
  readonly answerPath?: string;
  /** Also add recvonly audio and video transceivers (tests rejection of media sections). */
  readonly audioVideo?: boolean;
  /** Gathering timeout: a page must not wait for end-of-candidates forever (domain.md §4). */
  readonly gatherTimeoutMs?: number;
}

/**
 * A JS expression (async IIFE) for BrowserJob.evaluate: gathers candidates like a leak-test
 * page and, optionally, answers with an ICE-lite answer from the page server so the browser
 * sends ICE checks. Returns a GatherOutcome.
 */
export function gatherExpression(options: GatherOptions): string {
  const config = JSON.stringify({
    stun: options.stun ?? null,
    answer: options.answer ?? false,
    answerPath: options.answerPath ?? '/answer',
    av: options.audioVideo ?? false,
    timeout: options.gatherTimeoutMs ?? 5000,
  });
  return `(async (cfg) => {
  const out = { offerSdp: '', localSdp: '', candidates: [], complete: false, gatherMs: 0, answer: null, iceState: null, error: null,
    hasPeerConnection: typeof RTCPeerConnection === 'function', media: null };
  try {
    if (new URLSearchParams(location.search).get('media') === '1') {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
        out.media = 'granted';
        window.__iceleakStream = stream;
      } catch (e) { out.media = 'error: ' + String(e && e.name || e); }
    }
    if (!out.hasPeerConnection) return out;
    const pc = new RTCPeerConnection(cfg.stun ? { iceServers: [{ urls: cfg.stun }] } : {});
    window.__iceleakPc = pc;
    if (cfg.av) { pc.addTransceiver('audio', { direction: 'recvonly' }); pc.addTransceiver('video', { direction: 'recvonly' }); }
    pc.createDataChannel('iceleak');
    const started = performance.now();
    const gathered = new Promise((resolve) => {
      pc.addEventListener('icecandidate', (e) => {
        if (!e.candidate) resolve(true);
        else if (e.candidate.candidate) out.candidates.push(e.candidate.candidate);
      });
      setTimeout(() => resolve(false), cfg.timeout);
    });
    await pc.setLocalDescription(await pc.createOffer());
    out.offerSdp = pc.localDescription.sdp;
    out.complete = await gathered;
    out.gatherMs = Math.round(performance.now() - started);
    out.localSdp = pc.localDescription.sdp;
    if (cfg.answer) {
      const res = await fetch(cfg.answerPath, { method: 'POST', body: out.localSdp });
      out.answer = await res.text();
      if (!res.ok) throw new Error('answer refused: ' + out.answer);
      const settled = new Promise((resolve) => {
        const timer = setTimeout(resolve, 5000);
        pc.addEventListener('iceconnectionstatechange', () => {
          if (['connected', 'completed', 'failed'].includes(pc.iceConnectionState)) { clearTimeout(timer); resolve(); }
        });
      });
      await pc.setRemoteDescription({ type: 'answer', sdp: out.answer });
      await settled;
      out.iceState = pc.iceConnectionState;
    }
  } catch (e) { out.error = String(e && e.message || e); }
  return out;
})(${config})`;
}
