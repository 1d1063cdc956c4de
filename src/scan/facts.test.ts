import { describe, expect, it } from 'vitest';
import type { ApiCall, RequestRecord } from './capture.js';
import { classifyCapture } from './classify-capture.js';
import { factsByScript } from './facts.js';

const HOST = 'candidate:1 1 udp 2113937151 0f1e2d3c-aaaa-bbbb-cccc-111122223333.local 5000 typ host';
let seq = 0;
const call = (
  script: string,
  api: string,
  pc: string | null,
  detail: Record<string, unknown> = {},
): ApiCall => ({
  seq: ++seq,
  ctx: 'c',
  time: seq,
  api,
  pc,
  detail,
  script,
  realm: 'https://site.example/',
});

describe('factsByScript', () => {
  it('credits ICE servers of a peer connection made by one script to the script that reads it', () => {
    const calls = [
      call('https://site.example/maker.js', 'RTCPeerConnection', 'c:1', { iceServers: ['stun:s.example'] }),
      call('https://t.example/reader.js', 'icecandidate.candidate', 'c:1', { candidate: HOST }),
    ];
    const reader = factsByScript(calls).find((f) => f.script.endsWith('reader.js'))!;
    expect(reader.iceServers).toEqual(['stun:s.example']);
    expect(reader.harvested.map((c) => c.address)).toEqual(['0f1e2d3c-aaaa-bbbb-cccc-111122223333.local']);
  });
  it('does not count candidates the page handed in (addIceCandidate, remote SDP) as read', () => {
    const f = factsByScript([
      call('https://a.example/app.js', 'addIceCandidate', 'c:1', { candidate: HOST }),
      call('https://a.example/app.js', 'setRemoteDescription', 'c:1', {
        type: 'answer',
        sdp: `a=${HOST}\r\n`,
      }),
    ])[0]!;
    expect(f.readCandidates).toBe(false);
    expect(f.remoteDescription).toBe(true);
  });
  it('counts getStats local candidates, even when Chromium hides the address', () => {
    const f = factsByScript([
      call('https://a.example/s.js', 'getStats-result', 'c:1', {
        localCandidates: [{ address: null, candidateType: 'host' }],
      }),
    ])[0]!;
    expect(f.readCandidates).toBe(true);
  });
});

describe('classifyCapture', () => {
  it('turns a harvest followed by a beacon into local-ip-harvest + exfiltration with the request as evidence', () => {
    const script = 'https://t.example/tag.js';
    const calls = [
      call(script, 'RTCPeerConnection', 'c:1', { iceServers: [] }),
      call(script, 'createDataChannel', 'c:1'),
      call(script, 'setLocalDescription', 'c:1', { type: 'offer' }),
      call(script, 'icecandidate.candidate', 'c:1', { candidate: HOST }),
    ];
    const beacon: RequestRecord = {
      time: seq + 1,
      url: `https://t.example/c?d=${encodeURIComponent(HOST)}`,
      method: 'GET',
      resourceType: 'image',
      headers: {},
      postData: null,
      frameUrl: null,
      initiator: script,
    };
    const [finding] = classifyCapture({ calls, requests: [beacon] });
    expect(finding!.classifications).toEqual(['local-ip-harvest', 'exfiltration']);
    expect(finding!.evidence.exfiltration[0]!.requestUrl).toBe(beacon.url);
    expect(finding!.evidence.calls.map((c) => c.api)).toEqual([
      'RTCPeerConnection',
      'createDataChannel',
      'setLocalDescription',
      'icecandidate.candidate',
    ]);
  });
  it('reports nothing for a page without WebRTC', () => {
    expect(classifyCapture({ calls: [], requests: [] })).toEqual([]);
  });
});
