/**
 * The error pattern every x0x package follows: one class per failure, identified by `name`
 * (stable, part of the API: the daemon maps names to HTTP status codes), with the underlying
 * failure in `cause`. Test for an error with `error.name === 'TimeoutError'` or `instanceof`.
 */
export class X0xError extends Error {
  override readonly name: string = 'X0xError'
}

/** Whether `error` is an `Error` whose `name` is `name` (works across package copies). */
export function isErrorNamed(error: unknown, name: string): error is Error {
  return error instanceof Error && error.name === name
}

/** An operation was cancelled through its `AbortSignal`. */
export class AbortError extends X0xError {
  override readonly name = 'AbortError'

  constructor(message = 'The operation was aborted', options?: ErrorOptions) {
    super(message, options)
  }
}

/** An operation did not finish within its deadline. */
export class TimeoutError extends X0xError {
  override readonly name = 'TimeoutError'

  constructor(message = 'The operation timed out', options?: ErrorOptions) {
    super(message, options)
  }
}

/** An argument was outside what the function accepts. */
export class InvalidArgumentError extends X0xError {
  override readonly name = 'InvalidArgumentError'
}

/** Bytes from the outside (a peer, a file) could not be decoded, or broke a decode limit. */
export class DecodeError extends X0xError {
  override readonly name = 'DecodeError'
}

/** A bounded queue refused an item because it was full and its policy is `reject`. */
export class QueueFullError extends X0xError {
  override readonly name = 'QueueFullError'
}

/** A component was used after it was closed or stopped. */
export class ClosedError extends X0xError {
  override readonly name = 'ClosedError'
}

/** An operation was called while its target was in a state that does not allow it. */
export class InvalidStateError extends X0xError {
  override readonly name = 'InvalidStateError'
}
