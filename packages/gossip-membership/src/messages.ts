import type { MachineId } from '@x0x/pqc'
import type { PeerAddress } from '@x0x/transport'
import type { PeerDescriptor } from './peer.js'

/** A new node asks its contact to admit it (HyParView §4.2, JOIN). The sender is authenticated. */
export interface JoinMessage {
  readonly type: 'join'
  /** Where the joiner can be dialled, passed on in the random walks. */
  readonly addresses: readonly PeerAddress[]
}

/** A random walk announcing a new node (FORWARDJOIN); `ttl` counts down from ARWL. */
export interface ForwardJoinMessage {
  readonly type: 'forward-join'
  readonly peer: PeerDescriptor
  readonly ttl: number
}

/**
 * A request to become neighbours (NEIGHBOR). `high` priority (the sender's active view is empty)
 * must be accepted; `low` is accepted only while the receiver has room.
 */
export interface NeighborMessage {
  readonly type: 'neighbor'
  readonly priority: 'high' | 'low'
  readonly addresses: readonly PeerAddress[]
}

/** The answer to NEIGHBOR or JOIN; on `accepted` both sides now hold each other as active. */
export interface NeighborReplyMessage {
  readonly type: 'neighbor-reply'
  readonly accepted: boolean
}

/** The sender dropped the receiver from its active view (DISCONNECT); `leaving` when it shuts down. */
export interface DisconnectMessage {
  readonly type: 'disconnect'
  readonly leaving: boolean
}

/** A passive-view exchange walking `ttl` hops from `origin` (SHUFFLE, §4.4). */
export interface ShuffleMessage {
  readonly type: 'shuffle'
  readonly origin: PeerDescriptor
  readonly ttl: number
  readonly peers: readonly PeerDescriptor[]
}

/** The answer to a shuffle, sent straight to its origin (SHUFFLEREPLY). */
export interface ShuffleReplyMessage {
  readonly type: 'shuffle-reply'
  readonly peers: readonly PeerDescriptor[]
}

/**
 * A SWIM probe. `neighbor` says the sender holds the receiver in its active view, so a receiver
 * that does not hold the sender answers with DISCONNECT instead of an ack (repairs asymmetry).
 */
export interface PingMessage {
  readonly type: 'ping'
  readonly sequence: number
  readonly neighbor: boolean
}

/** The answer to a ping, echoing its sequence. */
export interface AckMessage {
  readonly type: 'ack'
  readonly sequence: number
}

/** Asks a neighbour to probe `target` on the sender's behalf (SWIM ping-req, §3.1). */
export interface PingRequestMessage {
  readonly type: 'ping-request'
  readonly target: PeerDescriptor
  readonly sequence: number
}

/** Relays that `target` answered an indirect probe; `sequence` is the requester's. */
export interface PingRequestAckMessage {
  readonly type: 'ping-request-ack'
  readonly target: MachineId
  readonly sequence: number
}

/** Every message of the membership protocol. */
export type MembershipMessage =
  | JoinMessage
  | ForwardJoinMessage
  | NeighborMessage
  | NeighborReplyMessage
  | DisconnectMessage
  | ShuffleMessage
  | ShuffleReplyMessage
  | PingMessage
  | AckMessage
  | PingRequestMessage
  | PingRequestAckMessage

/** The `type` of a membership message. */
export type MembershipMessageType = MembershipMessage['type']
