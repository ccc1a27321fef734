// Plumtree push (Leitão, Pereira, Rodrigues 2007, §3.3, §3.6 and §3.8): a first copy is pushed
// eagerly along the tree and announced lazily (IHAVE, batched per peer) to the other neighbours;
// a duplicate turns its link lazy with a PRUNE; a lazy link that proves much shorter replaces the
// eager one. With interest scoping, an uninterested node that ends up a leaf trims itself, and a
// node out of the tree pushes a first copy forward-only towards it (plumtree-interest.ts). Pure
// transitions over `PlumtreeState`, appending to `actions`.
import type { CachedEnvelope } from './message-cache.js'
import type { EnvelopeSummary, PlumtreeAction } from './plumtree.js'
import {
  forwardTarget,
  hasEagerBesides,
  joinBeforePublish,
  trimIfLeaf,
} from './plumtree-interest.js'
import {
  forgetMissing,
  isInterested,
  makeEager,
  makeLazy,
  recordPublish,
  treeOf,
  type DeferredAnnouncement,
  type MissingMessage,
  type PeerId,
  type PlumtreeState,
  type TopicTree,
} from './plumtree-state.js'
import type { Announcement } from './pubsub-frame.js'
import type { MessageId } from './signed-envelope.js'

/**
 * §3.3 Broadcast. A steady publisher is interested: it joins the tree and pushes down it. A
 * one-off publisher out of the tree pushes forward-only towards it instead, so it adds no branch.
 */
export function publish(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  envelope: EnvelopeSummary,
  now: number,
): void {
  const tree = treeOf(state, envelope.topic)
  recordPublish(state, tree, now)
  const interested = isInterested(state, tree, now)
  if (interested) joinBeforePublish(state, tree)
  deliverFirstCopy(state, actions, undefined, 0, envelope, now, !interested)
}

/**
 * §3.3 receive GOSSIP (first copy): remember, cache, push eagerly, announce lazily. A
 * forward-only copy (or a one-off publish) reaching a node out of the tree goes on forward-only
 * towards the tree; in the tree it is pushed to every eager link. Either way it reshapes nothing.
 */
export function deliverFirstCopy(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId | undefined,
  hops: number,
  envelope: EnvelopeSummary,
  now: number,
  forwardOnly = false,
): void {
  const { id, topic } = envelope
  const tree = treeOf(state, topic)
  const cached: CachedEnvelope = { ...envelope, hops, insertedAt: now }
  state.seen.add(id, topic, now)
  state.cache.insert(cached, now)
  tree.streams.record(
    envelope.origin,
    envelope.epoch,
    envelope.firstSequence,
    envelope.lastSequence,
    now,
  )
  const missing = state.missing.get(id)
  if (missing !== undefined) {
    forgetMissing(state, id, missing)
    state.counters.missing_recovered++
  }
  if (forwardOnly && !hasEagerBesides(tree, from)) {
    forwardOutOfTree(state, actions, tree, from, hops, cached, now)
    return
  }
  if (forwardOnly) state.counters.forward_only_entered++
  // The sender pushes along the tree: the way back into it once this node has left.
  else if (from !== undefined && hops > 0) tree.treeward = from
  if (!keepsRepair(state, tree, from, hops, missing, now))
    pushEagerly(state, actions, tree, from, hops, cached)
  // A relayed announcement already told every lazy neighbour where to GRAFT it from.
  if (missing?.relayed !== true)
    announce(state, actions, tree, topic, { id, hops: hops + 1 }, from, now)
  // A repair (hops 0) and a forward-only copy travel outside the tree: they must not reshape it.
  if (from === undefined || hops === 0 || forwardOnly) return
  makeEager(tree, from)
  if (missing !== undefined) optimize(state, actions, tree, topic, from, hops, missing.announcers)
  trimIfLeaf(state, actions, topic, tree, now)
}

/**
 * A forward-only copy (or a one-off publish) at a node out of the tree goes on forward-only
 * towards the tree. The tree announces it once the push reaches it, so grafters join the tree:
 * path nodes do not announce it, and the publisher only late, in case the push never got there.
 */
function forwardOutOfTree(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  tree: TopicTree,
  from: PeerId | undefined,
  hops: number,
  cached: CachedEnvelope,
  now: number,
): void {
  const to = forwardTarget(state, tree, from)
  if (to !== undefined) {
    actions.push({ type: 'send-message', to, hops: hops + 1, forwardOnly: true, envelope: cached })
    state.counters.forwarded_only++
  }
  if (from === undefined) deferAnnouncement(state, actions, cached.id, cached.topic, to, now)
}

/** §3.6 lazy push of a message to every lazy link but `except`. */
function announce(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  tree: TopicTree,
  topic: string,
  announcement: Announcement,
  except: PeerId | undefined,
  now: number,
): void {
  for (const peer of tree.lazy)
    if (peer !== except) queueIHave(state, actions, peer, topic, announcement, now)
}

function deferAnnouncement(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  id: MessageId,
  topic: string,
  pushedTo: PeerId | undefined,
  now: number,
): void {
  const deferred = state.deferredAnnouncements
  if (deferred.size >= state.config.maxMissingMessages) {
    for (const [oldest, entry] of deferred) {
      announceNow(state, actions, oldest, entry, now)
      break
    }
  }
  deferred.set(id, { topic, at: now + state.config.forwardOnlyAnnouncementDelay, pushedTo })
}

/** Announces the deferred one-off publishes that are due (they are in order of due time). */
export function announceDeferred(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  now: number,
): void {
  for (const [id, deferred] of state.deferredAnnouncements) {
    if (deferred.at > now) return
    announceNow(state, actions, id, deferred, now)
  }
}

function announceNow(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  id: MessageId,
  deferred: DeferredAnnouncement,
  now: number,
): void {
  state.deferredAnnouncements.delete(id)
  const tree = state.topics.get(deferred.topic)
  if (tree !== undefined)
    announce(state, actions, tree, deferred.topic, { id, hops: 1 }, deferred.pushedTo, now)
}

/**
 * A relay (uninterested, in the tree) keeps a repair it receives rather than push it on: its
 * stream table lags wherever it was out of the tree, so its peers repair it with messages that
 * the subscribers behind it already have. Those subscribers ask it by digest for what they lack.
 * A grafter waiting on it for the message still gets it.
 */
function keepsRepair(
  state: PlumtreeState,
  tree: TopicTree,
  from: PeerId | undefined,
  hops: number,
  missing: MissingMessage | undefined,
  now: number,
): boolean {
  return (
    from !== undefined &&
    hops === 0 &&
    missing?.requested !== true &&
    !isInterested(state, tree, now)
  )
}

/** §3.3: the first copy goes to every eager link but the one it came from. */
function pushEagerly(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  tree: TopicTree,
  from: PeerId | undefined,
  hops: number,
  cached: CachedEnvelope,
): void {
  // A repair goes on down the tree (from an interested node) still marked as a repair (hops 0):
  // an eager neighbour that already has it must not take it for a redundant link and PRUNE it.
  const pushHops = from !== undefined && hops === 0 ? 0 : hops + 1
  for (const peer of tree.eager) {
    if (peer === from) continue
    actions.push({ type: 'send-message', to: peer, hops: pushHops, envelope: cached })
    state.counters.eager_sent++
  }
}

/**
 * §3.8: when a lazy announcer offered this message at least `optimizationThreshold` hops
 * sooner than the eager copy took, swap the links: GRAFT the announcer, PRUNE the eager sender.
 */
function optimize(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  tree: TopicTree,
  topic: string,
  from: PeerId,
  hops: number,
  announcers: readonly { readonly peer: PeerId; readonly hops: number }[],
): void {
  let best: { readonly peer: PeerId; readonly hops: number } | undefined
  for (const announcer of announcers) {
    if (announcer.peer === from || !state.neighbours.has(announcer.peer)) continue
    if (best === undefined || announcer.hops < best.hops) best = announcer
  }
  if (best === undefined || hops - best.hops < state.config.optimizationThreshold) return
  makeEager(tree, best.peer)
  makeLazy(tree, from)
  actions.push({ type: 'send', to: best.peer, frame: { type: 'graft', topic, ids: [] } })
  actions.push({ type: 'send', to: from, frame: { type: 'prune', topic } })
  state.counters.graft_sent++
  state.counters.prune_sent++
}

/** §3.3 receive GOSSIP (duplicate): the link is redundant, so make it lazy and PRUNE it. */
export function onDuplicate(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId,
  id: MessageId,
  now: number,
): void {
  const topic = state.seen.topicOf(id, now)
  const tree = topic === undefined ? undefined : state.topics.get(topic)
  if (topic === undefined || tree === undefined) return
  // Duplicates are the hot path: no LRU touch of the topic here. The sender pushes eagerly, so
  // it is in the tree.
  tree.treeward = from
  makeLazy(tree, from)
  actions.push({ type: 'send', to: from, frame: { type: 'prune', topic } })
  state.counters.prune_sent++
  trimIfLeaf(state, actions, topic, tree, now)
}

/** §3.6 lazy push: announcements to one peer wait for the flush, or go at once when a frame is full. */
export function queueIHave(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  peer: PeerId,
  topic: string,
  announcement: Announcement,
  now: number,
): void {
  let byTopic = state.lazyQueue.get(peer)
  if (byTopic === undefined) {
    byTopic = new Map()
    state.lazyQueue.set(peer, byTopic)
  }
  const queue = byTopic.get(topic) ?? []
  queue.push(announcement)
  state.counters.ihave_announced++
  if (queue.length >= state.config.maxIdsPerFrame) {
    byTopic.delete(topic)
    actions.push({ type: 'send', to: peer, frame: { type: 'ihave', topic, announcements: queue } })
    return
  }
  byTopic.set(topic, queue)
  state.ihaveFlushAt ??= now + state.config.ihaveFlushInterval
}

/** §3.6: the batching window has ended; every queued announcement goes out. */
export function flushIHaves(state: PlumtreeState, actions: PlumtreeAction[]): void {
  for (const [peer, byTopic] of state.lazyQueue) {
    for (const [topic, announcements] of byTopic) {
      actions.push({ type: 'send', to: peer, frame: { type: 'ihave', topic, announcements } })
    }
  }
  state.lazyQueue.clear()
  state.ihaveFlushAt = undefined
}
