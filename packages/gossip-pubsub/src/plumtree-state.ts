// The state of the Plumtree core (Leitão, Pereira, Rodrigues 2007, "Epidemic Broadcast Trees")
// for every topic of one node: eager and lazy push peers per topic (§3.3), messages announced
// but not received with their GRAFT deadlines and announcers (§3.5), IHAVEs waiting to be
// batched (§3.6), and the bounded message cache, seen set and stream tables that answer GRAFTs
// and anti-entropy digests. Interest scoping (docs/protocols/pubsub.md "Interest-scoped trees")
// adds per topic the local interest and the last announcer, and per missing message whether it
// was relayed onwards or requested by a grafter.
import {
  DEFAULT_ANNOUNCEMENT_TTL_MS,
  DEFAULT_ANTI_ENTROPY_INTERVAL_MS,
  DEFAULT_GRAFT_RETRY_TIMEOUT_MS,
  DEFAULT_GRAFT_TIMEOUT_MS,
  DEFAULT_IHAVE_FLUSH_MS,
  DEFAULT_FORWARD_ONLY_ANNOUNCEMENT_DELAY_MS,
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
  DEFAULT_PUBLISHER_INTEREST_TTL_MS,
  DEFAULT_PUBLISHER_JOIN_COUNT,
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
  /** Wait before GRAFTing the next announcer (paper: timeout2). Default 400. */
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
  /**
   * A node that published `publisherJoinCount` envelopes to a topic within this window is a
   * steady publisher: interested in (in the tree of) the topic. Default 10,000.
   */
  readonly publisherInterestTtl?: number
  /** Publishes within `publisherInterestTtl` that make a steady publisher (at least 1). Default 4. */
  readonly publisherJoinCount?: number
  /**
   * A one-off publisher announces its forward-only message this long after the push (the tree
   * announces it first; this covers a push that never reached the tree). Default 500.
   */
  readonly forwardOnlyAnnouncementDelay?: number
  /** An uninterested node remembers an announced message it lacks this long, to serve a GRAFT. Default 5,000. */
  readonly announcementTtl?: number
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
    publisherInterestTtl: init.publisherInterestTtl ?? DEFAULT_PUBLISHER_INTEREST_TTL_MS,
    publisherJoinCount: Math.max(1, init.publisherJoinCount ?? DEFAULT_PUBLISHER_JOIN_COUNT),
    forwardOnlyAnnouncementDelay:
      init.forwardOnlyAnnouncementDelay ?? DEFAULT_FORWARD_ONLY_ANNOUNCEMENT_DELAY_MS,
    announcementTtl: init.announcementTtl ?? DEFAULT_ANNOUNCEMENT_TTL_MS,
  }
}

/** The spanning-tree links of one topic. A peer is in at most one of the two sets. */
export interface TopicTree {
  readonly eager: Set<PeerId>
  readonly lazy: Set<PeerId>
  readonly streams: StreamTable
  /** Joined locally: never dropped to make room for another topic. */
  joined: boolean
  /** Times of the last `publisherJoinCount` local publishes, oldest first (a steady publisher's window). */
  readonly publishes: number[]
  /** The neighbour that most recently announced a message of the topic (first announcer of the newest). */
  lastAnnouncer: PeerId | undefined
  /** The neighbour that last pushed a payload of the topic here along the tree: the way into it. */
  treeward: PeerId | undefined
  /** Missing messages of the topic a neighbour GRAFTed here: the node relays for them, so it does not trim. */
  serving: number
  /** A relay's count of mismatching digest summaries in a row, per neighbour (anti-entropy.ts). */
  readonly mismatches: Map<PeerId, number>
}

/** A message announced by IHAVE but not received yet (§3.5: the `missing` set and its timer). */
export interface MissingMessage {
  readonly topic: string
  /** Who announced it and at how many hops, in arrival order; GRAFTs go to them in turn. */
  readonly announcers: { readonly peer: PeerId; readonly hops: number }[]
  deadline: number
  /** This node (uninterested) announced it onwards, so it does not announce it again on arrival. */
  relayed: boolean
  /** A neighbour GRAFTed it here: the node GRAFTs its announcers on the grafter's behalf. */
  requested: boolean
}

/** A one-off publish to announce at `at` to the lazy links but the one it was pushed to. */
export interface DeferredAnnouncement {
  readonly topic: string
  readonly at: number
  readonly pushedTo: PeerId | undefined
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
  /** Announcements of unseen messages relayed onwards by this node while out of a tree. */
  announcements_relayed: number
  /** Announced messages an uninterested node forgot after `announcementTtl`, nobody having asked. */
  announcements_expired: number
  /** GRAFTs forwarded for a grafter (recursive GRAFT) because this node lacked the message or link. */
  grafts_forwarded: number
  /** PRUNEs this node sent to leave a topic's tree as an uninterested leaf. */
  trimmed: number
  /** First copies this node, out of a topic's tree, pushed forward-only towards it. */
  forwarded_only: number
  /** Forward-only first copies this node took into the tree (it had eager links). */
  forward_only_entered: number
}

export interface PlumtreeState {
  readonly config: PlumtreeConfig
  readonly neighbours: Set<PeerId>
  /** Least recently active first. */
  readonly topics: Map<string, TopicTree>
  readonly missing: Map<MessageId, MissingMessage>
  /**
   * One-off publishes not yet announced, in publish order (at most `maxMissingMessages`; past it
   * the oldest is announced at once).
   */
  readonly deferredAnnouncements: Map<MessageId, DeferredAnnouncement>
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
    deferredAnnouncements: new Map(),
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
      announcements_relayed: 0,
      announcements_expired: 0,
      grafts_forwarded: 0,
      trimmed: 0,
      forwarded_only: 0,
      forward_only_entered: 0,
    },
    ihaveFlushAt: undefined,
    nextAntiEntropyAt: now + config.antiEntropyInterval,
  }
}

/**
 * The tree of `topic`, marked most recently active. Created on first use with every neighbour
 * eager when the node joins (§3.3: a new topic starts as flooding and PRUNEs itself into a
 * tree), and with every neighbour lazy otherwise: an uninterested node (a one-off publisher too)
 * starts out of the tree and enters it only when a grafter needs it.
 */
export function treeOf(state: PlumtreeState, topic: string, startEager = false): TopicTree {
  let tree = state.topics.get(topic)
  if (tree !== undefined) {
    state.topics.delete(topic)
    state.topics.set(topic, tree)
    return tree
  }
  if (state.topics.size >= state.config.maxTopics) dropStalestTopic(state)
  tree = {
    eager: new Set(startEager ? state.neighbours : []),
    lazy: new Set(startEager ? [] : state.neighbours),
    streams: new StreamTable({
      maxStreams: state.config.maxStreamsPerTopic,
      maxOutOfOrder: state.config.maxOutOfOrder,
    }),
    joined: false,
    publishes: [],
    lastAnnouncer: undefined,
    treeward: undefined,
    serving: 0,
    mismatches: new Map(),
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

/**
 * Subscribed locally, or a steady publisher (its last `publisherJoinCount` publishes all within
 * `publisherInterestTtl`): such a node never trims itself. A one-off publisher is not interested.
 */
export function isInterested(state: PlumtreeState, tree: TopicTree, now: number): boolean {
  if (tree.joined) return true
  const { publisherJoinCount, publisherInterestTtl } = state.config
  const oldest = tree.publishes[0]
  return (
    tree.publishes.length >= publisherJoinCount &&
    oldest !== undefined &&
    now < oldest + publisherInterestTtl
  )
}

/** Remembers a local publish; only the last `publisherJoinCount` are kept. */
export function recordPublish(state: PlumtreeState, tree: TopicTree, now: number): void {
  tree.publishes.push(now)
  if (tree.publishes.length > state.config.publisherJoinCount) tree.publishes.shift()
}

/** Interested or in the tree (eager links): only such a node keeps the topic in sync by anti-entropy. */
export function carries(state: PlumtreeState, tree: TopicTree, now: number): boolean {
  return tree.eager.size > 0 || isInterested(state, tree, now)
}

/** Forgets a missing message; one a grafter asked for no longer holds the node in the tree. */
export function forgetMissing(state: PlumtreeState, id: MessageId, missing: MissingMessage): void {
  state.missing.delete(id)
  if (!missing.requested) return
  const tree = state.topics.get(missing.topic)
  if (tree !== undefined) tree.serving = Math.max(0, tree.serving - 1)
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
  // Deferred in publish order, all with the same delay: the first is due first.
  for (const deferred of state.deferredAnnouncements.values()) {
    wakeAt = Math.min(wakeAt, deferred.at)
    break
  }
  for (const missing of state.missing.values()) wakeAt = Math.min(wakeAt, missing.deadline)
  return wakeAt
}
