import { AbortError, errorFromSignal, raceSignal } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import type { QuicConnectionImpl } from './quic-connection.js'

/**
 * One dial in progress, shared by every caller dialling the same target. It is cancelled when
 * the last caller withdraws, and completed from outside when a connection to the same machine
 * opens by another route (the peer's crossing dial won the tie-break).
 */
export class DialAttempt {
  readonly key: string
  readonly promise: Promise<QuicConnectionImpl>
  readonly #controller = new AbortController()
  #machineId: MachineId | undefined
  #callers = 0
  #settled = false
  #resolve: (connection: QuicConnectionImpl) => void = () => undefined
  #reject: (error: Error) => void = () => undefined

  constructor(key: string, machineId: MachineId | undefined) {
    this.key = key
    this.#machineId = machineId
    this.promise = new Promise<QuicConnectionImpl>((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    // Callers race the promise against their own signals; when all left, nobody awaits it.
    this.promise.catch(() => undefined)
  }

  /** Aborts when the attempt is cancelled or completed by another route. */
  get signal(): AbortSignal {
    return this.#controller.signal
  }

  /** The machine being dialled: expected, or learned from its certificate. */
  get machineId(): MachineId | undefined {
    return this.#machineId
  }

  learn(machineId: MachineId): void {
    this.#machineId ??= machineId
  }

  /** A caller waits for the outcome; its signal withdraws it alone. */
  join(signal: AbortSignal | undefined): Promise<QuicConnectionImpl> {
    this.#callers++
    if (signal === undefined) return this.promise
    return raceSignal(this.promise, signal).catch((error: unknown) => {
      if (signal.aborted && !this.#settled && --this.#callers === 0) {
        this.#controller.abort(errorFromSignal(signal))
      }
      throw error
    })
  }

  /** A connection to the machine opened by another route: the dial resolves with it. */
  complete(connection: QuicConnectionImpl): void {
    if (this.#settled) return
    this.settle(connection)
    this.#controller.abort(new AbortError('the dial completed by another route'))
  }

  settle(outcome: QuicConnectionImpl | Error): void {
    if (this.#settled) return
    this.#settled = true
    if (outcome instanceof Error) this.#reject(outcome)
    else this.#resolve(outcome)
  }
}
