import {
  combineSignals,
  errorFromSignal,
  raceSignal,
  throwIfAborted,
  timeoutSignal,
  type Clock,
} from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import {
  ConnectionLimitError,
  DialError,
  PeerIdentityMismatchError,
  TransportStoppedError,
} from '../errors.js'
import type { TransportLimits } from '../transport-limits.js'
import type { AbortOptions, DialTarget, PeerAddress } from '../transport.js'
import { DialAttempt } from './dial-attempt.js'
import type { QuicConnectionImpl } from './quic-connection.js'
import { dialAddress, type DialedConnection } from './quic-dialer.js'
import { DuplicateConnectionError, type QuicEndpoint } from './quic-endpoint.js'

/** What dialling needs from the transport. */
export interface DialingContext {
  readonly limits: TransportLimits
  readonly clock: Clock
  /** Aborts (with `TransportStoppedError`) when the transport stops. */
  readonly shutdown: AbortSignal
  connectionCount(): number
  connectionTo(machineId: MachineId): QuicConnectionImpl | undefined
  /** Announces an established connection; returns the one kept for that machine. */
  admit(dialed: DialedConnection): QuicConnectionImpl
  endpoint(): QuicEndpoint
  track(connection: QuicConnectionImpl): void
}

/** An inbound handshake in progress, whose outcome dials to the same machine wait for. */
export interface InboundHandshake {
  begin(machineId: MachineId): void
  end(connection: QuicConnectionImpl | undefined): void
}

/**
 * Outbound dials: coalesced per target, bounded by `maxPendingDials`, tried address by address,
 * and converging with crossing inbound connections from the same machine.
 */
export class QuicDialing {
  readonly #context: DialingContext
  readonly #attempts = new Map<string, DialAttempt>()
  /** Inbound handshakes in progress by machine; at most one entry per live connection. */
  readonly #inbound = new Map<MachineId, Promise<QuicConnectionImpl | undefined>>()
  /** Dials waiting for the connection a peer kept instead of theirs; bounded by the dials. */
  readonly #waiters = new Map<MachineId, Set<(connection: QuicConnectionImpl) => void>>()
  /** QUIC dials in progress that have no connection object yet. */
  connecting = 0

  constructor(context: DialingContext) {
    this.#context = context
  }

  async dial(target: DialTarget, options: AbortOptions): Promise<QuicConnectionImpl> {
    throwIfAborted(options.signal)
    const existing =
      target.machineId === undefined ? undefined : this.#context.connectionTo(target.machineId)
    if (existing !== undefined) return existing
    if (target.addresses.length === 0) throw new DialError('the dial target has no address')
    const key =
      target.machineId ??
      target.addresses.map((address) => `${address.host}:${address.port}`).join(',')
    return this.#attemptFor(key, target).join(options.signal)
  }

  /** Starts tracking an inbound handshake; dials to its machine wait for its outcome. */
  inboundHandshake(): InboundHandshake {
    let machine: MachineId | undefined
    let settle: (connection: QuicConnectionImpl | undefined) => void = () => undefined
    const outcome = new Promise<QuicConnectionImpl | undefined>((resolve) => {
      settle = resolve
    })
    return {
      begin: (machineId) => {
        machine = machineId
        this.#inbound.set(machineId, outcome)
      },
      end: (connection) => {
        settle(connection)
        if (machine !== undefined && this.#inbound.get(machine) === outcome) {
          this.#inbound.delete(machine)
        }
      },
    }
  }

  /**
   * Whether an inbound connection from `remote` may run its handshake now. One from a higher id
   * loses the tie-break to a dial of ours in progress: it waits for that dial and runs only if
   * the dial fails.
   */
  async waitForTurn(local: MachineId, remote: MachineId, signal: AbortSignal): Promise<boolean> {
    if (local > remote) return true
    const attempt = [...this.#attempts.values()].find((entry) => entry.machineId === remote)
    if (attempt === undefined) return true
    try {
      await raceSignal(attempt.promise, signal)
      return false
    } catch {
      return !signal.aborted
    }
  }

  /** A connection to a machine was announced: every dial and waiter for it resolves with it. */
  completeDials(connection: QuicConnectionImpl): void {
    for (const attempt of this.#attempts.values()) {
      if (attempt.machineId === connection.remoteMachineId) attempt.complete(connection)
    }
    const waiters = this.#waiters.get(connection.remoteMachineId)
    this.#waiters.delete(connection.remoteMachineId)
    for (const resolve of waiters ?? []) resolve(connection)
  }

  #attemptFor(key: string, target: DialTarget): DialAttempt {
    const existing = this.#attempts.get(key)
    if (existing !== undefined) return existing
    const { limits } = this.#context
    if (this.#attempts.size >= limits.maxPendingDials) {
      throw new ConnectionLimitError(`${limits.maxPendingDials} dials are already in progress`)
    }
    if (this.#context.connectionCount() >= limits.maxConnections) {
      throw new ConnectionLimitError(`${limits.maxConnections} connections are open or opening`)
    }
    const attempt = new DialAttempt(key, target.machineId)
    this.#attempts.set(key, attempt)
    void this.#run(attempt, target)
      .then(
        (connection) => {
          attempt.settle(connection)
        },
        (error: unknown) => {
          attempt.settle(error as Error)
        },
      )
      .finally(() => {
        if (this.#attempts.get(key) === attempt) this.#attempts.delete(key)
      })
    return attempt
  }

  async #run(attempt: DialAttempt, target: DialTarget): Promise<QuicConnectionImpl> {
    const { limits, clock, shutdown } = this.#context
    using deadline = timeoutSignal(limits.dialTimeoutMs, { clock, signal: attempt.signal })
    using combined = combineSignals(deadline.signal, shutdown)
    const signal = combined.signal
    try {
      const inbound =
        target.machineId === undefined ? undefined : this.#inbound.get(target.machineId)
      const joined = inbound === undefined ? undefined : await raceSignal(inbound, signal)
      if (joined?.status === 'open') return joined
      return await this.#tryAddresses(attempt, target, signal)
    } catch (error) {
      if (shutdown.aborted) {
        throw new TransportStoppedError('the transport stopped', { cause: error })
      }
      if (!signal.aborted) throw error
      const reason = errorFromSignal(signal)
      if (reason.name === 'TimeoutError') {
        throw new DialError(`the dial timed out after ${limits.dialTimeoutMs} ms`, {
          cause: reason,
        })
      }
      throw reason
    }
  }

  async #tryAddresses(
    attempt: DialAttempt,
    target: DialTarget,
    signal: AbortSignal,
  ): Promise<QuicConnectionImpl> {
    let lastError: Error | undefined
    let mismatch: PeerIdentityMismatchError | undefined
    for (const address of target.addresses) {
      try {
        return this.#context.admit(await this.#dialOne(attempt, address, target, signal))
      } catch (error) {
        if (signal.aborted || error instanceof ConnectionLimitError) throw error
        if (error instanceof DuplicateConnectionError && attempt.machineId !== undefined) {
          return await this.#waitForConnection(attempt.machineId, signal)
        }
        if (error instanceof PeerIdentityMismatchError) mismatch = error
        lastError = error as Error
      }
    }
    const other =
      attempt.machineId === undefined ? undefined : this.#context.connectionTo(attempt.machineId)
    if (other !== undefined) return other
    throw mismatch ?? new DialError('no address of the target answered', { cause: lastError })
  }

  async #dialOne(
    attempt: DialAttempt,
    address: PeerAddress,
    target: DialTarget,
    signal: AbortSignal,
  ): Promise<DialedConnection> {
    this.connecting++
    let counted = true
    const uncount = (): void => {
      if (counted) this.connecting--
      counted = false
    }
    try {
      return await dialAddress(
        this.#context.endpoint(),
        address,
        target.machineId,
        {
          learned: (machineId) => {
            attempt.learn(machineId)
          },
          created: (connection) => {
            uncount()
            this.#context.track(connection)
          },
        },
        signal,
      )
    } finally {
      uncount()
    }
  }

  #waitForConnection(machineId: MachineId, signal: AbortSignal): Promise<QuicConnectionImpl> {
    const existing = this.#context.connectionTo(machineId)
    if (existing !== undefined) return Promise.resolve(existing)
    const waiters = this.#waiters.get(machineId) ?? new Set()
    this.#waiters.set(machineId, waiters)
    let resolveWaiter: (connection: QuicConnectionImpl) => void = () => undefined
    const waiting = new Promise<QuicConnectionImpl>((resolve) => {
      resolveWaiter = resolve
      waiters.add(resolve)
    })
    return raceSignal(waiting, signal).finally(() => {
      waiters.delete(resolveWaiter)
      if (waiters.size === 0 && this.#waiters.get(machineId) === waiters) {
        this.#waiters.delete(machineId)
      }
    })
  }
}
