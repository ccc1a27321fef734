import {
  InvalidArgumentError,
  TypedEventTarget,
  errorFromSignal,
  type Clock,
  type Logger,
  type TimerHandle,
} from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import { ConnectionLimitError, DialError, TransportStoppedError } from '../errors.js'
import type { TransportLimits } from '../transport-limits.js'
import {
  STREAM_KINDS,
  type AbortOptions,
  type Connection,
  type DialTarget,
  type DisconnectReason,
  type PeerAddress,
  type StreamHandler,
  type StreamKind,
  type Transport,
  type TransportEvents,
} from '../transport.js'
import type { MemoryConnection } from './memory-connection.js'
import { startDial, type DialAttempt } from './memory-dialer.js'
import { refuseInbound } from './memory-handshake.js'
import { addressKey, type NetworkEnvironment } from './network-environment.js'

/** A transport on a `MemoryNetwork`: the `Transport` contract, in one process. */
export interface MemoryTransport extends Transport {
  /** Where it listens once started (a private address of the memory network). */
  readonly address: PeerAddress
  /** The ML-DSA-65 public key it presents to peers, if it was created with one. */
  readonly publicKey: Uint8Array | undefined
  /** Its limits, defaults resolved. */
  readonly limits: TransportLimits
}

/** An inbound handshake waiting for the dialer's confirmation. */
export interface InboundHandshake {
  readonly half: MemoryConnection
  readonly timer: TimerHandle
  /** Dials to the same machine waiting for this handshake's outcome. */
  readonly waiters: (() => void)[]
}

/** How a transport joins and leaves its network. */
export interface NetworkMembership {
  listen(transport: MemoryTransportImpl): void
  leave(transport: MemoryTransportImpl): void
}

/** Options of `MemoryTransportImpl`, resolved by the network. */
export interface MemoryTransportSetup {
  readonly machineId: MachineId
  readonly publicKey: Uint8Array | undefined
  readonly address: PeerAddress
  readonly limits: TransportLimits
  readonly environment: NetworkEnvironment
  readonly membership: NetworkMembership
  readonly log: Logger
}

interface ClosedInfo {
  readonly wasOpen: boolean
  readonly reason: DisconnectReason
  readonly error: Error | undefined
  readonly silent: boolean
}

type TransportState = 'created' | 'started' | 'stopped'

/** The in-memory transport. Private: users hold it as a `MemoryTransport`. */
export class MemoryTransportImpl
  extends TypedEventTarget<TransportEvents>
  implements MemoryTransport
{
  readonly machineId: MachineId
  readonly publicKey: Uint8Array | undefined
  readonly address: PeerAddress
  readonly limits: TransportLimits
  readonly environment: NetworkEnvironment
  readonly clock: Clock
  readonly log: Logger
  /** Open connections by remote machine: at most one each. */
  readonly connections = new Map<MachineId, MemoryConnection>()
  /** Inbound handshakes by remote machine: at most one each. */
  readonly inbound = new Map<MachineId, InboundHandshake>()
  /** Dials in progress by machine id (or by addresses, for a target without one). */
  readonly dials = new Map<string, DialAttempt>()
  /** Every end this transport holds, in any state but closed. */
  readonly halves = new Set<MemoryConnection>()
  readonly #membership: NetworkMembership
  readonly #handlers = new Map<StreamKind, StreamHandler>()
  readonly #listenAddresses: readonly PeerAddress[]
  #state: TransportState = 'created'
  #crashed = false

  constructor(setup: MemoryTransportSetup) {
    super()
    this.machineId = setup.machineId
    this.publicKey = setup.publicKey
    this.address = setup.address
    this.limits = setup.limits
    this.environment = setup.environment
    this.clock = setup.environment.clock
    this.log = setup.log
    this.#membership = setup.membership
    this.#listenAddresses = Object.freeze([setup.address])
  }

  get listenAddresses(): readonly PeerAddress[] {
    return this.#state === 'started' ? this.#listenAddresses : []
  }

  /** Whether it is started and not stopped: it answers at its address. */
  get listening(): boolean {
    return this.#state === 'started'
  }

  get crashed(): boolean {
    return this.#crashed
  }

  start(options: AbortOptions = {}): Promise<void> {
    if (options.signal?.aborted === true) return Promise.reject(errorFromSignal(options.signal))
    if (this.#state === 'stopped') return Promise.reject(this.#stoppedError())
    if (this.#state === 'created') {
      this.#state = 'started'
      this.#membership.listen(this)
    }
    return Promise.resolve()
  }

  stop(): Promise<void> {
    if (this.#state === 'stopped') return Promise.resolve()
    this.#state = 'stopped'
    this.#membership.leave(this)
    const stopped = this.#stoppedError()
    for (const attempt of [...this.dials.values()]) attempt.cancel(stopped)
    for (const entry of [...this.inbound.values()]) refuseInbound(entry.half)
    return Promise.all([...this.connections.values()].map((connection) => connection.close())).then(
      () => undefined,
    )
  }

  /** The process dies: nothing more is sent, no event fires, peers find out by their timeouts. */
  crash(): void {
    if (this.#state === 'stopped') return
    this.#state = 'stopped'
    this.#crashed = true
    this.#membership.leave(this)
    const crashed = new TransportStoppedError(`transport ${this.machineId} crashed`)
    for (const attempt of [...this.dials.values()]) attempt.cancel(crashed)
    for (const half of [...this.halves]) half.crash(crashed)
  }

  dial(target: DialTarget, options: AbortOptions = {}): Promise<Connection> {
    const { signal } = options
    if (signal?.aborted === true) return Promise.reject(errorFromSignal(signal))
    if (this.#state !== 'started') return Promise.reject(this.#stoppedError())
    const machineId = target.machineId
    if (machineId === this.machineId) {
      return Promise.reject(new DialError('a transport cannot dial itself'))
    }
    const existing = machineId === undefined ? undefined : this.connections.get(machineId)
    if (existing !== undefined) return Promise.resolve(existing)
    const key = machineId ?? `addresses:${target.addresses.map(addressKey).join(',')}`
    const attempt = this.dials.get(key) ?? this.#startDial(key, target)
    return attempt instanceof Error ? Promise.reject(attempt) : attempt.join(signal)
  }

  getConnection(machineId: MachineId): Connection | undefined {
    return this.connections.get(machineId)
  }

  getConnections(): readonly Connection[] {
    return [...this.connections.values()]
  }

  handle(kind: StreamKind, handler: StreamHandler): void {
    if (!STREAM_KINDS.includes(kind)) {
      throw new InvalidArgumentError(`unknown stream kind ${kind}`)
    }
    this.#handlers.set(kind, handler)
  }

  unhandle(kind: StreamKind): void {
    this.#handlers.delete(kind)
  }

  handlerFor(kind: StreamKind): StreamHandler | undefined {
    return this.#handlers.get(kind)
  }

  /** The dial in progress towards `machineId`, if any. */
  attemptTo(machineId: MachineId): DialAttempt | undefined {
    const attempt = this.dials.get(machineId)
    if (attempt !== undefined) return attempt
    for (const candidate of this.dials.values()) {
      if (candidate.peerId === machineId) return candidate
    }
    return undefined
  }

  addInbound(half: MemoryConnection): void {
    this.environment.beginWork()
    const timer = this.clock.setTimeout(() => {
      this.dropInbound(half)
    }, this.limits.dialTimeoutMs)
    this.inbound.set(half.remoteMachineId, { half, timer, waiters: [] })
  }

  /** The handshake left its waiting state (opened or dropped). */
  removeInbound(half: MemoryConnection): void {
    const entry = this.inbound.get(half.remoteMachineId)
    if (entry?.half !== half) return
    this.inbound.delete(half.remoteMachineId)
    this.clock.clearTimeout(entry.timer)
    this.environment.endWork()
    for (const waiter of entry.waiters) waiter()
  }

  /** The handshake failed at this end: forget it, and let a dial it superseded carry on. */
  dropInbound(half: MemoryConnection): void {
    this.removeInbound(half)
    half.discard()
    this.attemptTo(half.remoteMachineId)?.resume()
  }

  /** `half` completed its handshake: it becomes the connection to its machine. */
  adopt(half: MemoryConnection): void {
    this.connections.set(half.remoteMachineId, half)
    this.log('connected to %s (%s)', half.remoteMachineId, half.direction)
    this.safeDispatchEvent('peer:connect', half)
    for (const attempt of [...this.dials.values()]) {
      // The attempt that dialled `half` resolves by its own path; others were overtaken by it.
      if (attempt.peerId === half.remoteMachineId && attempt.current !== half) {
        attempt.complete(half)
      }
    }
  }

  track(half: MemoryConnection): void {
    this.halves.add(half)
  }

  onConnectionClosed(half: MemoryConnection, closed: ClosedInfo): void {
    this.halves.delete(half)
    if (this.inbound.get(half.remoteMachineId)?.half === half) this.removeInbound(half)
    if (this.connections.get(half.remoteMachineId) === half) {
      this.connections.delete(half.remoteMachineId)
    }
    if (!closed.wasOpen || closed.silent) return
    this.log('disconnected from %s (%s)', half.remoteMachineId, closed.reason)
    const { reason, error } = closed
    this.safeDispatchEvent(
      'peer:disconnect',
      error === undefined ? { connection: half, reason } : { connection: half, reason, error },
    )
  }

  #startDial(key: string, target: DialTarget): DialAttempt | Error {
    const limits = this.limits
    if (target.addresses.length === 0) return new DialError('the target has no address')
    if (this.dials.size >= limits.maxPendingDials) {
      return new ConnectionLimitError(`${this.dials.size} dials are already in progress`)
    }
    if (this.connections.size + this.inbound.size + this.dials.size >= limits.maxConnections) {
      return new ConnectionLimitError(`at the limit of ${limits.maxConnections} connections`)
    }
    return startDial(this, key, target)
  }

  #stoppedError(): TransportStoppedError {
    return new TransportStoppedError(
      this.#state === 'created'
        ? 'the transport has not been started'
        : 'the transport has been stopped',
    )
  }
}
