// The Plumtree transitions (Leitão, Pereira, Rodrigues 2007, Algorithms 1 and 2): a pure
// function `step(state, input, now) → { state, actions }` with no I/O and no clock reads. For
// speed in simulations of thousands of nodes, `step` updates `state` in place and returns it;
// nothing else holds a reference to it. Verification happens before a message reaches the core:
// every envelope given to `step` is authentic. Push and PRUNE: plumtree-push.ts; IHAVE, GRAFT and
// their timers: plumtree-graft.ts; interest scoping (trim, link GRAFT): plumtree-interest.ts;
// digests: anti-entropy.ts.
import type { AgentId } from '@x0x/pqc'
import { onDigest, onDigestSummary, runAntiEntropyRound, sendSummaries } from './anti-entropy.js'
import type { CachedEnvelope } from './message-cache.js'
import { fireGraftTimers, onGraft, onIHave } from './plumtree-graft.js'
import { onJoin, onLeave, trimAll, trimIfLeaf } from './plumtree-interest.js'
import {
  announceDeferred,
  deliverFirstCopy,
  flushIHaves,
  onDuplicate,
  publish,
} from './plumtree-push.js'
import type { Announcement, DigestEntry, PubsubFrame } from './pubsub-frame.js'
import {
  isInterested,
  makeEager,
  makeLazy,
  treeOf,
  type PeerId,
  type PlumtreeState,
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
  /** Envelope bytes (signed body ‖ signature), forwarded as received. */
  readonly bytes: Uint8Array
}

export type PlumtreeInput =
  /** A local publish (§3.3 Broadcast). */
  | { readonly type: 'broadcast'; readonly envelope: EnvelopeSummary }
  /**
   * The first copy of a verified message; `hops` 0 marks an anti-entropy repair (out of tree),
   * `forwardOnly` a push towards the tree from a node outside it (never reshapes the tree).
   */
  | {
      readonly type: 'message'
      readonly from: PeerId
      readonly hops: number
      readonly forwardOnly?: boolean
      readonly envelope: EnvelopeSummary
    }
  /** A copy of a message already seen (found by id, never verified again). */
  | {
      readonly type: 'duplicate'
      readonly from: PeerId
      readonly hops: number
      readonly forwardOnly?: boolean
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
  /** A local subscriber: the node is interested in the topic until `leave`. */
  | { readonly type: 'join'; readonly topic: string }
  /** The last local subscriber left: an uninterested leaf trims itself out of the tree. */
  | { readonly type: 'leave'; readonly topic: string }
  /** Time has reached `nextWakeAt(state)`: flush IHAVEs, fire GRAFT timers, run a digest round. */
  | { readonly type: 'tick' }

export type PlumtreeAction =
  /** Send a MESSAGE frame; hops 0 is an anti-entropy repair; `forwardOnly` sets the frame flag. */
  | {
      readonly type: 'send-message'
      readonly to: PeerId
      readonly hops: number
      readonly forwardOnly?: boolean
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
      publish(state, actions, input.envelope, now)
      break
    case 'message':
      deliverFirstCopy(
        state,
        actions,
        fromNeighbour ? input.from : undefined,
        input.hops,
        input.envelope,
        now,
        input.forwardOnly === true,
      )
      break
    case 'duplicate':
      // A repair or a forward-only copy travels outside the tree: its duplicate PRUNEs nothing.
      if (fromNeighbour && input.hops > 0 && input.forwardOnly !== true)
        onDuplicate(state, actions, input.from, input.id, now)
      break
    case 'ihave':
      if (fromNeighbour) onIHave(state, actions, input.from, input.topic, input.announcements, now)
      break
    case 'graft':
      if (fromNeighbour) onGraft(state, actions, input.from, input.topic, input.ids, now)
      break
    case 'prune':
      if (fromNeighbour) onPrune(state, actions, input.from, input.topic, now)
      break
    case 'digest-summary':
      if (fromNeighbour)
        onDigestSummary(state, actions, input.from, input.topic, input.summary, now)
      break
    case 'digest':
      if (fromNeighbour)
        onDigest(state, actions, input.from, input.topic, input.wantsReply, input.entries, now)
      break
    case 'neighbour-up':
      onNeighbourUp(state, actions, input.peer, now)
      break
    case 'neighbour-down':
      onNeighbourDown(state, actions, input.peer, now)
      break
    case 'join':
      onJoin(state, actions, input.topic)
      break
    case 'leave':
      onLeave(state, actions, input.topic, now)
      break
    case 'tick':
      onTick(state, actions, now)
      break
  }
  return { state, actions }
}

/** §3.3 receive PRUNE: the link turns lazy, which may leave an uninterested node a leaf. */
function onPrune(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  from: PeerId,
  topic: string,
  now: number,
): void {
  const tree = treeOf(state, topic)
  makeLazy(tree, from)
  trimIfLeaf(state, actions, topic, tree, now)
}

/**
 * §3.7 NeighborUp: the new neighbour is eager in every topic the node is interested in (lazy in
 * the others: it enters those trees only through a GRAFT); a digest summary starts repair.
 */
function onNeighbourUp(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  peer: PeerId,
  now: number,
): void {
  if (state.neighbours.has(peer) || state.neighbours.size >= state.config.maxNeighbours) return
  state.neighbours.add(peer)
  for (const tree of state.topics.values()) {
    if (isInterested(state, tree, now)) makeEager(tree, peer)
    else makeLazy(tree, peer)
  }
  sendSummaries(state, actions, [peer], now)
}

/** §3.7 NeighborDown: forget the peer in every topic and as an announcer. */
function onNeighbourDown(
  state: PlumtreeState,
  actions: PlumtreeAction[],
  peer: PeerId,
  now: number,
): void {
  if (!state.neighbours.delete(peer)) return
  for (const [topic, tree] of state.topics) {
    tree.lazy.delete(peer)
    tree.mismatches.delete(peer)
    if (tree.lastAnnouncer === peer) tree.lastAnnouncer = undefined
    if (tree.treeward === peer) tree.treeward = undefined
    if (tree.eager.delete(peer)) trimIfLeaf(state, actions, topic, tree, now)
  }
  for (const missing of state.missing.values()) {
    const index = missing.announcers.findIndex((announcer) => announcer.peer === peer)
    if (index !== -1) missing.announcers.splice(index, 1)
  }
  state.lazyQueue.delete(peer)
}

function onTick(state: PlumtreeState, actions: PlumtreeAction[], now: number): void {
  announceDeferred(state, actions, now)
  if (state.ihaveFlushAt !== undefined && state.ihaveFlushAt <= now) flushIHaves(state, actions)
  fireGraftTimers(state, actions, now)
  if (state.nextAntiEntropyAt > now) return
  trimAll(state, actions, now)
  runAntiEntropyRound(state, actions, now)
}
