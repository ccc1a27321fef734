// SWIM-style failure detection of the active view (Das, Gupta, Motivala, "SWIM: Scalable
// Weakly-consistent Infection-style Process Group Membership Protocol", DSN 2002, §3.1 and §4.2).
// Departures from the paper: only active neighbours are probed, and every one that was silent for
// half a period is probed each period (any frame from a neighbour counts as an ack), so a crash
// is found within a couple of periods instead of SWIM's expected e/(e−1) periods over a random
// member; suspicion is local (this node's own judgement of its links) and not disseminated.
import type { MachineId } from '@x0x/pqc'
import type {
  AckMessage,
  PingMessage,
  PingRequestAckMessage,
  PingRequestMessage,
} from './messages.js'
import { boundedDescriptor } from './peer.js'
import { sampleUpTo, send, type ActiveNeighbor, type Context } from './state.js'
import { fillActiveView, removeActive } from './views.js'

function nextSequence(context: Context): number {
  const state = context.state
  const sequence = state.nextSequence
  state.nextSequence = sequence >= 0xffff_ffff ? 1 : sequence + 1
  return sequence
}

/** Evidence that `neighbor` is alive: clears its probe and any suspicion. */
export function markAlive(neighbor: ActiveNeighbor, now: number): void {
  neighbor.lastHeardAt = now
  neighbor.probe = undefined
  neighbor.suspectedAt = undefined
}

/**
 * One protocol period: a probe still unanswered from the last period makes its neighbour suspect;
 * every neighbour silent for half a period gets a ping.
 */
export function runProbeRound(context: Context): void {
  const { state, now } = context
  const { options } = state
  state.nextProbeAt = now + options.probeIntervalMs
  for (const neighbor of state.active.values()) {
    if (neighbor.probe !== undefined) {
      neighbor.suspectedAt ??= now
      neighbor.probe = undefined
    }
    if (
      neighbor.suspectedAt === undefined &&
      now - neighbor.lastHeardAt < options.probeIntervalMs / 2
    ) {
      continue
    }
    const sequence = nextSequence(context)
    neighbor.probe = { sequence, startedAt: now, indirectSent: false }
    send(context, neighbor.peer, { type: 'ping', sequence, neighbor: true })
  }
}

/**
 * Timers inside a period: after `ackTimeoutMs` without an ack, K other neighbours probe
 * indirectly; a suspect silent for `suspicionTimeoutMs` is declared dead and replaced at once
 * from the passive view (HyParView §4.3).
 */
export function checkProbes(context: Context): void {
  // Deadlines are compared as `now >= start + duration`, the form `nextProbeDeadline` computes:
  // with fractional times, (start + duration) − start can fall short of duration and spin a timer.
  const { state, now } = context
  const { options } = state
  const dead: MachineId[] = []
  for (const [id, neighbor] of state.active) {
    if (
      neighbor.suspectedAt !== undefined &&
      now >= neighbor.suspectedAt + options.suspicionTimeoutMs
    ) {
      dead.push(id)
      continue
    }
    const probe = neighbor.probe
    if (probe === undefined || probe.indirectSent || now < probe.startedAt + options.ackTimeoutMs)
      continue
    probe.indirectSent = true
    const helpers = [...state.active.values()].filter(
      (other) => other !== neighbor && other.suspectedAt === undefined,
    )
    for (const helper of sampleUpTo(state.random, helpers, options.indirectProbeCount)) {
      send(context, helper.peer, {
        type: 'ping-request',
        target: neighbor.peer,
        sequence: probe.sequence,
      })
    }
  }
  for (const id of dead) removeActive(context, id, 'failed')
  if (dead.length > 0) fillActiveView(context)
  for (const [sequence, indirect] of state.indirectProbes) {
    if (now >= indirect.deadline) state.indirectProbes.delete(sequence)
  }
}

/** Earliest time `checkProbes` has work, or +∞. */
export function nextProbeDeadline(context: Pick<Context, 'state'>): number {
  const { options, active, indirectProbes } = context.state
  let next = Number.POSITIVE_INFINITY
  for (const neighbor of active.values()) {
    if (neighbor.suspectedAt !== undefined)
      next = Math.min(next, neighbor.suspectedAt + options.suspicionTimeoutMs)
    const probe = neighbor.probe
    if (probe !== undefined && !probe.indirectSent)
      next = Math.min(next, probe.startedAt + options.ackTimeoutMs)
  }
  for (const indirect of indirectProbes.values()) next = Math.min(next, indirect.deadline)
  return next
}

/** PING: ack it, unless the sender thinks we are neighbours and we are not (then DISCONNECT). */
export function onPing(context: Context, from: MachineId, message: PingMessage): void {
  const to = context.state.active.get(from)?.peer ?? { id: from, addresses: [] }
  if (message.neighbor && !context.state.active.has(from) && !context.state.pending.has(from)) {
    send(context, to, { type: 'disconnect', leaving: false })
    return
  }
  send(context, to, { type: 'ack', sequence: message.sequence })
}

/** ACK: a direct ack is handled as liveness by the caller; an indirect one is relayed. */
export function onAck(context: Context, from: MachineId, message: AckMessage): void {
  const { indirectProbes, active } = context.state
  const indirect = indirectProbes.get(message.sequence)
  if (indirect === undefined || indirect.target !== from) return
  indirectProbes.delete(message.sequence)
  const requester = active.get(indirect.requester)?.peer ?? {
    id: indirect.requester,
    addresses: [],
  }
  send(context, requester, {
    type: 'ping-request-ack',
    target: from,
    sequence: indirect.requesterSequence,
  })
}

/** PING-REQ (SWIM §3.1): probe the target for a neighbour, within per-sender and global bounds. */
export function onPingRequest(
  context: Context,
  from: MachineId,
  message: PingRequestMessage,
): void {
  const { state, now } = context
  const target = boundedDescriptor(message.target.id, message.target.addresses)
  if (!state.active.has(from) || target.id === state.self.id || target.id === from) return
  if (state.indirectProbes.size >= state.options.maxPendingIndirectProbes) return
  if (!state.limiters.pingRequest.tryTake(from, now)) return
  const sequence = nextSequence(context)
  state.indirectProbes.set(sequence, {
    requester: from,
    requesterSequence: message.sequence,
    target: target.id,
    deadline: now + state.options.probeIntervalMs,
  })
  const known = state.active.get(target.id)?.peer ?? target
  send(context, known, { type: 'ping', sequence, neighbor: false })
}

/** PING-REQ-ACK: a helper reached the target, so the probe succeeded. */
export function onPingRequestAck(context: Context, message: PingRequestAckMessage): void {
  const neighbor = context.state.active.get(message.target)
  if (neighbor?.probe?.sequence === message.sequence) markAlive(neighbor, context.now)
}
