/** The verdict: probe report + server observations → findings and one verdict. */
export { browserFamilyFromUserAgent } from './browser-family.js';
export { decideVerdict } from './decide.js';
export {
  FINDINGS,
  type FindingRule,
  type FixConcern,
  isFindingCode,
  SEVERITY_RANK,
  VERDICT_RANK,
} from './findings.js';
export { FIXES } from './fixes.js';
export type * from './report.js';
export { addressesFromReport, REPORT_LIMITS, type ReportedAddress } from './report-addresses.js';
export { RESULT_SCHEMA_VERSION, type StoredResult } from './result.js';
export { VERDICT_LIMITS } from './sightings.js';
export { matchStunObservations } from './stun-match.js';
export type * from './types.js';
