// Plumtree push (Leitão, Pereira, Rodrigues 2007, §3.3, §3.6 and §3.8): a first copy is pushed
// eagerly along the tree and announced lazily (IHAVE, batched per peer) to the other neighbours;
// a duplicate turns its link lazy with a PRUNE; a lazy link that proves much shorter replaces the
// eager one. Pure transitions over `PlumtreeState`, appending to `actions`.
import type { CachedEnvelope } from './message-cache.js'
import type { EnvelopeSummary, PlumtreeAction } from './plumtree.js'
import {
  makeEager,
  makeLazy,
  treeOf,
  type PeerId,
  type PlumtreeState,
  type TopicTree,
} from './plumtree-state.js'
import type { Announcement } from './pubsub-frame.js'
import type { MessageId } from './signed-envelope.js'

/** §3.3 receive GOSSIP (first copy) and Broadcast: remember, cache, push eagerly, announce lazily. */
export function deliverFirstCopy(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId | undefined,
  hops: number,
  envelope: EnvelopeSummary,
  now: number,
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
    state.missing.delete(id)
    state.counters.missing_recovered++
  }
  for (const peer of tree.eager) {
    if (peer === from) continue
    actions.push({ type: 'send-message', to: peer, hops: hops + 1, envelope: cached })
    state.counters.eager_sent++
  }
  for (const peer of tree.lazy) {
    if (peer !== from) queueIHave(state, actions, peer, topic, { id, hops: hops + 1 }, now)
  }
  // A repair (hops 0) travels outside the tree, so it must not reshape it.
  if (from === undefined || hops === 0) return
  makeEager(tree, from)
  if (missing !== undefined) optimize(state, actions, tree, topic, from, hops, missing.announcers)
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
  // Duplicates are the hot path: no LRU touch of the topic here.
  makeLazy(tree, from)
  actions.push({ type: 'send', to: from, frame: { type: 'prune', topic } })
  state.counters.prune_sent++
}

/** §3.6 lazy push: announcements to one peer wait for the flush, or go at once when a frame is full. */
function queueIHave(
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
