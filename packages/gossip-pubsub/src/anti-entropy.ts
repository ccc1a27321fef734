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
//
// With interest-scoped trees only nodes that carry a topic run anti-entropy for it: an
// interested node with every neighbour, a relay (uninterested, on eager links) only along its
// eager links, so repairs pass through it down the tree: it keeps a repair it receives, and the
// peers behind it that lack it ask it for the repair by digest (plumtree-push.ts). A node out of
// the tree neither sends summaries nor answers them. A relay wants gaps of the streams it carries
// repaired (partition heal), never the history of streams it never carried: it adopts the positions
// of streams it does not know from a digest, and lets the peer ask first (it answers a mismatching
// summary only when the mismatch persists, as between two relays), so no peer pushes it history.
import type { DigestEntry } from './pubsub-frame.js'
import type { PlumtreeAction } from './plumtree.js'
import { isInterested, type PeerId, type PlumtreeState, type TopicTree } from './plumtree-state.js'

/** Whether `peer` is an anti-entropy partner of this node for the topic of `tree`. */
function syncsWith(state: PlumtreeState, tree: TopicTree, peer: PeerId, now: number): boolean {
  if (tree.eager.has(peer)) return true
  return tree.lazy.has(peer) && isInterested(state, tree, now)
}

/** Sends the digest summary of every topic with streams to each of `peers` it syncs with. */
export function sendSummaries(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  peers: Iterable<PeerId>,
  now: number,
): void {
  for (const peer of peers) {
    for (const [topic, tree] of state.topics) {
      if (tree.streams.size === 0 || !syncsWith(state, tree, peer, now)) continue
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
  sendSummaries(state, actions, state.neighbours, now)
  state.nextAntiEntropyAt = now + state.config.antiEntropyInterval
}

export function onDigestSummary(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId,
  topic: string,
  summary: string,
  now: number,
): void {
  const tree = state.topics.get(topic)
  if (tree === undefined || !syncsWith(state, tree, from, now)) return
  if (tree.streams.summary() === summary) {
    tree.mismatches.delete(from)
    return
  }
  if (!isInterested(state, tree, now)) {
    const mismatches = (tree.mismatches.get(from) ?? 0) + 1
    tree.mismatches.set(from, mismatches)
    if (mismatches < RELAY_MISMATCHES_BEFORE_ASKING) return
  }
  tree.mismatches.delete(from)
  sendDigest(state, actions, from, topic, tree, true)
}

/** Summaries in a row a relay lets mismatch before it asks (the peer answers the relay's own first). */
const RELAY_MISMATCHES_BEFORE_ASKING = 2

/** A relay takes on where a peer stands in streams it never carried: it needs no history. */
function adoptUnknownStreams(tree: TopicTree, entries: readonly DigestEntry[], now: number): void {
  for (const { origin, epoch, contiguous } of entries) {
    if (contiguous > 0 && tree.streams.get(origin, epoch) === undefined)
      tree.streams.record(origin, epoch, contiguous, contiguous, now)
  }
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
  const tree = state.topics.get(topic)
  if (tree === undefined || !syncsWith(state, tree, from, now)) return
  const relay = !isInterested(state, tree, now)
  if (relay) {
    tree.mismatches.delete(from)
    adoptUnknownStreams(tree, entries, now)
  }
  const settledBefore = now - state.config.repairDelay
  const theirs = new Map(entries.map((entry) => [`${entry.origin}:${entry.epoch}`, entry]))
  let budget = state.config.maxRepairMessages
  for (const mine of tree.streams.entries(Infinity)) {
    const their = theirs.get(`${mine.origin}:${mine.epoch}`)
    if (their !== undefined && their.contiguous >= mine.highest) continue
    // A relay passes on repairs of carried streams only; it is no source of history.
    if (their === undefined && relay) continue
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
