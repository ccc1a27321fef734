import { ConnectionLimitError, DialError, PeerIdentityMismatchError } from '../errors.js'
import type { ConnectionPair } from './connection-pair.js'
import { MemoryConnection } from './memory-connection.js'
import type { DialAttempt } from './memory-dialer.js'
import type { MemoryTransportImpl } from './memory-transport.js'

/**
 * The handshake between two memory transports, standing in for QUIC + TLS + the post-quantum
 * exchange: DIAL (dialer to acceptor), ACCEPT or REFUSE back, then CONFIRM (or ABORT). The
 * network asserts identities, so there is no cryptography, but the same outcomes: the dialer
 * checks the acceptor's machine id, and each end counts as connected only once the exchange
 * completed in its direction (the dialer on ACCEPT, the acceptor on CONFIRM).
 */

/** The dialling end's link to its dial attempt until the handshake settles. */
export interface OutboundHandshake {
  readonly attempt: DialAttempt
  /** Settles the dial of this address: with the connection, or an error. */
  settle(outcome: MemoryConnection | Error): void
}

type RefuseReason = 'duplicate' | 'limit' | 'stopping'

function refuse(pair: ConnectionPair, reason: RefuseReason): void {
  pair.backward.send(pair.backward, 0, () => {
    const dialer = pair.dialer
    if (dialer !== undefined) onRefuse(dialer, reason)
  })
}

/**
 * A DIAL reached `acceptor`. At most one connection per remote machine: a duplicate is refused,
 * and when both ends dial each other at once, both keep the connection dialled by the lower
 * machine id (each end decides alone and they agree). A connection the remote has forgotten
 * (it crashed and came back, or its close is still in flight) gives way to the new one.
 */
export function receiveDial(
  acceptor: MemoryTransportImpl,
  pair: ConnectionPair,
  dialer: MemoryConnection,
): void {
  const dialerTransport = dialer.owner
  const dialerId = dialerTransport.machineId
  const existing = acceptor.connections.get(dialerId)
  if (existing !== undefined && !existing.peerAlive) existing.failStale()
  const pending = acceptor.inbound.get(dialerId)
  if (pending !== undefined && !pending.half.peerAlive) acceptor.dropInbound(pending.half)
  if (acceptor.connections.has(dialerId) || acceptor.inbound.has(dialerId)) {
    refuse(pair, 'duplicate')
    return
  }
  const ownAttempt = acceptor.attemptTo(dialerId)
  if (ownAttempt !== undefined && dialerId > acceptor.machineId) {
    refuse(pair, 'duplicate')
    return
  }
  const reserved = ownAttempt === undefined ? 0 : 1
  const busy = acceptor.connections.size + acceptor.inbound.size + acceptor.dials.size - reserved
  if (busy >= acceptor.limits.maxConnections) {
    refuse(pair, 'limit')
    return
  }
  const half = new MemoryConnection(acceptor, pair, 'inbound', {
    machineId: dialerId,
    publicKey: dialerTransport.publicKey,
    address: dialerTransport.address,
  })
  acceptor.addInbound(half)
  ownAttempt?.supersede()
  half.post(undefined, 0, () => {
    onAccept(dialer)
  })
}

function identityMismatch(half: MemoryConnection, handshake: OutboundHandshake): Error | undefined {
  const expected = handshake.attempt.expectedMachineId
  if (expected === undefined || expected === half.remoteMachineId) return undefined
  const { host, port } = half.remoteAddress
  return new PeerIdentityMismatchError(
    `expected machine ${expected} at ${host}:${port}, found ${half.remoteMachineId}`,
  )
}

function onAccept(half: MemoryConnection): void {
  const handshake = half.handshake
  if (half.state !== 'handshaking' || handshake === undefined) return
  const mismatch = identityMismatch(half, handshake)
  if (mismatch !== undefined) {
    abandon(half)
    handshake.settle(mismatch)
    return
  }
  handshake.attempt.learn(half.remoteMachineId)
  const transport = half.owner
  const existing = transport.connections.get(half.remoteMachineId)
  if (existing?.peerAlive === true) {
    abandon(half)
    handshake.settle(existing)
    return
  }
  existing?.failStale()
  half.handshake = undefined
  half.markOpen()
  const pair = half.pair
  half.post(pair.forward, 0, () => {
    const acceptor = pair.acceptor
    if (acceptor !== undefined) onConfirm(acceptor)
  })
  transport.adopt(half)
  handshake.settle(half)
}

function onRefuse(half: MemoryConnection, reason: RefuseReason): void {
  const handshake = half.handshake
  if (half.state !== 'handshaking' || handshake === undefined) return
  half.handshake = undefined
  half.discard()
  const mismatch = identityMismatch(half, handshake)
  if (mismatch !== undefined) {
    handshake.settle(mismatch)
    return
  }
  const remote = half.remoteMachineId
  switch (reason) {
    case 'duplicate': {
      // The remote holds (or is setting up) the connection that wins; the dial resolves with it.
      handshake.attempt.learn(remote)
      const existing = half.owner.connections.get(remote)
      if (existing !== undefined) handshake.settle(existing)
      return
    }
    case 'limit':
      handshake.settle(
        new DialError(`${remote} refused the connection`, {
          cause: new ConnectionLimitError(`${remote} is at its connection limit`),
        }),
      )
      return
    case 'stopping':
      handshake.settle(new DialError(`${remote} is shutting down`))
      return
  }
}

function onConfirm(half: MemoryConnection): void {
  if (half.state !== 'handshaking') return
  const transport = half.owner
  transport.removeInbound(half)
  const existing = transport.connections.get(half.remoteMachineId)
  if (existing?.peerAlive === true) {
    // Cannot happen while both ends follow this handshake; never keep two connections anyway.
    half.discard()
    half.sendStatelessReset()
    return
  }
  existing?.failStale()
  half.markOpen()
  transport.adopt(half)
}

/** The dialer gave up on `half` before it opened: the acceptor forgets its end. */
export function abandon(half: MemoryConnection): void {
  if (half.state !== 'handshaking') return
  half.handshake = undefined
  const pair = half.pair
  // A crashed process sends nothing: the acceptor's end times out instead.
  if (!half.owner.crashed) {
    pair.forward.send(pair.forward, 0, () => {
      const acceptor = pair.acceptor
      if (acceptor?.state === 'handshaking') acceptor.owner.dropInbound(acceptor)
    })
  }
  half.discard()
}

/** The acceptor gives up on an inbound handshake (it is stopping): the dialer learns at once. */
export function refuseInbound(half: MemoryConnection): void {
  if (half.state !== 'handshaking') return
  refuse(half.pair, 'stopping')
  half.owner.dropInbound(half)
}
