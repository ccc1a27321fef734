// The functional core's single entry point: `stepMembership(state, input, now)` returns the state
// and the actions for the shell. No I/O, no clock reads; randomness comes from the state's seeded
// stream, so the same inputs at the same times replay exactly.
import type { MachineId } from '@x0x/pqc'
import {
  onDisconnect,
  onForwardJoin,
  onJoin,
  onNeighbor,
  onNeighborReply,
  onShuffle,
  onShuffleReply,
  startShuffle,
} from './hyparview.js'
import type { MembershipMessage } from './messages.js'
import type { Context, MembershipInput, MembershipState, MembershipStep } from './state.js'
import { maxPendingRequests, send } from './state.js'
import {
  checkProbes,
  markAlive,
  nextProbeDeadline,
  onAck,
  onPing,
  onPingRequest,
  onPingRequestAck,
  runProbeRound,
} from './swim.js'
import { fillActiveView, forgetPassive, joinFailed, removeActive, sendJoin } from './views.js'

function jittered(context: Context, intervalMs: number): number {
  // ±50% jitter keeps nodes started together from shuffling in lockstep.
  return context.now + intervalMs * (0.5 + context.state.random.float())
}

function receive(context: Context, from: MachineId, message: MembershipMessage): void {
  const neighbor = context.state.active.get(from)
  if (neighbor !== undefined) markAlive(neighbor, context.now)
  switch (message.type) {
    case 'join':
      onJoin(context, from, message)
      break
    case 'forward-join':
      onForwardJoin(context, from, message)
      break
    case 'neighbor':
      onNeighbor(context, from, message)
      break
    case 'neighbor-reply':
      onNeighborReply(context, from, message)
      break
    case 'disconnect':
      onDisconnect(context, from, message)
      break
    case 'shuffle':
      onShuffle(context, from, message)
      break
    case 'shuffle-reply':
      onShuffleReply(context, from, message)
      break
    case 'ping':
      onPing(context, from, message)
      break
    case 'ack':
      onAck(context, from, message)
      break
    case 'ping-request':
      onPingRequest(context, from, message)
      break
    case 'ping-request-ack':
      onPingRequestAck(context, message)
      break
  }
}

function expirePending(context: Context): void {
  const { state, now } = context
  for (const [id, request] of state.pending) {
    // Compared in the same form as `nextWakeup` computes it: (a + b) − a < b in floating point.
    if (now < request.sentAt + state.options.neighborRequestTimeoutMs) continue
    state.pending.delete(id)
    if (request.kind === 'neighbor') forgetPassive(context, id)
    if (request.kind === 'join') joinFailed(context)
  }
}

function retryFailedPeer(context: Context): void {
  const { state, now } = context
  const { options } = state
  for (const [id, failed] of state.failed) {
    if (now - failed.failedAt >= options.failedPeerRetentionMs) state.failed.delete(id)
  }
  if (state.failed.size === 0) {
    state.nextFailedRetryAt = Number.POSITIVE_INFINITY
    return
  }
  state.nextFailedRetryAt = now + options.failedPeerRetryIntervalMs
  if (state.active.size >= options.maxActiveViewSize) return
  const candidates = [...state.failed.values()].filter(
    (failed) => !state.pending.has(failed.peer.id),
  )
  if (candidates.length === 0 || state.pending.size >= maxPendingRequests(options)) return
  const { peer } = state.random.pick(candidates)
  state.pending.set(peer.id, { peer, kind: 'retry', sentAt: now })
  send(context, peer, { type: 'neighbor', priority: 'low', addresses: state.self.addresses })
}

function tick(context: Context): void {
  const { state, now } = context
  if (state.status !== 'running') return
  expirePending(context)
  checkProbes(context)
  if (now >= state.nextProbeAt) runProbeRound(context)
  if (now >= state.nextShuffleAt) {
    // A passive view under half full (a young node) shuffles 4× as often until it has filled.
    const { shuffleIntervalMs, passiveViewSize } = state.options
    const filling = state.passive.size < passiveViewSize / 2
    state.nextShuffleAt = jittered(context, filling ? shuffleIntervalMs / 4 : shuffleIntervalMs)
    startShuffle(context)
  }
  if (now >= state.nextFailedRetryAt) retryFailedPeer(context)
  fillActiveView(context)
}

function leave(context: Context): void {
  const { state } = context
  for (const neighbor of [...state.active.values()]) {
    send(context, neighbor.peer, { type: 'disconnect', leaving: true })
    removeActive(context, neighbor.peer.id, 'left')
  }
  state.pending.clear()
  state.indirectProbes.clear()
  state.status = 'left'
}

/**
 * Applies one input at time `now` and returns the updated state and the actions to perform.
 * Inputs after `leave` are ignored.
 */
export function stepMembership(
  state: MembershipState,
  input: MembershipInput,
  now: number,
): MembershipStep {
  const context: Context = { state, now, actions: [] }
  if (state.status === 'left') return { state, actions: context.actions }
  switch (input.type) {
    case 'start':
      if (state.status === 'created') {
        state.status = 'running'
        state.nextProbeAt = now + state.options.probeIntervalMs
        state.nextShuffleAt = jittered(context, state.options.shuffleIntervalMs)
      }
      break
    case 'join':
      state.contacts = state.random.shuffle(
        input.contacts.filter((contact) => contact.id !== state.self.id),
      )
      state.contactCursor = 0
      if (state.status === 'running' && state.active.size === 0) sendJoin(context)
      break
    case 'receive':
      if (state.status === 'running' && input.from !== state.self.id)
        receive(context, input.from, input.message)
      break
    case 'tick':
      tick(context)
      break
    case 'send-failed': {
      const kind = state.pending.get(input.peer)?.kind
      if (kind === 'neighbor') forgetPassive(context, input.peer)
      if (kind === 'join') joinFailed(context)
      if (state.pending.delete(input.peer)) fillActiveView(context)
      break
    }
    case 'connection-lost':
      if (state.active.has(input.peer)) {
        removeActive(context, input.peer, 'failed')
        fillActiveView(context)
      }
      break
    case 'leave':
      leave(context)
      break
  }
  return { state, actions: context.actions }
}

/** When the shell must next deliver a `tick`, or undefined when nothing is scheduled. */
export function nextWakeup(state: MembershipState): number | undefined {
  if (state.status !== 'running') return undefined
  let next = Math.min(
    state.nextProbeAt,
    state.nextShuffleAt,
    state.nextFailedRetryAt,
    nextProbeDeadline({ state }),
  )
  for (const request of state.pending.values()) {
    next = Math.min(next, request.sentAt + state.options.neighborRequestTimeoutMs)
  }
  if (state.active.size === 0 && state.pending.size === 0 && state.contacts.length > 0) {
    next = Math.min(next, state.nextRejoinAt)
  }
  return Number.isFinite(next) ? next : undefined
}
