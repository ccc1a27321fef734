import { AbortError, TimeoutError, isErrorNamed } from './errors.js'

/**
 * The error an operation rejects with when `signal` aborts. A deadline (a reason named
 * `TimeoutError`, from `timeoutSignal` or `AbortSignal.timeout`) surfaces as a `TimeoutError`, so
 * callers and the daemon can tell "too slow" from "cancelled"; any other reason becomes an
 * `AbortError` whose `cause` is the reason.
 */
export function errorFromSignal(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason
  if (reason instanceof TimeoutError) return reason
  if (isErrorNamed(reason, 'TimeoutError')) {
    return new TimeoutError(reason.message, { cause: reason })
  }
  return new AbortError(undefined, { cause: reason })
}
