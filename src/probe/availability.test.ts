import { afterEach, describe, expect, it } from 'vitest';
import { rtcAvailability, settleAvailability } from './availability.js';

const g = globalThis as { RTCPeerConnection?: unknown };
afterEach(() => {
  delete g.RTCPeerConnection;
});

describe('RTCPeerConnection availability', () => {
  it('is absent when the page has no RTCPeerConnection (Node has none)', () => {
    expect(rtcAvailability()).toBe('absent');
  });

  it('is replaced when a script swapped in its own function, present when native', () => {
    g.RTCPeerConnection = function RTCPeerConnection() {};
    expect(rtcAvailability()).toBe('replaced');
    g.RTCPeerConnection = Function.prototype.bind.call(Date, null); // bound natives print [native code]
    expect(rtcAvailability()).toBe('present');
  });

  it('becomes throws only when every connection failed before producing anything', () => {
    const failed = { error: 'NotSupportedError: no', candidates: [], sdp: null };
    const worked = { error: null, candidates: ['candidate:1 1 udp 1 x.local 9 typ host'], sdp: 'v=0' };
    expect(settleAvailability('present', [failed, failed])).toBe('throws');
    expect(settleAvailability('present', [failed, worked])).toBe('present');
    expect(settleAvailability('replaced', [failed])).toBe('replaced');
    expect(settleAvailability('present', [])).toBe('present');
  });
});
