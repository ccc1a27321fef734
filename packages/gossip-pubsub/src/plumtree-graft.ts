// Plumtree repair of the tree (Leitão, Pereira, Rodrigues 2007, §3.5): an IHAVE for an unseen
// message arms a timer; when it expires the first announcer is GRAFTed (the link turns eager and
// it sends the message), then the next one after a shorter timeout, until the message arrives or
// the announcers run out. `state.missing` is bounded; what it abandons, anti-entropy repairs.
import type { PlumtreeAction } from './plumtree.js'
import { makeEager, treeOf, type PeerId, type PlumtreeState } from './plumtree-state.js'
import type { Announcement } from './pubsub-frame.js'
import type { MessageId } from './signed-envelope.js'

/** §3.5 receive IHAVE: remember each unknown id and its announcer; arm its GRAFT timer. */
export function onIHave(
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
export function onGraft(
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

/** §3.5 Timer(mID) expired: GRAFT the next announcer (the link becomes eager), re-arm shorter. */
export function fireGraftTimers(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  now: number,
): void {
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
