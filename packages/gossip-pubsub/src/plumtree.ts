// The Plumtree transitions (Leitão, Pereira, Rodrigues 2007, Algorithms 1 and 2): a pure
// function `step(state, input, now) → { state, actions }` with no I/O and no clock reads. For
// speed in simulations of thousands of nodes, `step` updates `state` in place and returns it;
// nothing else holds a reference to it. Verification happens before a message reaches the core:
// every envelope given to `step` is authentic.
import type { AgentId } from '@x0x/pqc'
import { onDigest, onDigestSummary, runAntiEntropyRound, sendSummaries } from './anti-entropy.js'
import type { CachedEnvelope } from './message-cache.js'
import type { Announcement, DigestEntry, PubsubFrame } from './pubsub-frame.js'
import {
  makeEager,
  makeLazy,
  treeOf,
  type PeerId,
  type PlumtreeState,
  type TopicTree,
} from './plumtree-state.js'
import type { MessageId } from './signed-envelope.js'

/** What the core needs of a verified envelope. */
export interface EnvelopeSummary {
  readonly id: MessageId
  readonly topic: string
  readonly origin: AgentId
  readonly epoch: number
  readonly firstSequence: number
  readonly lastSequence: number
  readonly bytes: Uint8Array
}

export type PlumtreeInput =
  /** A local publish (§3.3 Broadcast). */
  | { readonly type: 'broadcast'; readonly envelope: EnvelopeSummary }
  /** The first copy of a verified message; `hops` 0 marks an anti-entropy repair (out of tree). */
  | {
      readonly type: 'message'
      readonly from: PeerId
      readonly hops: number
      readonly envelope: EnvelopeSummary
    }
  /** A copy of a message already seen (found by id, never verified again). */
  | {
      readonly type: 'duplicate'
      readonly from: PeerId
      readonly hops: number
      readonly id: MessageId
    }
  | {
      readonly type: 'ihave'
      readonly from: PeerId
      readonly topic: string
      readonly announcements: readonly Announcement[]
    }
  | {
      readonly type: 'graft'
      readonly from: PeerId
      readonly topic: string
      readonly ids: readonly MessageId[]
    }
  | { readonly type: 'prune'; readonly from: PeerId; readonly topic: string }
  | {
      readonly type: 'digest-summary'
      readonly from: PeerId
      readonly topic: string
      readonly summary: string
    }
  | {
      readonly type: 'digest'
      readonly from: PeerId
      readonly topic: string
      readonly wantsReply: boolean
      readonly entries: readonly DigestEntry[]
    }
  | { readonly type: 'neighbour-up'; readonly peer: PeerId }
  | { readonly type: 'neighbour-down'; readonly peer: PeerId }
  | { readonly type: 'join'; readonly topic: string }
  | { readonly type: 'leave'; readonly topic: string }
  /** Time has reached `nextWakeAt(state)`: flush IHAVEs, fire GRAFT timers, run a digest round. */
  | { readonly type: 'tick' }

export type PlumtreeAction =
  /** Send a MESSAGE frame; hops 0 is an anti-entropy repair. */
  | {
      readonly type: 'send-message'
      readonly to: PeerId
      readonly hops: number
      readonly envelope: CachedEnvelope
    }
  /** Send a control frame. */
  | { readonly type: 'send'; readonly to: PeerId; readonly frame: PubsubFrame }

export interface PlumtreeStep {
  readonly state: PlumtreeState
  readonly actions: PlumtreeAction[]
}

export function step(state: PlumtreeState, input: PlumtreeInput, now: number): PlumtreeStep {
  const actions: PlumtreeAction[] = []
  // Control frames from a peer that is no longer a neighbour are stale: the tree ignores them.
  const fromNeighbour = 'from' in input && state.neighbours.has(input.from)
  switch (input.type) {
    case 'broadcast':
      deliverFirstCopy(state, actions, undefined, 0, input.envelope, now)
      break
    case 'message':
      deliverFirstCopy(
        state,
        actions,
        fromNeighbour ? input.from : undefined,
        input.hops,
        input.envelope,
        now,
      )
      break
    case 'duplicate':
      if (fromNeighbour && input.hops > 0) onDuplicate(state, actions, input.from, input.id, now)
      break
    case 'ihave':
      if (fromNeighbour) onIHave(state, input.from, input.topic, input.announcements, now)
      break
    case 'graft':
      if (fromNeighbour) onGraft(state, actions, input.from, input.topic, input.ids)
      break
    case 'prune':
      if (fromNeighbour) makeLazy(treeOf(state, input.topic), input.from)
      break
    case 'digest-summary':
      if (fromNeighbour) onDigestSummary(state, actions, input.from, input.topic, input.summary)
      break
    case 'digest':
      if (fromNeighbour)
        onDigest(state, actions, input.from, input.topic, input.wantsReply, input.entries, now)
      break
    case 'neighbour-up':
      onNeighbourUp(state, actions, input.peer)
      break
    case 'neighbour-down':
      onNeighbourDown(state, input.peer)
      break
    case 'join':
      treeOf(state, input.topic).joined = true
      break
    case 'leave':
      treeOf(state, input.topic).joined = false
      break
    case 'tick':
      onTick(state, actions, now)
      break
  }
  return { state, actions }
}

/** §3.3 receive GOSSIP (first copy) and Broadcast: remember, cache, push eagerly, announce lazily. */
function deliverFirstCopy(
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
function onDuplicate(
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

/** §3.5 receive IHAVE: remember each unknown id and its announcer; arm its GRAFT timer. */
function onIHave(
  state: PlumtreeState,
  from: PeerId,
  topic: string,
  announcements: readonly Announcement[],
  now: number,
): void {
  treeOf(state, topic)
  const { maxMissingMessages, maxAnnouncersPerMessage, graftTimeout } = state.config
  for (const { id, hops } of announcements) {
    if (state.seen.has(id, now)) continue
    let missing = state.missing.get(id)
    if (missing === undefined) {
      if (state.missing.size >= maxMissingMessages) abandonOldestMissing(state)
      missing = { topic, announcers: [], deadline: now + graftTimeout }
      state.missing.set(id, missing)
    }
    if (missing.topic !== topic || missing.announcers.length >= maxAnnouncersPerMessage) continue
    if (!missing.announcers.some((announcer) => announcer.peer === from)) {
      missing.announcers.push({ peer: from, hops })
    }
  }
}

function abandonOldestMissing(state: PlumtreeState): void {
  const oldest = state.missing.keys().next()
  if (oldest.done === true) return
  state.missing.delete(oldest.value)
  state.counters.missing_abandoned++
}

/** §3.5 receive GRAFT: the link becomes eager and any requested cached message is sent. */
function onGraft(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId,
  topic: string,
  ids: readonly MessageId[],
): void {
  makeEager(treeOf(state, topic), from)
  for (const id of ids) {
    const cached = state.cache.get(id)
    if (cached?.topic !== topic) continue
    actions.push({ type: 'send-message', to: from, hops: cached.hops + 1, envelope: cached })
    state.counters.eager_sent++
  }
}

/** §3.7 NeighborUp: the new neighbour is eager in every topic; a digest summary starts repair. */
function onNeighbourUp(state: PlumtreeState, actions: PlumtreeAction[], peer: PeerId): void {
  if (state.neighbours.has(peer) || state.neighbours.size >= state.config.maxNeighbours) return
  state.neighbours.add(peer)
  for (const tree of state.topics.values()) makeEager(tree, peer)
  sendSummaries(state, actions, [peer])
}

/** §3.7 NeighborDown: forget the peer in every topic and as an announcer. */
function onNeighbourDown(state: PlumtreeState, peer: PeerId): void {
  if (!state.neighbours.delete(peer)) return
  for (const tree of state.topics.values()) {
    tree.eager.delete(peer)
    tree.lazy.delete(peer)
  }
  for (const missing of state.missing.values()) {
    const index = missing.announcers.findIndex((announcer) => announcer.peer === peer)
    if (index !== -1) missing.announcers.splice(index, 1)
  }
  state.lazyQueue.delete(peer)
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

function onTick(state: PlumtreeState, actions: PlumtreeAction[], now: number): void {
  if (state.ihaveFlushAt !== undefined && state.ihaveFlushAt <= now) flushIHaves(state, actions)
  fireGraftTimers(state, actions, now)
  if (state.nextAntiEntropyAt <= now) runAntiEntropyRound(state, actions, now)
}

function flushIHaves(state: PlumtreeState, actions: PlumtreeAction[]): void {
  for (const [peer, byTopic] of state.lazyQueue) {
    for (const [topic, announcements] of byTopic) {
      actions.push({ type: 'send', to: peer, frame: { type: 'ihave', topic, announcements } })
    }
  }
  state.lazyQueue.clear()
  state.ihaveFlushAt = undefined
}

/** §3.5 Timer(mID) expired: GRAFT the next announcer (the link becomes eager), re-arm shorter. */
function fireGraftTimers(state: PlumtreeState, actions: PlumtreeAction[], now: number): void {
  const grafts = new Map<PeerId, Map<string, MessageId[]>>()
  for (const [id, missing] of state.missing) {
    if (missing.deadline > now) continue
    const announcer = missing.announcers.shift()
    if (announcer === undefined) {
      state.missing.delete(id)
      state.counters.missing_abandoned++
      continue
    }
    missing.deadline = now + state.config.graftRetryTimeout
    makeEager(treeOf(state, missing.topic), announcer.peer)
    const byTopic = grafts.get(announcer.peer) ?? new Map<string, MessageId[]>()
    grafts.set(announcer.peer, byTopic)
    const ids = byTopic.get(missing.topic) ?? []
    byTopic.set(missing.topic, ids)
    ids.push(id)
  }
  for (const [peer, byTopic] of grafts) {
    for (const [topic, ids] of byTopic) {
      for (let start = 0; start < ids.length; start += state.config.maxIdsPerFrame) {
        const chunk = ids.slice(start, start + state.config.maxIdsPerFrame)
        actions.push({ type: 'send', to: peer, frame: { type: 'graft', topic, ids: chunk } })
        state.counters.graft_sent++
      }
    }
  }
}
