// Plumtree repair of the tree (Leitão, Pereira, Rodrigues 2007, §3.5): an IHAVE for an unseen
// message arms a timer; when it expires the first announcer is GRAFTed (the link turns eager and
// it sends the message), then the next one after a shorter timeout, until the message arrives or
// the announcers run out. `state.missing` is bounded; what it abandons, anti-entropy repairs.
// Interest scoping (plumtree-interest.ts) adds two rules: an uninterested node (out of the tree,
// or a relay in it) relays the first announcement of an unseen message to its other neighbours,
// so announcements reach every node; and a GRAFT for a message that was announced here but has
// not arrived is forwarded to the announcers at once (recursive GRAFT), so the path to the
// grafter turns eager at every hop. An uninterested node never GRAFTs for itself: its timer only
// forgets the announcement.
import type { PlumtreeAction } from './plumtree.js'
import { onLinkGraft, trimIfLeaf } from './plumtree-interest.js'
import { queueIHave } from './plumtree-push.js'
import {
  forgetMissing,
  isInterested,
  makeEager,
  treeOf,
  type MissingMessage,
  type PeerId,
  type PlumtreeState,
  type TopicTree,
} from './plumtree-state.js'
import type { Announcement } from './pubsub-frame.js'
import type { MessageId } from './signed-envelope.js'

/** §3.5 receive IHAVE: remember each unknown id and its announcer; arm its GRAFT timer. */
export function onIHave(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId,
  topic: string,
  announcements: readonly Announcement[],
  now: number,
): void {
  const tree = treeOf(state, topic)
  const { maxAnnouncersPerMessage } = state.config
  for (const { id, hops } of announcements) {
    if (state.seen.has(id, now)) continue
    let missing = state.missing.get(id)
    if (missing === undefined)
      missing = rememberAnnounced(state, actions, from, topic, tree, id, hops, now)
    if (missing.topic !== topic || missing.announcers.length >= maxAnnouncersPerMessage) continue
    if (!missing.announcers.some((announcer) => announcer.peer === from)) {
      missing.announcers.push({ peer: from, hops })
    }
  }
}

/**
 * A first announcement: an interested node GRAFTs after `graftTimeout`; an uninterested one
 * only keeps it for `announcementTtl` to serve grafters, and relays it once to every other
 * neighbour, along its eager links too when it is a relay of the tree (the subscribers behind it
 * may hear of the message from nowhere else, say a one-off publish whose push missed the tree).
 */
function rememberAnnounced(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId,
  topic: string,
  tree: TopicTree,
  id: MessageId,
  hops: number,
  now: number,
): MissingMessage {
  if (state.missing.size >= state.config.maxMissingMessages) abandonOldestMissing(state)
  const { graftTimeout, announcementTtl } = state.config
  const interested = isInterested(state, tree, now)
  // An interested node announces the message once it has fetched it, as in plain Plumtree.
  const relayed = !interested
  const missing: MissingMessage = {
    topic,
    announcers: [],
    deadline: now + (interested ? graftTimeout : announcementTtl),
    relayed,
    requested: false,
  }
  state.missing.set(id, missing)
  // The first announcer of the newest message: one hop closer to where payloads flow.
  tree.lastAnnouncer = from
  if (relayed) {
    const announcement = { id, hops: hops + 1 }
    for (const peers of [tree.lazy, tree.eager])
      for (const peer of peers)
        if (peer !== from) queueIHave(state, actions, peer, topic, announcement, now)
    state.counters.announcements_relayed++
  }
  return missing
}

function abandonOldestMissing(state: PlumtreeState): void {
  for (const [id, missing] of state.missing) {
    forgetMissing(state, id, missing)
    state.counters.missing_abandoned++
    return
  }
}

/**
 * §3.5 receive GRAFT: the link becomes eager and any requested cached message is sent. A
 * requested message only announced here is GRAFTed from its announcers at once; when it
 * arrives it is pushed to the eager set, the grafter included.
 */
export function onGraft(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId,
  topic: string,
  ids: readonly MessageId[],
  now: number,
): void {
  const tree = treeOf(state, topic)
  if (ids.length === 0) onLinkGraft(state, actions, from, topic, tree)
  makeEager(tree, from)
  let forward = false
  for (const id of ids) {
    const cached = state.cache.get(id)
    if (cached?.topic === topic) {
      actions.push({ type: 'send-message', to: from, hops: cached.hops + 1, envelope: cached })
      state.counters.eager_sent++
      continue
    }
    const missing = state.missing.get(id)
    if (missing?.topic !== topic || missing.requested) continue
    missing.requested = true
    missing.deadline = now
    tree.serving++
    forward = true
  }
  if (forward) {
    state.counters.grafts_forwarded++
    fireGraftTimers(state, actions, now)
  }
  trimIfLeaf(state, actions, topic, tree, now)
}

/**
 * §3.5 Timer(mID) expired: GRAFT the next announcer (the link becomes eager), re-arm shorter.
 * Only for an interested node, or on behalf of a grafter; otherwise the announcement expires.
 */
export function fireGraftTimers(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  now: number,
): void {
  const grafts = new Map<PeerId, Map<string, MessageId[]>>()
  const released = new Set<string>()
  for (const [id, missing] of state.missing) {
    if (missing.deadline > now) continue
    const tree = treeOf(state, missing.topic)
    if (!missing.requested && !isInterested(state, tree, now)) {
      forgetMissing(state, id, missing)
      state.counters.announcements_expired++
      continue
    }
    const announcer = missing.announcers.shift()
    if (announcer === undefined) {
      forgetMissing(state, id, missing)
      state.counters.missing_abandoned++
      if (missing.requested) released.add(missing.topic)
      continue
    }
    missing.deadline = now + state.config.graftRetryTimeout
    makeEager(tree, announcer.peer)
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
  for (const topic of released) {
    const tree = state.topics.get(topic)
    if (tree !== undefined) trimIfLeaf(state, actions, topic, tree, now)
  }
}
