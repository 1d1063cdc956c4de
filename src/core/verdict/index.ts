/** The verdict: probe report + server observations → findings and one verdict. */
export { browserFamilyFromUserAgent } from './browser-family.js';
export { decideVerdict, SEVERITY, VERDICT_LIMITS } from './decide.js';
export { FIXES, type FixConcern } from './fixes.js';
export type * from './report.js';
export { addressesFromReport, REPORT_LIMITS, type ReportedAddress } from './report-addresses.js';
export { matchStunObservations } from './stun-match.js';
export type * from './types.js';
