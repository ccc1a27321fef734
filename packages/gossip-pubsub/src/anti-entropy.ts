// Anti-entropy between neighbours, the Plumtree paper's complement for what the tree cannot
// repair (§3.9 suggests it for partitions): every round each node sends each neighbour, per
// topic, a 16-byte summary of its stream table. Equal summaries end the round: in sync it costs
// one small frame per topic and neighbour. On a mismatch the receiver sends its full table
// (wants-reply); the other side pushes the cached envelopes the table lacks and, if it lacks
// something itself, answers with its own table (no reply wanted), so the exchange ends.
//
//   A ── DIGEST_SUMMARY(topic, hash_A) ─▶ B      hash_A ≠ hash_B
//   A ◀─ DIGEST(topic, table_B, reply) ─── B
//   A ── MESSAGE(hops 0) × k ───────────▶ B      what B's table lacks, from A's cache
//   A ── DIGEST(topic, table_A) ────────▶ B      only when A lacks something of B's
//   A ◀─ MESSAGE(hops 0) × k ──────────── B
import type { DigestEntry } from './pubsub-frame.js'
import type { PlumtreeAction } from './plumtree.js'
import { treeOf, type PeerId, type PlumtreeState, type TopicTree } from './plumtree-state.js'

/** Sends the digest summary of every topic with streams to each of `peers`. */
export function sendSummaries(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  peers: Iterable<PeerId>,
  only?: (tree: TopicTree, peer: PeerId) => boolean,
): void {
  for (const peer of peers) {
    for (const [topic, tree] of state.topics) {
      if (tree.streams.size === 0 || (only !== undefined && !only(tree, peer))) continue
      const frame = {
        type: 'digest-summary',
        topic,
        streams: tree.streams.size,
        summary: tree.streams.summary(),
      } as const
      actions.push({ type: 'send', to: peer, frame })
      state.counters.digest_summaries_sent++
    }
  }
}

/** A periodic round: age out caches and hopeless gaps, then summarise each topic to its peers. */
export function runAntiEntropyRound(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  now: number,
): void {
  state.cache.evictExpired(now)
  state.seen.prune(now)
  const cutoff = now - state.config.maxCacheAge
  for (const tree of state.topics.values()) tree.streams.expireBefore(cutoff)
  sendSummaries(
    state,
    actions,
    state.neighbours,
    (tree, peer) => tree.eager.has(peer) || tree.lazy.has(peer),
  )
  state.nextAntiEntropyAt = now + state.config.antiEntropyInterval
}

export function onDigestSummary(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId,
  topic: string,
  summary: string,
): void {
  const tree = treeOf(state, topic)
  if (tree.streams.summary() === summary) return
  sendDigest(state, actions, from, topic, tree, true)
}

export function onDigest(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId,
  topic: string,
  wantsReply: boolean,
  entries: readonly DigestEntry[],
  now: number,
): void {
  const tree = treeOf(state, topic)
  const settledBefore = now - state.config.repairDelay
  const theirs = new Map(entries.map((entry) => [`${entry.origin}:${entry.epoch}`, entry]))
  let budget = state.config.maxRepairMessages
  for (const mine of tree.streams.entries(Infinity)) {
    const their = theirs.get(`${mine.origin}:${mine.epoch}`)
    if (their !== undefined && their.contiguous >= mine.highest) continue
    const floor = their?.contiguous ?? 0
    for (const cached of state.cache.ofStream(topic, mine.origin, mine.epoch)) {
      if (budget === 0) break
      if (cached.insertedAt > settledBefore) break
      if (cached.lastSequence <= floor) continue
      actions.push({ type: 'send-message', to: from, hops: 0, envelope: cached })
      state.counters.repair_sent++
      budget--
    }
  }
  if (!wantsReply) return
  const lacking = entries.some((entry) => {
    const mine = tree.streams.get(entry.origin, entry.epoch)
    return mine === undefined || entry.highest > mine.contiguous
  })
  if (lacking) sendDigest(state, actions, from, topic, tree, false)
}

function sendDigest(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  to: PeerId,
  topic: string,
  tree: TopicTree,
  wantsReply: boolean,
): void {
  const entries = tree.streams.entries(state.config.maxDigestEntries)
  actions.push({ type: 'send', to, frame: { type: 'digest', topic, wantsReply, entries } })
  state.counters.digests_sent++
}
