import { X0xError } from '@x0x/base'

/** A membership frame from a peer was malformed or broke a decode limit; `cause` has the detail. */
export class MembershipDecodeError extends X0xError {
  override readonly name = 'MembershipDecodeError'
}

/** Joining failed: no contact could be reached before the signal aborted or the attempts ran out. */
export class JoinFailedError extends X0xError {
  override readonly name = 'JoinFailedError'
}

/** The membership service was used after `stop()`. */
export class MembershipStoppedError extends X0xError {
  override readonly name = 'MembershipStoppedError'

  constructor(message = 'the membership service is stopped', options?: ErrorOptions) {
    super(message, options)
  }
}
