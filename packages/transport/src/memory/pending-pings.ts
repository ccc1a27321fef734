import { errorFromSignal, type Clock } from '@x0x/base'

interface PendingPing {
  readonly sentAt: number
  resolve(rtt: number): void
  reject(error: Error): void
}

/** Pings of one connection waiting for their pong; as many as the local callers started. */
export class PendingPings {
  readonly #clock: Clock
  #pings: Map<number, PendingPing> | undefined
  #next = 0

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /** Starts a ping: `send(id)` sends it; the promise resolves with the round trip on `answer(id)`. */
  start(signal: AbortSignal | undefined, send: (id: number) => void): Promise<number> {
    if (signal?.aborted === true) return Promise.reject(errorFromSignal(signal))
    const id = this.#next++
    const pings = (this.#pings ??= new Map<number, PendingPing>())
    return new Promise<number>((resolve, reject) => {
      const onAbort = (): void => {
        pings.delete(id)
        reject(errorFromSignal(signal))
      }
      pings.set(id, {
        sentAt: this.#clock.now(),
        resolve: (rtt) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(rtt)
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
      })
      signal?.addEventListener('abort', onAbort, { once: true })
      send(id)
    })
  }

  answer(id: number): void {
    const ping = this.#pings?.get(id)
    if (ping === undefined) return
    this.#pings?.delete(id)
    ping.resolve(this.#clock.now() - ping.sentAt)
  }

  rejectAll(error: Error): void {
    const pings = this.#pings
    this.#pings = undefined
    for (const ping of pings?.values() ?? []) ping.reject(error)
  }
}
