import { errorFromSignal } from '@x0x/base'

interface Waiter<Value, Payload> {
  readonly payload: Payload
  resolve(value: Value): void
  reject(error: Error): void
}

/**
 * Callers waiting in order (readers for a frame, senders for credit), each cancellable through its
 * own signal. Its length is bounded by the local callers, never by a remote party.
 */
export class WaitList<Value, Payload = undefined> {
  #waiters: Waiter<Value, Payload>[] = []

  get size(): number {
    return this.#waiters.length
  }

  /** The payload of the longest waiter, if any. */
  peek(): Payload | undefined {
    return this.#waiters[0]?.payload
  }

  /** Waits until resolved or rejected; aborting `signal` rejects and leaves the list. */
  wait(signal: AbortSignal | undefined, payload: Payload): Promise<Value> {
    return new Promise<Value>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter)
        if (index >= 0) this.#waiters.splice(index, 1)
        reject(errorFromSignal(signal))
      }
      const waiter: Waiter<Value, Payload> = {
        payload,
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(value)
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
      }
      this.#waiters.push(waiter)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** Resolves the longest waiter with `value`; returns its payload, or undefined when none waits. */
  resolveNext(value: Value): Payload | undefined {
    const waiter = this.#waiters.shift()
    waiter?.resolve(value)
    return waiter?.payload
  }

  resolveAll(value: Value): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const waiter of waiters) waiter.resolve(value)
  }

  rejectAll(error: Error): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const waiter of waiters) waiter.reject(error)
  }
}
