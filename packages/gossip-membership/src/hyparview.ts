// HyParView message handling (Leitão, Pereira, Rodrigues, "HyParView: a membership protocol for
// reliable gossip-based broadcast", DSN 2007, §4.2–4.4), with the rate limits and quotas that
// keep a hostile peer from owning a view, flooding shuffles, or making this node dial at will.
import type { MachineId } from '@x0x/pqc'
import type {
  DisconnectMessage,
  ForwardJoinMessage,
  JoinMessage,
  NeighborMessage,
  NeighborReplyMessage,
  ShuffleMessage,
  ShuffleReplyMessage,
} from './messages.js'
import { boundedDescriptor, type PeerDescriptor } from './peer.js'
import { maxPendingRequests, sampleUpTo, send, type Context } from './state.js'
import { addActive, addPassive, fillActiveView, randomKey, removeActive } from './views.js'

/** A random active neighbour other than `excluded`. */
function randomNeighbor(
  context: Context,
  excluded: readonly MachineId[],
): PeerDescriptor | undefined {
  const { active, random } = context.state
  const candidates: PeerDescriptor[] = []
  for (const [id, neighbor] of active) if (!excluded.includes(id)) candidates.push(neighbor.peer)
  return candidates.length === 0 ? undefined : random.pick(candidates)
}

/** JOIN at the contact (§4.2): admit the joiner and start one ARWL walk per other neighbour. */
export function onJoin(context: Context, from: MachineId, message: JoinMessage): void {
  const { state, now } = context
  const joiner = boundedDescriptor(from, message.addresses)
  if (!state.active.has(from) && !state.limiters.join.tryTake('join', now)) {
    send(context, joiner, { type: 'neighbor-reply', accepted: false })
    return
  }
  addActive(context, joiner)
  send(context, joiner, { type: 'neighbor-reply', accepted: true })
  const ttl = state.options.activeRandomWalkLength
  for (const [id, neighbor] of state.active) {
    if (id !== from) send(context, neighbor.peer, { type: 'forward-join', peer: joiner, ttl })
  }
}

/** FORWARDJOIN (§4.2): end the walk by asking the new node to be our neighbour, or pass it on. */
export function onForwardJoin(
  context: Context,
  from: MachineId,
  message: ForwardJoinMessage,
): void {
  const { state, now } = context
  const newPeer = boundedDescriptor(message.peer.id, message.peer.addresses)
  if (!state.active.has(from) || newPeer.id === state.self.id || newPeer.id === from) return
  if (!state.limiters.forwardJoin.tryTake(from, now)) return
  const ttl = Math.min(message.ttl, state.options.activeRandomWalkLength)
  const next =
    ttl === 0 || state.active.size <= 1 ? undefined : randomNeighbor(context, [from, newPeer.id])
  if (next === undefined) {
    if (state.active.has(newPeer.id) || state.pending.has(newPeer.id)) return
    if (state.pending.size >= maxPendingRequests(state.options)) return
    state.pending.set(newPeer.id, { peer: newPeer, kind: 'neighbor', sentAt: now })
    send(context, newPeer, { type: 'neighbor', priority: 'high', addresses: state.self.addresses })
    return
  }
  if (ttl === state.options.passiveRandomWalkLength) addPassive(context, newPeer, from)
  send(context, next, { type: 'forward-join', peer: newPeer, ttl: ttl - 1 })
}

/**
 * NEIGHBOR (§4.3): HIGH priority is always accepted, evicting a random neighbour at the target
 * size as the paper does; LOW only below the hard cap, without evicting. The one slot of slack
 * (default cap = target + 1) lets repairs land in a full overlay while views stay at the target.
 */
export function onNeighbor(context: Context, from: MachineId, message: NeighborMessage): void {
  const { state } = context
  const requester = boundedDescriptor(from, message.addresses)
  const { maxActiveViewSize } = state.options
  const high = message.priority === 'high'
  const accepted = state.active.has(from) || high || state.active.size < maxActiveViewSize
  if (accepted) addActive(context, requester, high ? undefined : maxActiveViewSize)
  else addPassive(context, requester, from)
  send(context, requester, { type: 'neighbor-reply', accepted })
}

/** The answer to our JOIN or NEIGHBOR; an accept we did not ask for is refused with DISCONNECT. */
export function onNeighborReply(
  context: Context,
  from: MachineId,
  message: NeighborReplyMessage,
): void {
  const { state } = context
  const request = state.pending.get(from)
  if (request === undefined) {
    if (message.accepted && !state.active.has(from)) {
      send(context, { id: from, addresses: [] }, { type: 'disconnect', leaving: false })
    }
    return
  }
  state.pending.delete(from)
  // Our retry of a dead peer may land above the target (partition healing); the rest evict at it.
  const evictAt = request.kind === 'retry' ? state.options.maxActiveViewSize : undefined
  if (message.accepted) addActive(context, request.peer, evictAt)
  // A joiner knows nobody but its contact: shuffle at once instead of within a whole interval,
  // so its passive view (what it repairs from after a mass failure) fills before it is needed.
  if (message.accepted && request.kind === 'join') state.nextShuffleAt = context.now
  fillActiveView(context)
}

/** DISCONNECT (§4.3): the peer dropped us; keep it as passive unless it is leaving, then refill. */
export function onDisconnect(context: Context, from: MachineId, message: DisconnectMessage): void {
  const { state } = context
  state.pending.delete(from)
  if (!state.active.has(from)) return
  removeActive(context, from, message.leaving ? 'left' : 'disconnected')
  fillActiveView(context)
}

/** Starts a shuffle (§4.4): self, ka active and kp passive peers, walking ARWL hops. */
export function startShuffle(context: Context): void {
  const { state, now } = context
  const { options, random } = state
  const target = randomKey(context, state.active)
  if (target === undefined) return
  const activePeers: PeerDescriptor[] = []
  for (const [id, neighbor] of state.active) if (id !== target) activePeers.push(neighbor.peer)
  const passivePeers = [...state.passive.values()].map((entry) => entry.peer)
  const peers = [
    ...sampleUpTo(random, activePeers, options.shuffleActiveCount),
    ...sampleUpTo(random, passivePeers, options.shufflePassiveCount),
  ]
  state.shuffleSent = peers.map((peer) => peer.id)
  state.shuffleSentAt = now
  const to = state.active.get(target)?.peer
  if (to === undefined) return
  send(context, to, {
    type: 'shuffle',
    origin: state.self,
    ttl: options.activeRandomWalkLength,
    peers,
  })
}

function integrate(
  context: Context,
  peers: readonly PeerDescriptor[],
  source: MachineId,
  preferEvict: readonly MachineId[],
): void {
  const limit =
    context.state.options.shuffleActiveCount + context.state.options.shufflePassiveCount + 1
  for (const peer of peers.slice(0, limit)) addPassive(context, peer, source, preferEvict)
}

/** SHUFFLE (§4.4): forward the walk, or answer its origin and merge its peers into the passive view. */
export function onShuffle(context: Context, from: MachineId, message: ShuffleMessage): void {
  const { state, now } = context
  const origin = boundedDescriptor(message.origin.id, message.origin.addresses)
  if (!state.active.has(from) || origin.id === state.self.id) return
  if (!state.limiters.shuffle.tryTake(from, now)) return
  const ttl = Math.min(message.ttl, state.options.activeRandomWalkLength) - 1
  const next =
    ttl > 0 && state.active.size > 1 ? randomNeighbor(context, [from, origin.id]) : undefined
  if (next !== undefined) {
    send(context, next, { ...message, origin, ttl })
    return
  }
  // A full shuffle's worth whatever the origin sent (the paper answers with as many as it got):
  // a new origin has little to send and the most to learn.
  const passivePeers = [...state.passive.values()].map((entry) => entry.peer)
  const replySize = state.options.shuffleActiveCount + state.options.shufflePassiveCount + 1
  const reply = sampleUpTo(state.random, passivePeers, replySize)
  send(context, origin, { type: 'shuffle-reply', peers: reply })
  const replied = reply.map((peer) => peer.id)
  integrate(context, [origin, ...message.peers], from, replied)
}

/** SHUFFLEREPLY: accepted once per shuffle we started, replacing the peers we sent first. */
export function onShuffleReply(
  context: Context,
  from: MachineId,
  message: ShuffleReplyMessage,
): void {
  const { state, now } = context
  const sent = state.shuffleSent
  if (sent === undefined || now - state.shuffleSentAt > state.options.shuffleIntervalMs) return
  if (!state.limiters.shuffle.tryTake(from, now)) return
  state.shuffleSent = undefined
  integrate(context, message.peers, from, sent)
}
