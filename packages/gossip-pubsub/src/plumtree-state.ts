// The state of the Plumtree core (Leitão, Pereira, Rodrigues 2007, "Epidemic Broadcast Trees")
// for every topic of one node: eager and lazy push peers per topic (§3.3), messages announced
// but not received with their GRAFT deadlines and announcers (§3.5), IHAVEs waiting to be
// batched (§3.6), and the bounded message cache, seen set and stream tables that answer GRAFTs
// and anti-entropy digests.
import {
  DEFAULT_ANTI_ENTROPY_INTERVAL_MS,
  DEFAULT_GRAFT_RETRY_TIMEOUT_MS,
  DEFAULT_GRAFT_TIMEOUT_MS,
  DEFAULT_IHAVE_FLUSH_MS,
  DEFAULT_MAX_ANNOUNCERS_PER_MESSAGE,
  DEFAULT_MAX_CACHE_AGE_MS,
  DEFAULT_MAX_CACHE_BYTES,
  DEFAULT_MAX_CACHE_MESSAGES,
  DEFAULT_MAX_DIGEST_ENTRIES,
  DEFAULT_MAX_IDS_PER_FRAME,
  DEFAULT_MAX_MISSING_MESSAGES,
  DEFAULT_MAX_NEIGHBOURS,
  DEFAULT_MAX_OUT_OF_ORDER,
  DEFAULT_MAX_REPAIR_MESSAGES,
  DEFAULT_REPAIR_DELAY_MS,
  DEFAULT_MAX_SEEN_MESSAGES,
  DEFAULT_MAX_STREAMS_PER_TOPIC,
  DEFAULT_MAX_TOPICS,
  DEFAULT_OPTIMIZATION_THRESHOLD,
  DEFAULT_SEEN_TTL_MS,
} from './constants.js'
import { MessageCache } from './message-cache.js'
import type { Announcement } from './pubsub-frame.js'
import { SeenSet } from './seen-set.js'
import type { MessageId } from './signed-envelope.js'
import { StreamTable } from './stream-table.js'

/** A neighbour, as the membership layer names it (a machine id in x0x). */
export type PeerId = string

/** Options of the Plumtree core. Times are in milliseconds. */
export interface PlumtreeInit {
  /** Wait after the first IHAVE of a missing message before the first GRAFT (paper: timeout1). Default 250. */
  readonly graftTimeout?: number
  /** Wait before GRAFTing the next announcer (paper: timeout2). Default 100. */
  readonly graftRetryTimeout?: number
  /** Window over which IHAVEs to one peer are batched. Default 20. */
  readonly ihaveFlushInterval?: number
  /** Hop gap at which a lazy link replaces an eager one (§3.8). Default 7. */
  readonly optimizationThreshold?: number
  /** Announcers remembered per missing message. Default 8. */
  readonly maxAnnouncersPerMessage?: number
  /** Missing messages tracked at once; the oldest is abandoned beyond it. Default 4,096. */
  readonly maxMissingMessages?: number
  /** Most ids per IHAVE or GRAFT frame. Default 256. */
  readonly maxIdsPerFrame?: number
  /** Period of anti-entropy digest rounds. Default 2,000. */
  readonly antiEntropyInterval?: number
  /** Cached envelopes pushed to one neighbour per digest. Default 256. */
  readonly maxRepairMessages?: number
  /** Age below which a message is not repaired, as it is still travelling the tree. Default 1,000. */
  readonly repairDelay?: number
  /** Entries sent in one digest. Default 1,024. */
  readonly maxDigestEntries?: number
  /** Message cache: most envelopes. Default 10,000. */
  readonly maxCacheMessages?: number
  /** Message cache: most bytes. Default 64 MiB. */
  readonly maxCacheBytes?: number
  /** Message cache: most age, the repair window. Default 120,000. */
  readonly maxCacheAge?: number
  /** Seen ids remembered (dedup). Default 300,000. */
  readonly maxSeenMessages?: number
  /** How long a seen id is remembered; keep it above `maxCacheAge`. Default 180,000. */
  readonly seenTtl?: number
  /** Streams tracked per topic for digests. Default 4,096. */
  readonly maxStreamsPerTopic?: number
  /** Out-of-order sequences remembered per stream. Default 1,024. */
  readonly maxOutOfOrder?: number
  /** Topics with tree state; the least recently active unjoined topic is dropped. Default 1,024. */
  readonly maxTopics?: number
  /** Neighbours admitted; `neighbour-up` beyond it is ignored. Default 64. */
  readonly maxNeighbours?: number
}

export type PlumtreeConfig = Required<PlumtreeInit>

export function resolvePlumtreeConfig(init: PlumtreeInit = {}): PlumtreeConfig {
  return {
    graftTimeout: init.graftTimeout ?? DEFAULT_GRAFT_TIMEOUT_MS,
    graftRetryTimeout: init.graftRetryTimeout ?? DEFAULT_GRAFT_RETRY_TIMEOUT_MS,
    ihaveFlushInterval: init.ihaveFlushInterval ?? DEFAULT_IHAVE_FLUSH_MS,
    optimizationThreshold: init.optimizationThreshold ?? DEFAULT_OPTIMIZATION_THRESHOLD,
    maxAnnouncersPerMessage: init.maxAnnouncersPerMessage ?? DEFAULT_MAX_ANNOUNCERS_PER_MESSAGE,
    maxMissingMessages: init.maxMissingMessages ?? DEFAULT_MAX_MISSING_MESSAGES,
    maxIdsPerFrame: init.maxIdsPerFrame ?? DEFAULT_MAX_IDS_PER_FRAME,
    antiEntropyInterval: init.antiEntropyInterval ?? DEFAULT_ANTI_ENTROPY_INTERVAL_MS,
    maxRepairMessages: init.maxRepairMessages ?? DEFAULT_MAX_REPAIR_MESSAGES,
    repairDelay: init.repairDelay ?? DEFAULT_REPAIR_DELAY_MS,
    maxDigestEntries: init.maxDigestEntries ?? DEFAULT_MAX_DIGEST_ENTRIES,
    maxCacheMessages: init.maxCacheMessages ?? DEFAULT_MAX_CACHE_MESSAGES,
    maxCacheBytes: init.maxCacheBytes ?? DEFAULT_MAX_CACHE_BYTES,
    maxCacheAge: init.maxCacheAge ?? DEFAULT_MAX_CACHE_AGE_MS,
    maxSeenMessages: init.maxSeenMessages ?? DEFAULT_MAX_SEEN_MESSAGES,
    seenTtl: init.seenTtl ?? DEFAULT_SEEN_TTL_MS,
    maxStreamsPerTopic: init.maxStreamsPerTopic ?? DEFAULT_MAX_STREAMS_PER_TOPIC,
    maxOutOfOrder: init.maxOutOfOrder ?? DEFAULT_MAX_OUT_OF_ORDER,
    maxTopics: init.maxTopics ?? DEFAULT_MAX_TOPICS,
    maxNeighbours: init.maxNeighbours ?? DEFAULT_MAX_NEIGHBOURS,
  }
}

/** The spanning-tree links of one topic. A peer is in at most one of the two sets. */
export interface TopicTree {
  readonly eager: Set<PeerId>
  readonly lazy: Set<PeerId>
  readonly streams: StreamTable
  /** Joined locally: never dropped to make room for another topic. */
  joined: boolean
}

/** A message announced by IHAVE but not received yet (§3.5: the `missing` set and its timer). */
export interface MissingMessage {
  readonly topic: string
  /** Who announced it and at how many hops, in arrival order; GRAFTs go to them in turn. */
  readonly announcers: { readonly peer: PeerId; readonly hops: number }[]
  deadline: number
}

/** Counters of the core, for `/diagnostics/gossip`. */
export interface PlumtreeCounters {
  eager_sent: number
  ihave_announced: number
  graft_sent: number
  prune_sent: number
  missing_recovered: number
  missing_abandoned: number
  digest_summaries_sent: number
  digests_sent: number
  repair_sent: number
}

export interface PlumtreeState {
  readonly config: PlumtreeConfig
  readonly neighbours: Set<PeerId>
  /** Least recently active first. */
  readonly topics: Map<string, TopicTree>
  readonly missing: Map<MessageId, MissingMessage>
  /** IHAVEs waiting for the flush, by peer then topic. */
  readonly lazyQueue: Map<PeerId, Map<string, Announcement[]>>
  readonly seen: SeenSet
  readonly cache: MessageCache
  readonly counters: PlumtreeCounters
  ihaveFlushAt: number | undefined
  nextAntiEntropyAt: number
}

/** A fresh core with no neighbours; the first anti-entropy round is one interval after `now`. */
export function createPlumtreeState(init: PlumtreeInit = {}, now = 0): PlumtreeState {
  const config = resolvePlumtreeConfig(init)
  return {
    config,
    neighbours: new Set(),
    topics: new Map(),
    missing: new Map(),
    lazyQueue: new Map(),
    seen: new SeenSet(config.maxSeenMessages, config.seenTtl),
    cache: new MessageCache({
      maxMessages: config.maxCacheMessages,
      maxBytes: config.maxCacheBytes,
      maxAge: config.maxCacheAge,
    }),
    counters: {
      eager_sent: 0,
      ihave_announced: 0,
      graft_sent: 0,
      prune_sent: 0,
      missing_recovered: 0,
      missing_abandoned: 0,
      digest_summaries_sent: 0,
      digests_sent: 0,
      repair_sent: 0,
    },
    ihaveFlushAt: undefined,
    nextAntiEntropyAt: now + config.antiEntropyInterval,
  }
}

/**
 * The tree of `topic`, created on first use with every neighbour eager (§3.3: a new topic starts
 * as flooding and PRUNEs itself into a tree). Marks it most recently active.
 */
export function treeOf(state: PlumtreeState, topic: string): TopicTree {
  let tree = state.topics.get(topic)
  if (tree !== undefined) {
    state.topics.delete(topic)
    state.topics.set(topic, tree)
    return tree
  }
  if (state.topics.size >= state.config.maxTopics) dropStalestTopic(state)
  tree = {
    eager: new Set(state.neighbours),
    lazy: new Set(),
    streams: new StreamTable({
      maxStreams: state.config.maxStreamsPerTopic,
      maxOutOfOrder: state.config.maxOutOfOrder,
    }),
    joined: false,
  }
  state.topics.set(topic, tree)
  return tree
}

function dropStalestTopic(state: PlumtreeState): void {
  for (const [topic, tree] of state.topics) {
    if (tree.joined) continue
    state.topics.delete(topic)
    for (const queue of state.lazyQueue.values()) queue.delete(topic)
    return
  }
}

export function makeEager(tree: TopicTree, peer: PeerId): void {
  tree.lazy.delete(peer)
  tree.eager.add(peer)
}

export function makeLazy(tree: TopicTree, peer: PeerId): void {
  tree.eager.delete(peer)
  tree.lazy.add(peer)
}

/** The earliest time the core needs a `tick`: an IHAVE flush, a GRAFT timer or a digest round. */
export function nextWakeAt(state: PlumtreeState): number {
  let wakeAt = state.nextAntiEntropyAt
  if (state.ihaveFlushAt !== undefined) wakeAt = Math.min(wakeAt, state.ihaveFlushAt)
  for (const missing of state.missing.values()) wakeAt = Math.min(wakeAt, missing.deadline)
  return wakeAt
}
