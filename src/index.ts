/**
 * iceleak's library API: the pure protocol core (STUN, ICE candidates and SDP, address
 * classification, the verdict) and the STUN server + ICE-lite observer. Browser, lab,
 * audit and scan code is reached through the CLI and is not loaded from here.
 */

export {
  type AddressClassification,
  type AddressRange,
  type AddressScope,
  classifyAddress,
  type EmbeddedIpv4,
  type EmbeddedVia,
  MAX_ADDRESS_LENGTH,
} from './core/address/classify.js';
export { IceleakError, isIceleakError } from './core/errors.js';
export {
  type CandidateExtension,
  type CandidateType,
  candidateExtension,
  formatCandidate,
  type IceCandidate,
  MAX_CANDIDATE_LENGTH,
  parseCandidate,
  type TcpType,
} from './core/ice/candidate.js';
export {
  assertIceCredentials,
  generateIceCredentials,
  type IceCredentials,
} from './core/ice/ice-credentials.js';
export {
  createIceLiteAnswer,
  type IceLiteAnswerOptions,
  type IceLiteEndpoint,
} from './core/ice/ice-lite-answer.js';
export {
  candidatesFromSdp,
  MAX_SDP_LENGTH,
  type SdpCandidate,
  type SdpCandidateError,
  type SdpCandidates,
  type SdpConnectionAddress,
  type SdpLocation,
} from './core/ice/sdp.js';
export type * from './core/observation.js';
export * from './core/stun/index.js';

export * from './core/verdict/index.js';

export * from './server/index.js';
