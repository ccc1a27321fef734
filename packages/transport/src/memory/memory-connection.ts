import { errorFromSignal, type TimerHandle } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import { ConnectionClosedError, StreamLimitError, StreamResetError } from '../errors.js'
import {
  type AbortOptions,
  type Connection,
  type ConnectionDirection,
  type ConnectionStatus,
  type DisconnectReason,
  type FrameStream,
  type PeerAddress,
  type StreamKind,
} from '../transport.js'
import type { ConnectionPair } from './connection-pair.js'
import type { Ordering } from './link.js'
import type { OutboundHandshake } from './memory-handshake.js'
import { MemoryStream, type StreamHost } from './memory-stream.js'
import type { MemoryTransportImpl } from './memory-transport.js'
import { PendingPings } from './pending-pings.js'
import { StreamTable } from './stream-table.js'

/** The life of one end: `handshaking` ends are never handed to users. */
export type ConnectionState = 'handshaking' | 'open' | 'closing' | 'closed'

/** Who is at the other end. */
export interface RemoteParty {
  readonly machineId: MachineId
  readonly publicKey: Uint8Array | undefined
  readonly address: PeerAddress
}

/**
 * One end of an in-memory connection. Messages to the other end travel on the pair's link for
 * this direction. Stream credits per kind work as QUIC's MAX_STREAMS (RFC 9000 §4.6): the remote
 * grants one more stream each time it releases one of ours, so its stream table stays bounded.
 */
export class MemoryConnection implements Connection, StreamHost {
  readonly id: string
  readonly remoteMachineId: MachineId
  readonly remotePublicKey: Uint8Array | undefined
  readonly remoteAddress: PeerAddress
  readonly direction: ConnectionDirection
  readonly owner: MemoryTransportImpl
  readonly pair: ConnectionPair
  openedAt = Number.NaN
  #state: ConnectionState = 'handshaking'
  readonly #streams = new StreamTable()
  readonly #pings: PendingPings
  #deathTimer: TimerHandle | undefined
  #everOpen = false
  /** Set on a dialling end until its handshake settles. */
  handshake: OutboundHandshake | undefined

  constructor(
    owner: MemoryTransportImpl,
    pair: ConnectionPair,
    direction: ConnectionDirection,
    remote: RemoteParty,
  ) {
    this.owner = owner
    this.pair = pair
    this.id = pair.id
    this.direction = direction
    this.remoteMachineId = remote.machineId
    this.remotePublicKey = remote.publicKey
    this.remoteAddress = remote.address
    pair.attach(this)
    this.#pings = new PendingPings(owner.clock)
    owner.track(this)
  }

  get state(): ConnectionState {
    return this.#state
  }

  get status(): ConnectionStatus {
    return this.#state === 'handshaking' ? 'closing' : this.#state
  }

  /** The other end, once the dial reached it. */
  get peer(): MemoryConnection | undefined {
    return this.pair.peerOf(this)
  }

  /** Whether the other end still holds this connection (the remote has not closed or crashed). */
  get peerAlive(): boolean {
    const peer = this.peer
    return peer !== undefined && peer.#state !== 'closed'
  }

  openStream(kind: StreamKind, options: AbortOptions = {}): Promise<FrameStream> {
    try {
      if (options.signal?.aborted === true) throw errorFromSignal(options.signal)
      const peer = this.peer
      if (this.#state !== 'open' || peer === undefined) {
        throw new ConnectionClosedError(`connection ${this.id} is ${this.status}`)
      }
      return Promise.resolve(this.#createStream(kind, this.#streams.reserve(kind), peer))
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  ping(options: AbortOptions = {}): Promise<number> {
    const peer = this.peer
    if (this.#state !== 'open' || peer === undefined) {
      return Promise.reject(new ConnectionClosedError(`connection ${this.id} is ${this.status}`))
    }
    return this.#pings.start(options.signal, (id) => {
      this.post(undefined, 0, () => {
        peer.post(undefined, 0, () => {
          this.#pings.answer(id)
        })
      })
    })
  }

  close(_options: AbortOptions = {}): Promise<void> {
    if (this.#state !== 'open') return Promise.resolve()
    this.#state = 'closing'
    for (const stream of this.#streams.all()) stream.endWithConnection(true)
    // Ordered behind everything already sent, so the remote reads every frame before the close.
    this.post(this.pair.linkFrom(this), 0, (peer) => {
      peer.#onRemoteClose()
    })
    this.#finish('closed-locally', undefined)
    return Promise.resolve()
  }

  abort(reason?: Error): void {
    if (this.#state !== 'open') return
    this.#state = 'closing'
    const error = reason ?? new ConnectionClosedError(`connection ${this.id} was aborted`)
    // Not ordered: like QUIC's CONNECTION_CLOSE it overtakes stream data still in flight.
    this.post(undefined, 0, (peer) => {
      peer.#fail('closed-remotely', new ConnectionClosedError('the remote aborted the connection'))
    })
    this.#fail('closed-locally', error)
  }

  /** Sends to the other end; `run` executes there on arrival unless that end has closed. */
  post(ordering: Ordering | undefined, bytes: number, run: (peer: MemoryConnection) => void): void {
    this.pair.linkFrom(this).send(ordering, bytes, () => {
      const peer = this.peer
      if (peer === undefined) return
      if (peer.#state === 'closed') peer.#onMessageAfterClose(this)
      else run(peer)
    })
  }

  onStreamReleased(stream: MemoryStream): void {
    const credit = this.#streams.release(stream)
    if (credit === undefined || this.#state !== 'open') return
    this.post(undefined, 0, (peer) => {
      peer.#streams.grant(credit)
    })
  }

  /** The handshake completed at this end. */
  markOpen(): void {
    const peer = this.peer as MemoryConnection
    const limit = peer.owner.limits.maxStreamsPerKind
    this.#streams.grantAll(limit)
    this.#state = 'open'
    this.#everOpen = true
    this.openedAt = this.owner.clock.now()
    // Opened across a path already cut (a crashed acceptor's last words): it is dying already.
    if (this.pair.broken) this.armDeathTimer()
  }

  /** Drops a handshaking end without telling anyone: the handshake failed or was superseded. */
  discard(): void {
    if (this.#state === 'handshaking') this.#finish('error', undefined, true)
  }

  /**
   * The path to the remote is cut: unless it comes back, this end hears nothing more and declares
   * the connection dead after `idleTimeoutMs`, as keepalives would find.
   */
  armDeathTimer(): void {
    if (this.#deathTimer !== undefined || (this.#state !== 'open' && this.#state !== 'closing')) {
      return
    }
    const environment = this.owner.environment
    environment.beginWork()
    this.#deathTimer = this.owner.clock.setTimeout(() => {
      this.#deathTimer = undefined
      environment.endWork()
      const timeout = this.owner.limits.idleTimeoutMs
      this.#fail(
        'idle-timeout',
        new ConnectionClosedError(`nothing heard from the remote for ${timeout} ms`),
      )
    }, this.owner.limits.idleTimeoutMs)
  }

  /** The path came back in time: the connection lives on. */
  disarmDeathTimer(): void {
    if (this.#deathTimer === undefined) return
    this.owner.clock.clearTimeout(this.#deathTimer)
    this.#deathTimer = undefined
    this.owner.environment.endWork()
  }

  /** This end's process died: everything fails here, nothing is said to the remote. */
  crash(error: Error): void {
    if (this.#state === 'closed') return
    this.#fail('error', error, true)
  }

  /** The remote dialled again although this connection was open: it no longer holds it. */
  failStale(): void {
    this.#fail(
      'closed-remotely',
      new ConnectionClosedError('the remote no longer holds this connection'),
    )
  }

  /** Tells the other end, abruptly, that this end no longer knows the connection. */
  sendStatelessReset(): void {
    this.post(this.pair.linkFrom(this), 0, (peer) => {
      peer.#onStatelessReset()
    })
  }

  #createStream(kind: StreamKind, number: number, peer: MemoryConnection): MemoryStream {
    const ownLimits = this.owner.limits
    const peerLimits = peer.owner.limits
    // Like QUIC stream ids (RFC 9000 §2.1), the low bit tells which end opened the stream.
    const id = String(number * 2 + (this.direction === 'outbound' ? 0 : 1))
    const maxFrameBytes = Math.min(ownLimits.maxFrameBytes, peerLimits.maxFrameBytes)
    const local = new MemoryStream({
      host: this,
      id,
      kind,
      initiator: true,
      receiveWindow: ownLimits.streamReceiveQueueFrames,
      sendCredit: peerLimits.streamReceiveQueueFrames,
      maxFrameBytes,
      lastArrival: this.pair.linkFrom(this).lastArrival,
    })
    const remote = new MemoryStream({
      host: peer,
      id,
      kind,
      initiator: false,
      receiveWindow: peerLimits.streamReceiveQueueFrames,
      sendCredit: ownLimits.streamReceiveQueueFrames,
      maxFrameBytes,
      lastArrival: this.pair.linkFrom(peer).lastArrival,
    })
    MemoryStream.join(local, remote)
    this.#streams.addOutbound(local)
    this.post(local, 0, () => {
      peer.#onStreamOpen(remote)
    })
    return local
  }

  #onStreamOpen(stream: MemoryStream): void {
    if (this.#state !== 'open') return
    if (!this.#streams.addInbound(stream, this.owner.limits.maxStreamsPerKind)) {
      stream.abort(new StreamLimitError(`the remote opened too many ${stream.kind} streams`))
      return
    }
    const handler = this.owner.handlerFor(stream.kind)
    if (handler === undefined) {
      stream.abort(new StreamResetError(`no handler for ${stream.kind} streams`))
      return
    }
    try {
      handler(stream, this)
    } catch (error) {
      this.owner.log.error('the %s stream handler threw: %o', stream.kind, error)
      stream.abort(error as Error)
    }
  }

  #onRemoteClose(): void {
    if (this.#state !== 'open') return
    this.#state = 'closing'
    for (const stream of this.#streams.all()) stream.endWithConnection(false)
    this.#finish('closed-remotely', undefined)
  }

  #onStatelessReset(): void {
    if (this.#state !== 'open') return
    this.#fail('error', new ConnectionClosedError('the remote no longer knows this connection'))
  }

  /**
   * A message reached this end after it closed. If a process still answers at this address and the
   * sender believes the connection open, it gets a stateless reset (RFC 9000 §10.3) and learns at
   * once; otherwise (a crash) it finds out only when its idle timeout fires.
   */
  #onMessageAfterClose(sender: MemoryConnection): void {
    if (sender.#state !== 'open') return
    if (this.owner.environment.listenerAt(this.owner.address) === undefined) return
    this.sendStatelessReset()
  }

  #fail(reason: DisconnectReason, error: Error, silent = false): void {
    if (this.#state === 'closed') return
    this.#state = 'closing'
    for (const stream of this.#streams.all()) stream.failWithConnection(error)
    this.#finish(reason, error, silent)
  }

  #finish(reason: DisconnectReason, error: Error | undefined, silent = false): void {
    const wasOpen = this.#everOpen
    this.#state = 'closed'
    this.disarmDeathTimer()
    this.#pings.rejectAll(
      new ConnectionClosedError(`connection ${this.id} closed`, { cause: error }),
    )
    this.owner.onConnectionClosed(this, { wasOpen, reason, error, silent })
    this.pair.onHalfClosed()
  }
}
