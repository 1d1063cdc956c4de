import type { RtcAvailability } from '../core/verdict/report.js';

/**
 * How `RTCPeerConnection` looks to the page before using it: missing, or replaced by a
 * script (an extension's or a fingerprinting shim's wrapper is not native code). Whether it
 * throws is learned from the probe's own connections (`settleAvailability`), so no extra
 * connection is created: the first one pays WebRTC's start-up cost.
 */
export function rtcAvailability(): RtcAvailability {
  const ctor = (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection;
  if (typeof ctor !== 'function') return 'absent';
  if (!/\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(ctor))) return 'replaced';
  return 'present';
}

/** `present` becomes `throws` when every connection failed before producing anything. */
export function settleAvailability(
  before: RtcAvailability,
  connections: ReadonlyArray<{ error?: string | null; candidates: readonly string[]; sdp: string | null }>,
): RtcAvailability {
  if (before !== 'present' || connections.length === 0) return before;
  const allFailed = connections.every((c) => c.error && c.candidates.length === 0 && c.sdp === null);
  return allFailed ? 'throws' : before;
}
