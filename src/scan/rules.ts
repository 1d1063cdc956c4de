import type { HarvestedCandidate } from './candidate-values.js';
import type { ApiCall } from './capture.js';
import type { ExfiltrationEvidence } from './exfiltration.js';
import type { ScriptFacts } from './facts.js';

/** What a script does with WebRTC, as the scanner names it. */
export type Classification =
  | 'webrtc-app'
  | 'exfiltration'
  | 'public-ip-harvest'
  | 'local-ip-harvest'
  | 'feature-detection';

/** The facts a rule sees: a script's facts plus the requests that carried what it read. */
export interface RuleInput extends ScriptFacts {
  readonly exfiltration: readonly ExfiltrationEvidence[];
}

/** One row of the rules table: a classification, whether it counts as harvesting, a test. */
export interface Rule {
  readonly id: Classification;
  readonly harvesting: boolean;
  readonly description: string;
  readonly applies: (f: RuleInput) => boolean;
}

const STUN_OR_TURN = /^(stuns?|turns?):/i;

/** True when the facts look like a real call (remote description and media or data). */
function isApp(f: RuleInput): boolean {
  return f.remoteDescription && f.mediaOrData;
}

function gathersAndReads(f: RuleInput): boolean {
  return f.readCandidates && !isApp(f);
}

/**
 * The rules, in the order findings list them. A script may match several rows (a public-IP
 * harvester that also sends the address home is both `public-ip-harvest` and
 * `exfiltration`); `webrtc-app` excludes the harvesting rows.
 */
export const RULES: readonly Rule[] = [
  {
    id: 'webrtc-app',
    harvesting: false,
    description: 'a real peer connection: a remote description was set and tracks or data flowed',
    applies: isApp,
  },
  {
    id: 'public-ip-harvest',
    harvesting: true,
    description: 'gathers with a STUN/TURN server configured and reads the candidates, with no real call',
    applies: (f) => gathersAndReads(f) && f.iceServers.some((u) => STUN_OR_TURN.test(u)),
  },
  {
    id: 'local-ip-harvest',
    harvesting: true,
    description: 'gathers with no STUN/TURN server and reads the (host) candidates, with no real call',
    applies: (f) => gathersAndReads(f) && !f.iceServers.some((u) => STUN_OR_TURN.test(u)),
  },
  {
    id: 'exfiltration',
    harvesting: true,
    description: 'an address, .local name or candidate it read appears later in a request the page sent',
    applies: (f) => !isApp(f) && f.exfiltration.length > 0,
  },
  {
    id: 'feature-detection',
    harvesting: false,
    description: 'only touches the RTCPeerConnection constructor: no gathering, no candidate read',
    applies: (f) => f.touchedConstructor && !f.startedGathering && !f.readCandidates && !isApp(f),
  },
];

/** One script's findings on one site, with the evidence behind them. */
export interface ScriptFinding {
  readonly script: string;
  readonly classifications: readonly Classification[];
  readonly harvesting: boolean;
  readonly evidence: {
    /** The script's WebRTC calls in order (api, time, peer connection, arguments). */
    readonly calls: ReadonlyArray<Pick<ApiCall, 'api' | 'time' | 'pc' | 'detail' | 'realm'>>;
    readonly iceServers: readonly string[];
    readonly harvested: readonly HarvestedCandidate[];
    readonly exfiltration: readonly ExfiltrationEvidence[];
  };
}

/** Applies {@link RULES} to one script; an empty list when no row matches. */
export function classifyScript(input: RuleInput): ScriptFinding {
  const matched = RULES.filter((rule) => rule.applies(input));
  return {
    script: input.script,
    classifications: matched.map((r) => r.id),
    harvesting: matched.some((r) => r.harvesting),
    evidence: {
      // Repeated reads of the same getter add nothing: keep the first 200 calls.
      calls: input.calls
        .slice(0, 200)
        .map(({ api, time, pc, detail, realm }) => ({ api, time, pc, detail, realm })),
      iceServers: input.iceServers,
      harvested: input.harvested,
      exfiltration: input.exfiltration,
    },
  };
}
