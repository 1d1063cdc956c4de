/**
 * The one error class iceleak throws on purpose. `code` is stable (tests and callers
 * match on it); `place` says where the problem was found, e.g. "stun/header" or
 * "candidate/port", so a message reads like pion/stun's "BadFormat for message/cookie".
 */
export class IceleakError extends Error {
  override readonly name = 'IceleakError';

  constructor(
    readonly code: string,
    readonly place: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(`${place}: ${message}`, options);
  }
}

/** True when `error` is an IceleakError, optionally with the given code. */
export function isIceleakError(error: unknown, code?: string): error is IceleakError {
  return error instanceof IceleakError && (code === undefined || error.code === code);
}
