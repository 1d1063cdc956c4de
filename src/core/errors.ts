/**
 * Every stable error code iceleak uses, with its one-line meaning. Tests, callers and the HTTP API
 * (docs/serve.md) match on these codes; a new code is one row here.
 */
export const ERROR_CODES = {
  // CLI
  E_USAGE: 'a command line that cannot be run as given (exit 2)',

  // core/address, core/ice, core/stun: parsing untrusted bytes and text
  E_ADDRESS_INVALID: 'not an IPv4 or IPv6 address literal',
  E_CANDIDATE_SYNTAX: 'an ICE candidate line that breaks the RFC 8839 §5.1 grammar',
  E_CANDIDATE_TOO_LONG: 'an ICE candidate line longer than iceleak reads',
  E_SDP_TOO_LONG: 'an SDP longer than iceleak reads',
  E_SDP_OFFER: 'an SDP offer the ICE-lite answerer cannot answer',
  E_ICE_ANSWER: 'ICE-lite answer options that cannot make a valid answer',
  E_ICE_CREDENTIALS: 'an ice-ufrag or ice-pwd outside RFC 8839 §5.4',
  E_STUN_TRUNCATED: 'a STUN message or attribute cut short',
  E_STUN_NOT_STUN: 'a datagram whose first two bits say it is not STUN (RFC 8489 §5)',
  E_STUN_BAD_COOKIE: 'a STUN header without the magic cookie (RFC 8489 §5)',
  E_STUN_BAD_LENGTH: 'a STUN message length that is not a multiple of 4 or disagrees with the bytes',
  E_STUN_BAD_METHOD: 'a STUN method that is not a 12-bit number',
  E_STUN_BAD_TRANSACTION_ID: 'a STUN transaction id that is not 12 bytes',
  E_STUN_BAD_ATTRIBUTE: 'a STUN attribute value that breaks its RFC layout',
  E_STUN_BAD_ADDRESS: 'a STUN address attribute with a bad family, address or port',
  E_STUN_LIMIT: 'a STUN message with more attributes than iceleak reads',
  E_TABLE_CAPACITY: 'an expiring table asked for a non-positive capacity',

  // server: STUN server and ICE-lite observer
  E_STUN_LISTEN: 'the STUN server cannot listen on an address it was given',
  E_STUN_SOFTWARE: 'a SOFTWARE value too long for RFC 8489 §14.14',
  E_SESSION_OPTIONS: 'an ICE credential table asked for a non-positive size',
  E_SESSION_BAD_CREDENTIALS: 'ICE credentials or a session id that the observer refuses',

  // process
  E_PROCESS_ARGV: 'a child process asked for with an empty argv',
  E_PROCESS_EXEC: 'a command that could not be run at all',

  // browser
  E_BROWSER_MISSING: 'the Debian Chromium or Firefox ESR executable is not installed',
  E_BROWSER_LAUNCH: 'a browser that did not start',
  E_BROWSER_NETNS: 'a browser asked to be driven across a network namespace it cannot cross',
  E_PROFILE_UNKNOWN: 'a defence profile id not in the profiles table',
  E_PROFILE_FILE: 'a profiles file that cannot be read, is not JSON or breaks its schema',
  E_AGENT_START: 'the browser agent child did not say it was ready',
  E_AGENT_DIED: 'the browser agent exited with jobs pending',

  // lab
  E_LAB_PLATFORM: 'the lab needs Linux network namespaces',
  E_LAB_NOT_ROOT: 'the lab needs root',
  E_LAB_NO_IP: '`ip` (iproute2) is not installed',
  E_LAB_NO_NFT: '`nft` (nftables) is not installed',
  E_LAB_NETNS_DENIED: 'the kernel refuses to create a network namespace',
  E_LAB_NFT_DENIED: 'nft NAT does not work inside a namespace',
  E_LAB_BUILD: 'an `ip` or `nft` command building a lab failed',
  E_LAB_ABORTED: 'a lab build aborted by its signal',
  E_LAB_TOPOLOGY: 'a lab scenario whose topology is not valid',
  E_LAB_UNKNOWN_ROLE: 'a host name a lab scenario does not have',
  E_LAB_UNKNOWN_ID: 'no live lab with that id',
  E_LAB_PROXY: 'a proxy inside the lab did not start',
  E_LAB_CHECK: 'the lab self-check failed',

  // service
  E_PUBLIC_ADDRESS: 'the address browsers must use for STUN is missing or not an IP address',
  E_TLS: '--tls-cert and --tls-key not given together',
  E_PROBE_BUILD: 'the probe bundle could not be built',
  E_PROBE_MISSING: 'the built probe bundle is missing',
  E_STORE_OPEN: 'the service database cannot be opened',
  E_STORE_SCHEMA: 'the service database schema is newer than this iceleak',
  E_SERVICE_START: 'the leak-test service child did not say it was ready',

  // service HTTP API (docs/serve.md, "HTTP API"); API_ERROR_CODES in src/service/api-errors.ts
  E_BAD_REQUEST: 'HTTP: a malformed request',
  E_BODY_TOO_LARGE: 'HTTP: a request body over its cap',
  E_RATE_LIMITED: 'HTTP: too many requests from one client',
  E_NOT_FOUND: 'HTTP: no such resource',
  E_INTERNAL: 'HTTP: the service failed',
  E_SESSION_UNKNOWN: 'HTTP: unknown or expired session',
  E_SESSION_REPORTED: 'HTTP: the session has already reported',
  E_OFFER_INVALID: 'HTTP: an offer the service refuses',
  E_REPORT_INVALID: 'HTTP: a probe report that breaks its schema',
  E_RESULT_UNKNOWN: 'HTTP: unknown or expired result',

  // audit
  E_AUDIT_UNKNOWN_BROWSER: 'an audit browser not in the matrix',
  E_AUDIT_UNKNOWN_PROFILE: 'an audit profile not in the profiles table',
  E_AUDIT_UNKNOWN_SCENARIO: 'an audit scenario not in the scenarios table',
  E_AUDIT_EMPTY: 'an audit selection that leaves no cell to run',
  E_AUDIT_CELL: 'an audit cell whose page gave no result',
  E_EXPECT_READ: 'an expectations file that cannot be read',
  E_EXPECT_JSON: 'an expectations file that is not JSON',
  E_EXPECT_SCHEMA: 'an expectations file that breaks its schema',

  // scan
  E_SCAN_TOKEN: 'an instrumentation token outside [A-Za-z0-9_-]{1,64}',
  E_SCAN_NAVIGATION: 'a scanned page that did not load',
  E_SCAN_PAGE: 'a scanned page that failed for another reason',
  E_SCAN_DB: 'the scan database cannot be opened',
  E_SCAN_LAB_ROOT: 'the scan corpus lab needs root',
  E_SCAN_LAB_START: 'the scan corpus server did not say it was ready',

  // test support and benchmarks only
  E_CAPTURE: 'test support: the fixture capture page server did not start',
  E_BENCH: 'benchmarks: a benchmark child did not start',
  E_TEST: 'tests only: a code for children the tests start themselves',
} as const satisfies Record<string, string>;

/** A stable iceleak error code: a key of ERROR_CODES. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The one error class iceleak throws on purpose. `code` is stable (tests and callers
 * match on it); `place` says where the problem was found, e.g. "stun/header" or
 * "candidate/port", so a message reads like pion/stun's "BadFormat for message/cookie".
 * A caught error that led to this one travels as `options.cause`, not flattened into text.
 */
export class IceleakError extends Error {
  override readonly name = 'IceleakError';

  constructor(
    readonly code: ErrorCode,
    readonly place: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(`${place}: ${message}`, options);
  }
}

/** True when `error` is an IceleakError, optionally with the given code. */
export function isIceleakError(error: unknown, code?: ErrorCode): error is IceleakError {
  return error instanceof IceleakError && (code === undefined || error.code === code);
}
