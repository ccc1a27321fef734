import { X0xError } from '@x0x/base'

/** The agent is not running (not started, or stopped). */
export class AgentStoppedError extends X0xError {
  override readonly name = 'AgentStoppedError'
}

/** The agent is not in the discovery cache and could not be found. */
export class AgentNotFoundError extends X0xError {
  override readonly name = 'AgentNotFoundError'
}

/** The local contact book blocks the agent. */
export class AgentBlockedError extends X0xError {
  override readonly name = 'AgentBlockedError'
  constructor(message = 'agent is blocked', options?: ErrorOptions) {
    super(message, options)
  }
}

/** A direct message payload is larger than `MAX_DIRECT_PAYLOAD_BYTES`. */
export class DirectPayloadTooLargeError extends X0xError {
  override readonly name = 'DirectPayloadTooLargeError'
}

/**
 * Why a direct send failed, in x0x's words (API.md §1.7): the daemon answers
 * `{ok:false, error: kind, detail}` with the status of the kind.
 */
export type DirectSendFailure =
  | 'recipient_rejected'
  | 'recipient_key_unavailable'
  | 'timeout'
  | 'peer_likely_offline'
  | 'peer_disconnected'
  | 'local_gossip_unavailable'
  | 'no_connectivity'
  | 'publish_failed'

/** A direct message could not be delivered; `kind` says why. */
export class DirectSendError extends X0xError {
  override readonly name = 'DirectSendError'
  readonly kind: DirectSendFailure
  constructor(kind: DirectSendFailure, message: string, options?: ErrorOptions) {
    super(message, options)
    this.kind = kind
  }
}

/** An agent card link or its JSON is malformed. */
export class InvalidAgentCardError extends X0xError {
  override readonly name = 'InvalidAgentCardError'
}

/** An announcement failed to decode or to verify; it is dropped and counted. */
export class InvalidAnnouncementError extends X0xError {
  override readonly name = 'InvalidAnnouncementError'
}

/** Announcing the user identity was asked for without a user key or without consent. */
export class UserIdentityUnavailableError extends X0xError {
  override readonly name = 'UserIdentityUnavailableError'
}
