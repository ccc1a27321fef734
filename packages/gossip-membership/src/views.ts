// Active and passive view bookkeeping of HyParView (Leitão, Pereira, Rodrigues 2007, §4.3):
// every invariant the property tests check (bounds, no self, no duplicates, disjoint views) is
// kept here and only here.
import type { MachineId } from '@x0x/pqc'
import { boundedDescriptor, type PeerDescriptor } from './peer.js'
import { maxPendingRequests, send, type Context, type NeighborDownReason } from './state.js'

function removePassive(context: Context, id: MachineId): void {
  const { passive, passiveBySource } = context.state
  const entry = passive.get(id)
  if (entry === undefined) return
  passive.delete(id)
  if (entry.introducedBy !== undefined) {
    const count = (passiveBySource.get(entry.introducedBy) ?? 1) - 1
    if (count <= 0) passiveBySource.delete(entry.introducedBy)
    else passiveBySource.set(entry.introducedBy, count)
  }
}

/** Drops a passive entry, e.g. after it failed to answer a neighbour request. */
export function forgetPassive(context: Context, id: MachineId): void {
  removePassive(context, id)
}

/** A uniformly random key of a map (views hold at most a few hundred entries). */
export function randomKey<Key>(context: Context, map: ReadonlyMap<Key, unknown>): Key | undefined {
  if (map.size === 0) return undefined
  let index = context.state.random.int(map.size)
  for (const key of map.keys()) {
    if (index-- === 0) return key
  }
  return undefined
}

/**
 * Adds `peer` to the passive view unless it is this node, already known, or `introducedBy` has
 * used up its quota (so no sender owns more than its share of the view). When full, evicts one
 * of `preferEvict` if present (the shuffle rule of §4.4), else a random entry.
 */
export function addPassive(
  context: Context,
  peer: PeerDescriptor,
  introducedBy: MachineId | undefined,
  preferEvict: readonly MachineId[] = [],
): void {
  const { state } = context
  const { passive, options } = state
  if (peer.id === state.self.id || state.active.has(peer.id) || passive.has(peer.id)) return
  if (introducedBy !== undefined) {
    if ((state.passiveBySource.get(introducedBy) ?? 0) >= options.maxPassiveEntriesPerSource) return
  }
  if (passive.size >= options.passiveViewSize) {
    const preferred = preferEvict.find((id) => passive.has(id) && !state.pending.has(id))
    const victim = preferred ?? randomKey(context, passive)
    if (victim !== undefined) removePassive(context, victim)
  }
  passive.set(peer.id, { peer: boundedDescriptor(peer.id, peer.addresses), introducedBy })
  if (introducedBy !== undefined) {
    state.passiveBySource.set(introducedBy, (state.passiveBySource.get(introducedBy) ?? 0) + 1)
  }
}

/**
 * Removes `id` from the active view with `reason`: a dropped or disconnected neighbour moves to
 * the passive view, a failed one to the failed list (retried after partitions heal).
 */
export function removeActive(context: Context, id: MachineId, reason: NeighborDownReason): void {
  const { state, actions } = context
  const neighbor = state.active.get(id)
  if (neighbor === undefined) return
  state.active.delete(id)
  actions.push({ type: 'neighbor:down', peer: neighbor.peer, reason })
  actions.push({ type: 'disconnect', peer: id })
  if (reason === 'failed') {
    rememberFailed(context, neighbor.peer)
  } else if (reason !== 'left') {
    addPassive(context, neighbor.peer, undefined)
  }
}

function rememberFailed(context: Context, peer: PeerDescriptor): void {
  const { failed, options } = context.state
  failed.delete(peer.id)
  if (failed.size >= options.maxFailedPeers) {
    const oldest = failed.keys().next()
    if (oldest.done !== true) failed.delete(oldest.value)
  }
  failed.set(peer.id, { peer, failedAt: context.now })
  if (context.state.nextFailedRetryAt === Number.POSITIVE_INFINITY) {
    context.state.nextFailedRetryAt = context.now + options.failedPeerRetryIntervalMs
  }
}

/**
 * Adds `peer` to the active view (a live link both ends hold). At `evictAt` neighbours (default:
 * the target size) a random neighbour is dropped with DISCONNECT and moved to the passive view:
 * the paper's rule for JOINs, ends of join walks and HIGH-priority requests (§4.2–4.3), which
 * keeps views at the target instead of growing by one link per join walk.
 */
export function addActive(
  context: Context,
  peer: PeerDescriptor,
  evictAt = context.state.options.activeViewSize,
): void {
  const { state, now } = context
  if (peer.id === state.self.id || state.active.has(peer.id)) return
  removePassive(context, peer.id)
  state.pending.delete(peer.id)
  state.failed.delete(peer.id)
  if (state.active.size >= evictAt) {
    const victim = randomKey(context, state.active)
    const dropped = victim === undefined ? undefined : state.active.get(victim)
    if (dropped !== undefined) {
      send(context, dropped.peer, { type: 'disconnect', leaving: false })
      removeActive(context, dropped.peer.id, 'evicted')
    }
  }
  const bounded = boundedDescriptor(peer.id, peer.addresses)
  state.active.set(peer.id, {
    peer: bounded,
    since: now,
    lastHeardAt: now,
    probe: undefined,
    suspectedAt: undefined,
  })
  context.actions.push({ type: 'neighbor:up', peer: bounded })
}

function pendingNeighborRequests(context: Context): number {
  let count = 0
  for (const request of context.state.pending.values()) if (request.kind !== 'retry') count++
  return count
}

/**
 * Fills the active view up to its target from the passive view (§4.3): one NEIGHBOR request per
 * missing slot, HIGH priority when the active view is empty. With nothing to ask, a lone node
 * re-sends JOIN to a contact every `rejoinIntervalMs`.
 */
export function fillActiveView(context: Context): void {
  const { state, now } = context
  if (state.status !== 'running') return
  let missing = state.options.activeViewSize - state.active.size - pendingNeighborRequests(context)
  if (missing <= 0) return
  const candidates = [...state.passive.keys()].filter((id) => !state.pending.has(id))
  const priority = state.active.size === 0 ? 'high' : 'low'
  for (const id of state.random.shuffle(candidates)) {
    if (missing-- <= 0) break
    const entry = state.passive.get(id)
    if (entry === undefined) continue
    state.pending.set(id, { peer: entry.peer, kind: 'neighbor', sentAt: now })
    send(context, entry.peer, { type: 'neighbor', priority, addresses: state.self.addresses })
  }
  if (state.active.size === 0 && state.pending.size === 0 && state.contacts.length > 0) {
    if (now >= state.nextRejoinAt) sendJoin(context)
  }
}

/**
 * Sends JOIN to the next contact in turn (round-robin, so a dead contact is not picked twice in a
 * row). A failed JOIN moves straight to the next contact until all were tried, then waits
 * `rejoinIntervalMs`.
 */
export function sendJoin(context: Context): void {
  const { state, now } = context
  if (state.pending.size >= maxPendingRequests(state.options)) return
  const contacts = state.contacts
  if (contacts.length === 0) return
  const contact = contacts[state.contactCursor % contacts.length] as PeerDescriptor
  state.contactCursor = (state.contactCursor + 1) % contacts.length
  state.nextRejoinAt = now + state.options.rejoinIntervalMs
  state.pending.set(contact.id, { peer: contact, kind: 'join', sentAt: now })
  send(context, contact, { type: 'join', addresses: state.self.addresses })
}

/** A JOIN went unanswered: try the next contact at once unless every contact was tried. */
export function joinFailed(context: Context): void {
  if (context.state.contactCursor !== 0) context.state.nextRejoinAt = context.now
}
