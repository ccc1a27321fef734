// The options of `createPubsub` beyond the node's, and their defaults (docs/protocols/pubsub.md
// "Limits"), resolved once.
import {
  DEFAULT_MAX_BATCH_MESSAGES,
  DEFAULT_MAX_INBOUND_STREAMS,
  DEFAULT_MAX_NEIGHBOURS,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_PENDING_PUBLISHES,
  DEFAULT_MAX_QUEUED_BYTES_PER_NEIGHBOUR,
  DEFAULT_MAX_QUEUED_FRAMES_PER_NEIGHBOUR,
  DEFAULT_MAX_TOPIC_BYTES,
  DEFAULT_PUBLISH_BATCH_WINDOW_MS,
  DEFAULT_SUBSCRIBER_QUEUE_MESSAGES,
} from '../constants.js'
import type { PubsubNodeInit } from '../pubsub-node.js'
import type { SlowSubscriberPolicy } from './subscription.js'

/** Options of `createPubsub`: the node's (Plumtree timers, limits) plus the service's own. */
export interface PubsubInit extends PubsubNodeInit {
  /** Messages queued per local subscriber. Default 1,024. */
  readonly subscriberQueueSize?: number
  /** What a full subscriber queue does. Default `drop-oldest` (a lagging reader keeps the freshest). */
  readonly slowSubscriberPolicy?: SlowSubscriberPolicy
  /** Frames queued per neighbour stream; past it new frames are dropped and counted. Default 1,024. */
  readonly maxQueuedFramesPerNeighbour?: number
  /** Bytes queued per neighbour stream, same policy. Default 16 MiB. */
  readonly maxQueuedBytesPerNeighbour?: number
  /** Publishes to one topic within this window share one signature; 0 signs each at once. Default 2 ms. */
  readonly publishBatchWindow?: number
  /** Publishes awaiting a batch signature before every batch is signed at once. Default 4,096. */
  readonly maxPendingPublishes?: number
  /** Inbound 'pubsub' streams read at once; more are reset. Default 64. */
  readonly maxInboundStreams?: number
}

/** Per-subscription overrides of the service's subscriber queue options. */
export interface SubscribeOptions {
  /** Default: the service's `subscriberQueueSize`. */
  readonly queueSize?: number
  /** Default: the service's `slowSubscriberPolicy`. */
  readonly slowSubscriberPolicy?: SlowSubscriberPolicy
}

/** What the service itself reads of `PubsubInit`, with defaults applied. */
export interface ServiceLimits {
  readonly maxTopicBytes: number
  readonly maxPayloadBytes: number
  readonly maxBatchMessages: number
  readonly maxNeighbours: number
  readonly maxInboundStreams: number
  readonly maxQueuedFramesPerNeighbour: number
  readonly maxQueuedBytesPerNeighbour: number
  readonly publishBatchWindow: number
  readonly maxPendingPublishes: number
  readonly subscriberQueueSize: number
  readonly slowSubscriberPolicy: SlowSubscriberPolicy
}

export function resolveServiceLimits(init: PubsubInit): ServiceLimits {
  return {
    maxTopicBytes: init.maxTopicBytes ?? DEFAULT_MAX_TOPIC_BYTES,
    maxPayloadBytes: init.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
    maxBatchMessages: init.maxBatchMessages ?? DEFAULT_MAX_BATCH_MESSAGES,
    maxNeighbours: init.maxNeighbours ?? DEFAULT_MAX_NEIGHBOURS,
    maxInboundStreams: init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS,
    maxQueuedFramesPerNeighbour:
      init.maxQueuedFramesPerNeighbour ?? DEFAULT_MAX_QUEUED_FRAMES_PER_NEIGHBOUR,
    maxQueuedBytesPerNeighbour:
      init.maxQueuedBytesPerNeighbour ?? DEFAULT_MAX_QUEUED_BYTES_PER_NEIGHBOUR,
    publishBatchWindow: init.publishBatchWindow ?? DEFAULT_PUBLISH_BATCH_WINDOW_MS,
    maxPendingPublishes: init.maxPendingPublishes ?? DEFAULT_MAX_PENDING_PUBLISHES,
    subscriberQueueSize: init.subscriberQueueSize ?? DEFAULT_SUBSCRIBER_QUEUE_MESSAGES,
    slowSubscriberPolicy: init.slowSubscriberPolicy ?? 'drop-oldest',
  }
}
