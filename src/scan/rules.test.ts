import { describe, expect, it } from 'vitest';
import type { ExfiltrationEvidence } from './exfiltration.js';
import { type Classification, classifyScript, RULES, type RuleInput } from './rules.js';

const base: RuleInput = {
  script: 'https://t.example/tag.js',
  touchedConstructor: true,
  constructed: 1,
  iceServers: [],
  startedGathering: true,
  readCandidates: true,
  harvested: [
    {
      candidate: 'candidate:1 1 udp 1 203.0.113.5 1 typ srflx',
      address: '203.0.113.5',
      port: 1,
      type: 'srflx',
      relatedAddress: null,
    },
  ],
  remoteDescription: false,
  mediaOrData: false,
  firstReadAt: 1,
  calls: [],
  exfiltration: [],
};
const beacon: ExfiltrationEvidence = {
  requestUrl: 'https://t.example/c?ip=203.0.113.5',
  method: 'GET',
  resourceType: 'image',
  where: 'url',
  encoding: 'plain',
  value: '203.0.113.5',
  initiator: null,
};
const stun = ['stun:stun.example.org:3478'];

// Each row: facts, and for every rule whether it applies. Walks the table row by row.
const rows: Array<[string, Partial<RuleInput>, Classification[]]> = [
  ['STUN server + candidates read → public-ip-harvest', { iceServers: stun }, ['public-ip-harvest']],
  [
    'TURN counts as a server too',
    { iceServers: ['turn:turn.example.org?transport=tcp'] },
    ['public-ip-harvest'],
  ],
  ['no server + candidates read → local-ip-harvest', {}, ['local-ip-harvest']],
  [
    'a read address sent in a request → exfiltration as well',
    { iceServers: stun, exfiltration: [beacon] },
    ['public-ip-harvest', 'exfiltration'],
  ],
  [
    'remote description + data flowing → webrtc-app, never a harvest',
    { iceServers: stun, remoteDescription: true, mediaOrData: true, exfiltration: [beacon] },
    ['webrtc-app'],
  ],
  ['remote description alone does not make an app', { remoteDescription: true }, ['local-ip-harvest']],
  [
    'media alone (no remote description) does not make an app',
    { iceServers: stun, mediaOrData: true },
    ['public-ip-harvest'],
  ],
  [
    'only touching the constructor → feature-detection',
    { startedGathering: false, readCandidates: false, harvested: [], firstReadAt: null },
    ['feature-detection'],
  ],
  [
    'gathering without reading is neither harvest nor detection',
    { readCandidates: false, harvested: [], firstReadAt: null },
    [],
  ],
  [
    'reading candidates on a connection another script made still harvests',
    { touchedConstructor: false, constructed: 0, startedGathering: false, iceServers: stun },
    ['public-ip-harvest'],
  ],
];

describe('RULES', () => {
  it('has one row per classification', () => {
    expect(RULES.map((r) => r.id).sort()).toEqual([
      'exfiltration',
      'feature-detection',
      'local-ip-harvest',
      'public-ip-harvest',
      'webrtc-app',
    ]);
  });
  it.each(rows)('%s', (_, patch, want) => {
    const input = { ...base, ...patch };
    for (const rule of RULES) expect(rule.applies(input), rule.id).toBe(want.includes(rule.id));
    const finding = classifyScript(input);
    expect([...finding.classifications].sort()).toEqual([...want].sort());
    expect(finding.harvesting).toBe(want.some((c) => RULES.find((r) => r.id === c)!.harvesting));
  });
});
