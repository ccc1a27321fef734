/**
 * `@x0x/gossip-pubsub`: topic publish/subscribe for x0x (layer 4). Plumtree (Leitão, Pereira,
 * Rodrigues 2007, "Epidemic Broadcast Trees") per topic over the membership overlay: eager push
 * along a spanning tree, lazy IHAVE announcements to the other neighbours, GRAFT when an
 * announced message does not arrive in time, PRUNE of redundant links, and anti-entropy digests
 * that recover what a partition or a burst lost. Every message is signed once by its origin agent
 * (ML-DSA-65, several messages may share one signature) and verified once per node, after a
 * dedup on the hash of the signed bytes; nothing unverified is delivered or forwarded.
 *
 * The core is pure (`step(state, input, now) → { state, actions }`); `createPubsubNode` adds the
 * codecs, dedup, key distribution and verification, still without I/O or clock reads.
 *
 * @example
 * ```ts
 * import { createPqcBackend } from '@x0x/pqc'
 * import { createPubsubNode } from '@x0x/gossip-pubsub'
 *
 * const backend = createPqcBackend('native')
 * const alice = createPubsubNode({ backend, agentKey: backend.generateMlDsa65KeyPair() })
 * const bob = createPubsubNode({ backend })
 * let now = 0
 * alice.neighbourUp('bob', now)
 * bob.neighbourUp('alice', now)
 * bob.subscribe('news', now)
 *
 * const { sends } = alice.publish('news', [new TextEncoder().encode('hello')], now)
 * for (const { frame } of sends) {
 *   const { deliveries } = bob.receive('alice', frame, (now += 10))
 *   console.log(deliveries[0]?.topic) // 'news', verified against alice's agent key
 * }
 * ```
 *
 * @packageDocumentation
 */
export {
  createPubsub,
  type Pubsub,
  type PubsubComponents,
  type PubsubInit,
  type PubsubStats,
  type SubscribeOptions,
} from './service/pubsub-service.js'
export type { PubsubMessage, SlowSubscriberPolicy, Subscription } from './service/subscription.js'
export type { PubsubServiceStats } from './service/service-stats.js'
export type { NeighbourLinkCounters } from './service/neighbour-links.js'
export {
  createPubsubNode,
  type Delivery,
  type Outbound,
  type PubsubNode,
  type PubsubNodeComponents,
  type PubsubNodeInit,
  type PubsubNodeStats,
  type PubsubOutput,
} from './pubsub-node.js'
export type { GossipStats, PubsubStageStats } from './pubsub-stats.js'
export {
  step,
  type EnvelopeSummary,
  type PlumtreeAction,
  type PlumtreeInput,
  type PlumtreeStep,
} from './plumtree.js'
export {
  createPlumtreeState,
  nextWakeAt,
  resolvePlumtreeConfig,
  type MissingMessage,
  type PeerId,
  type PlumtreeConfig,
  type PlumtreeCounters,
  type PlumtreeInit,
  type PlumtreeState,
  type TopicTree,
} from './plumtree-state.js'
export { MessageCache, type CachedEnvelope, type MessageCacheLimits } from './message-cache.js'
export { SeenSet } from './seen-set.js'
export { StreamTable, type StreamTableLimits } from './stream-table.js'
export {
  PUBSUB_SIGNING_CONTEXT,
  decodeEnvelope,
  lastSequence,
  messageIdOf,
  resolveEnvelopeLimits,
  signEnvelope,
  signedBodyOf,
  verifyEnvelope,
  type EnvelopeContent,
  type EnvelopeLimits,
  type MessageId,
  type ResolvedEnvelopeLimits,
  type SignedEnvelope,
} from './signed-envelope.js'
export {
  FRAME_TYPES,
  decodeFrame,
  encodeFrame,
  encodeMessageFrame,
  resolveFrameLimits,
  type Announcement,
  type DigestEntry,
  type FrameLimits,
  type PubsubFrame,
  type ResolvedFrameLimits,
} from './pubsub-frame.js'
export {
  InvalidTopicError,
  PayloadTooLargeError,
  PubsubStoppedError,
  VerifyWorkerCrashedError,
} from './errors.js'
export {
  createVerifyPool,
  type VerifyJob,
  type VerifyPool,
  type VerifyPoolInit,
  type VerifyPoolStats,
} from './verify-pool.js'
export {
  PUBSUB_SIGNING_CONTEXT_LABEL,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_BATCH_MESSAGES,
  DEFAULT_MAX_TOPIC_BYTES,
  DEFAULT_SUBSCRIBER_QUEUE_MESSAGES,
  DEFAULT_MAX_QUEUED_FRAMES_PER_NEIGHBOUR,
  DEFAULT_MAX_QUEUED_BYTES_PER_NEIGHBOUR,
  DEFAULT_PUBLISH_BATCH_WINDOW_MS,
  DEFAULT_MAX_PENDING_PUBLISHES,
  DEFAULT_MAX_INBOUND_STREAMS,
  DEFAULT_VERIFY_POOL_WORKERS,
  DEFAULT_VERIFY_POOL_MAX_QUEUED,
  DEFAULT_VERIFY_POOL_MAX_IN_FLIGHT_PER_WORKER,
} from './constants.js'
