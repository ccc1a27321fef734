// Interest-scoped trees (docs/protocols/pubsub.md "Interest-scoped trees"): only nodes
// interested in a topic (a local subscriber, or a steady publisher) and the relays that connect
// them carry its payloads; a one-off publisher pushes forward-only towards the tree. An uninterested leaf of the payload tree PRUNEs
// its last eager link ("trims"); iterated, the tree shrinks to the subtree spanning the
// interested nodes. Correctness does not rest on the tree reaching anyone: out-of-tree nodes
// relay announcements (plumtree-graft.ts), so every node hears of every message, and a GRAFT
// for a message a relay lacks is forwarded to its announcers, making the path eager.
// Pure transitions over `PlumtreeState`, appending to `actions`.
import type { PlumtreeAction } from './plumtree.js'
import {
  isInterested,
  makeEager,
  makeLazy,
  treeOf,
  type PeerId,
  type PlumtreeState,
  type TopicTree,
} from './plumtree-state.js'

/**
 * An uninterested node whose only eager link is `peer` forwards nothing: it is a leaf nobody
 * needs, so it PRUNEs that link and stays out of the tree. Not while a grafter waits on it.
 */
export function trimIfLeaf(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  topic: string,
  tree: TopicTree,
  now: number,
): void {
  if (tree.eager.size !== 1 || tree.serving > 0 || isInterested(state, tree, now)) return
  for (const peer of tree.eager) {
    makeLazy(tree, peer)
    actions.push({ type: 'send', to: peer, frame: { type: 'prune', topic } })
    state.counters.prune_sent++
    state.counters.trimmed++
  }
}

/** Re-checks every topic; publisher interest expires without an input, so this runs each round. */
export function trimAll(state: PlumtreeState, actions: PlumtreeAction[], now: number): void {
  for (const [topic, tree] of state.topics) trimIfLeaf(state, actions, topic, tree, now)
}

/**
 * A local subscriber makes the node interested. A node already out of the tree sends an empty
 * GRAFT to the neighbour that last announced the topic, which forwards it towards the tree: a
 * latency optimisation only, as the next announced message makes the node GRAFT anyway.
 */
export function onJoin(state: PlumtreeState, actions: PlumtreeAction[], topic: string): void {
  const existed = state.topics.has(topic)
  const tree = treeOf(state, topic, true)
  tree.joined = true
  if (existed && tree.eager.size === 0) linkGraft(state, actions, topic, tree)
}

export function onLeave(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  topic: string,
  now: number,
): void {
  const tree = state.topics.get(topic)
  if (tree === undefined) return
  tree.joined = false
  trimIfLeaf(state, actions, topic, tree, now)
}

/**
 * An empty GRAFT from `from` (a link GRAFT: §3.8, or a new subscriber). A node itself out of the
 * tree forwards it towards the tree (`towardsTreePeer`) so that the path turns eager at every hop.
 */
export function onLinkGraft(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId,
  topic: string,
  tree: TopicTree,
): void {
  const outOfTree = tree.eager.size === 0 || (tree.eager.size === 1 && tree.eager.has(from))
  makeEager(tree, from)
  if (outOfTree && linkGraft(state, actions, topic, tree, from)) state.counters.grafts_forwarded++
}

/**
 * The way into the tree of a node out of it, never `exclude`: the neighbour that last pushed it
 * a payload along the tree (a tree node, unless it has left since), else the last announcer of
 * the topic. Announcements radiate from every publisher, so the announcer alone often points
 * back towards the previous one-off publisher rather than into the tree.
 */
export function towardsTreePeer(
  state: PlumtreeState,
  tree: TopicTree,
  exclude: PeerId | undefined,
): PeerId | undefined {
  for (const peer of [tree.treeward, tree.lastAnnouncer]) {
    if (peer !== undefined && peer !== exclude && state.neighbours.has(peer)) return peer
  }
  return undefined
}

/**
 * A steady publisher out of the tree joins it: it pushes towards the tree rather than wait for
 * a GRAFT, which makes that link eager; with no way known, to one neighbour, which takes it on.
 */
export function joinBeforePublish(state: PlumtreeState, tree: TopicTree): void {
  if (tree.eager.size > 0) return
  const to = towardsTreePeer(state, tree, undefined) ?? first(tree.lazy)
  if (to !== undefined) makeEager(tree, to)
}

/** In the tree as far as a copy from `from` is concerned: an eager link other than its sender. */
export function hasEagerBesides(tree: TopicTree, from: PeerId | undefined): boolean {
  return tree.eager.size > (from !== undefined && tree.eager.has(from) ? 1 : 0)
}

/**
 * Where a node out of the tree passes a forward-only copy on: towards the tree, never back to
 * the sender; a one-off publisher (no sender) that knows no way picks any neighbour. Undefined:
 * the copy stops here, and its announcements and recursive GRAFT carry it to subscribers. No
 * link turns eager.
 */
export function forwardTarget(
  state: PlumtreeState,
  tree: TopicTree,
  from: PeerId | undefined,
): PeerId | undefined {
  return towardsTreePeer(state, tree, from) ?? (from === undefined ? first(tree.lazy) : undefined)
}

function first<T>(items: Iterable<T>): T | undefined {
  for (const item of items) return item
  return undefined
}

function linkGraft(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  topic: string,
  tree: TopicTree,
  exclude?: PeerId,
): boolean {
  const to = towardsTreePeer(state, tree, exclude)
  if (to === undefined) return false
  makeEager(tree, to)
  actions.push({ type: 'send', to, frame: { type: 'graft', topic, ids: [] } })
  state.counters.graft_sent++
  return true
}
