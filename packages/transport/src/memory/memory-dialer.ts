import { AbortError, errorFromSignal, isErrorNamed, raceSignal, timeoutSignal } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import { DialError, TransportStoppedError } from '../errors.js'
import type { DialTarget, PeerAddress } from '../transport.js'
import { ConnectionPair } from './connection-pair.js'
import { MemoryConnection } from './memory-connection.js'
import { abandon, receiveDial, type OutboundHandshake } from './memory-handshake.js'
import type { InboundHandshake, MemoryTransportImpl } from './memory-transport.js'

/**
 * One dial in progress, shared by every caller dialling the same target. It is cancelled when the
 * last caller aborts, and completed from outside when a connection to the same machine opens by
 * another route (the remote's crossing dial won the tie-break).
 */
export class DialAttempt {
  readonly key: string
  readonly expectedMachineId: MachineId | undefined
  readonly promise: Promise<MemoryConnection>
  /** The end whose handshake is in progress, if any. */
  current: MemoryConnection | undefined
  readonly #controller = new AbortController()
  readonly #onSettled: () => void
  #peerId: MachineId | undefined
  #callers = 0
  #settled = false
  #superseded: OutboundHandshake | undefined
  #resolve: (connection: MemoryConnection) => void = () => undefined
  #reject: (error: Error) => void = () => undefined

  constructor(key: string, expectedMachineId: MachineId | undefined, onSettled: () => void) {
    this.key = key
    this.expectedMachineId = expectedMachineId
    this.#peerId = expectedMachineId
    this.#onSettled = onSettled
    this.promise = new Promise<MemoryConnection>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    // Callers race the promise against their own signals; when all left, nobody awaits it.
    this.promise.catch(() => undefined)
  }

  /** Aborts when the attempt is cancelled or completed: everything it waits on listens. */
  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** The machine being dialled: expected, or learned from the handshake. */
  get peerId(): MachineId | undefined {
    return this.#peerId
  }

  learn(machineId: MachineId): void {
    this.#peerId ??= machineId
  }

  /** A caller waits for the outcome; its signal withdraws it alone. */
  join(signal: AbortSignal | undefined): Promise<MemoryConnection> {
    this.#callers++
    if (signal === undefined) return this.promise
    return raceSignal(this.promise, signal).catch((error: unknown) => {
      if (signal.aborted && !this.#settled && --this.#callers === 0) {
        this.cancel(errorFromSignal(signal))
      }
      throw error
    })
  }

  cancel(reason: Error): void {
    this.#controller.abort(reason)
  }

  /** A connection to the machine opened by another route: the dial resolves with it. */
  complete(connection: MemoryConnection): void {
    if (this.#settled) return
    this.settle(connection)
    this.#controller.abort(new AbortError('the dial completed by another route'))
  }

  /** The remote's crossing dial won the tie-break: stop ours and wait for theirs to open. */
  supersede(): void {
    const half = this.current
    if (half?.state !== 'handshaking') return
    this.#superseded = half.handshake
    abandon(half)
  }

  /** The crossing dial that superseded ours failed: ours moves on rather than wait in vain. */
  resume(): void {
    const handshake = this.#superseded
    this.#superseded = undefined
    handshake?.settle(new DialError('the crossing dial from the remote failed'))
  }

  settle(outcome: MemoryConnection | Error): void {
    if (this.#settled) return
    this.#settled = true
    if (outcome instanceof Error) this.#reject(outcome)
    else this.#resolve(outcome)
    this.#onSettled()
  }
}

/** Starts dialling `target` from `transport` and registers the attempt under `key`. */
export function startDial(
  transport: MemoryTransportImpl,
  key: string,
  target: DialTarget,
): DialAttempt {
  const environment = transport.environment
  const attempt = new DialAttempt(key, target.machineId, () => {
    if (transport.dials.get(key) === attempt) transport.dials.delete(key)
    environment.endWork()
  })
  transport.dials.set(key, attempt)
  environment.beginWork()
  runDial(transport, attempt, target).then(
    (connection) => {
      attempt.settle(connection)
    },
    (error: unknown) => {
      attempt.settle(dialFailure(error as Error, attempt, transport))
    },
  )
  return attempt
}

function dialFailure(error: Error, attempt: DialAttempt, transport: MemoryTransportImpl): Error {
  const reason: unknown = attempt.signal.reason
  if (reason instanceof TransportStoppedError) return reason
  if (error.name === 'TimeoutError') {
    const timeout = transport.limits.dialTimeoutMs
    return new DialError(`no connection within ${timeout} ms`, { cause: error })
  }
  const passThrough = ['AbortError', 'PeerIdentityMismatchError', 'DialError']
  if (passThrough.includes(error.name)) return error
  return new DialError('the dial failed', { cause: error })
}

async function runDial(
  transport: MemoryTransportImpl,
  attempt: DialAttempt,
  target: DialTarget,
): Promise<MemoryConnection> {
  const { clock, limits } = transport
  const deadline = timeoutSignal(limits.dialTimeoutMs, { clock, signal: attempt.signal })
  const start = clock.now()
  const addresses = target.addresses
  let lastError: Error | undefined
  try {
    for (let index = 0; index < addresses.length; index++) {
      const inbound =
        attempt.peerId === undefined ? undefined : transport.inbound.get(attempt.peerId)
      if (inbound !== undefined) await waitForInboundHandshake(inbound, deadline.signal)
      // Each address gets an equal share of the time left: one silent address cannot use it all.
      const last = index === addresses.length - 1
      const share = (limits.dialTimeoutMs - (clock.now() - start)) / (addresses.length - index)
      const addressDeadline = last
        ? deadline
        : timeoutSignal(share, { clock, signal: deadline.signal })
      try {
        return await dialAddress(
          transport,
          attempt,
          addresses[index] as PeerAddress,
          addressDeadline.signal,
        )
      } catch (error) {
        if (deadline.signal.aborted || isErrorNamed(error, 'PeerIdentityMismatchError')) throw error
        lastError = error as Error
      } finally {
        if (!last) addressDeadline.clear()
      }
    }
  } finally {
    deadline.clear()
  }
  throw new DialError('no address of the target answered', { cause: lastError })
}

/** A handshake from the machine being dialled is under way: its outcome comes first. */
async function waitForInboundHandshake(
  entry: InboundHandshake,
  signal: AbortSignal,
): Promise<void> {
  await raceSignal(
    new Promise<void>((resolve) => {
      entry.waiters.push(resolve)
    }),
    signal,
  )
}

function dialAddress(
  transport: MemoryTransportImpl,
  attempt: DialAttempt,
  address: PeerAddress,
  signal: AbortSignal,
): Promise<MemoryConnection> {
  return new Promise<MemoryConnection>((resolve, reject) => {
    if (signal.aborted) {
      reject(errorFromSignal(signal))
      return
    }
    const environment = transport.environment
    const listener = environment.listenerAt(address)
    if (listener === transport) {
      reject(new DialError(`${address.host}:${address.port} is this transport's own address`))
      return
    }
    if (listener === undefined) {
      // Nobody listens there: like a UDP port that never answers, the dial waits for its deadline.
      signal.addEventListener(
        'abort',
        () => {
          reject(errorFromSignal(signal))
        },
        { once: true },
      )
      return
    }
    const pair = new ConnectionPair(environment, transport.machineId, listener.machineId)
    const dialer = new MemoryConnection(transport, pair, 'outbound', {
      machineId: listener.machineId,
      publicKey: listener.publicKey,
      address,
    })
    const onAbort = (): void => {
      abandon(dialer)
      reject(errorFromSignal(signal))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    dialer.handshake = {
      attempt,
      settle: (outcome) => {
        signal.removeEventListener('abort', onAbort)
        if (outcome instanceof Error) reject(outcome)
        else resolve(outcome)
      },
    }
    attempt.current = dialer
    // Delivered even if the dialer gives up meanwhile: its ABORT follows right behind.
    pair.forward.send(pair.forward, 0, () => {
      if (environment.listenerAt(address) === listener) receiveDial(listener, pair, dialer)
    })
  })
}
