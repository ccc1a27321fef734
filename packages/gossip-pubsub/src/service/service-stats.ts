// The service's own `/diagnostics/gossip` figures, next to the node's `stats` and `pubsub_stages`.
import type { NeighbourLinkCounters } from './neighbour-links.js'

/** The `pubsub_service` object of `/diagnostics/gossip`. */
export interface PubsubServiceStats extends NeighbourLinkCounters {
  /** Outbound streams (one per active neighbour). */
  neighbour_streams: number
  /** Inbound streams being read. */
  inbound_streams: number
  /** Inbound streams reset because `maxInboundStreams` were already open. */
  inbound_streams_refused: number
  /** Frames and bytes waiting in neighbour send queues. */
  send_queue_frames: number
  send_queue_bytes: number
  /** Local subscriptions, the topics they cover, and messages waiting in their queues. */
  subscribers: number
  subscribed_topics: number
  subscriber_queued: number
  /** Signatures made for local publishes and the messages they covered. */
  publish_batches: number
  publish_batched_messages: number
  /** Publishes waiting for their batch's signature. */
  pending_publishes: number
}

/** Counters the service keeps itself. */
export class ServiceCounters {
  slow_subscriber_dropped = 0
  subscriber_channel_closed = 0
  publish_refused = 0
}
