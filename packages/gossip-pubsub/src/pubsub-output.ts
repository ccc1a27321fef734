// What one call of a `PubsubNode` produces: frames for the service to send and messages for
// local subscribers. Plain data, so the node stays free of I/O.
import type { AgentId } from '@x0x/pqc'
import type { PeerId } from './plumtree-state.js'
import type { MessageId } from './signed-envelope.js'

/** One message handed to a local subscriber. */
export interface Delivery {
  /** Id of the envelope that carried it (several payloads may share one). */
  readonly id: MessageId
  readonly topic: string
  /** The agent that signed it. */
  readonly origin: AgentId
  readonly epoch: number
  /** Contiguous per (origin, epoch, topic) from 1: a gap means a loss the subscriber can see. */
  readonly sequence: number
  /** The publisher's clock at signing, informational and not trusted. */
  readonly timestamp: number
  readonly payload: Uint8Array
}

/** A frame for the service to send on the neighbour's `pubsub` stream. */
export interface Outbound {
  readonly to: PeerId
  readonly frame: Uint8Array
}

/** What one call produced. `deliveries` go to local subscribers of their topic. */
export interface PubsubOutput {
  readonly sends: Outbound[]
  readonly deliveries: Delivery[]
}
