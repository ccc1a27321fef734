// One error class per failure, identified by `name` (the daemon maps names to HTTP statuses).
// Bytes from peers that fail to decode raise `DecodeError` from `@x0x/base`, never these.
import { X0xError } from '@x0x/base'

/** A local topic is empty or longer than `maxTopicBytes`. */
export class InvalidTopicError extends X0xError {
  override readonly name = 'InvalidTopicError'
}

/** A local payload (or the envelope holding it) is larger than the configured limit. */
export class PayloadTooLargeError extends X0xError {
  override readonly name = 'PayloadTooLargeError'
}

/** The pub/sub service was stopped (or not started): it neither publishes nor subscribes. */
export class PubsubStoppedError extends X0xError {
  override readonly name = 'PubsubStoppedError'
}

/** A verification worker thread died with the job in flight (the pool replaces the worker). */
export class VerifyWorkerCrashedError extends X0xError {
  override readonly name = 'VerifyWorkerCrashedError'
}
