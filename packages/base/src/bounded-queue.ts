import { ClosedError, QueueFullError } from './errors.js'
import { RingBuffer, assertCapacity } from './ring-buffer.js'
import { errorFromSignal } from './signal-error.js'

/** What `push` does when the queue is full. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest' | 'reject'

/**
 * What `push` did: `added`; `dropped-oldest` (added, after dropping the oldest item to make
 * room); or `dropped-newest` (the pushed item itself was dropped).
 */
export type PushResult = 'added' | 'dropped-oldest' | 'dropped-newest'

/** Options of `BoundedQueue`. */
export interface BoundedQueueInit {
  /** Most items held. Required. */
  capacity: number
  /** What `push` does when full; `pushWait` waits for room instead. Required, so it is a decision. */
  overflow: OverflowPolicy
}

/** Options of the waiting operations. */
export interface QueueWaitOptions {
  /** Aborting rejects the wait (see `errorFromSignal`) and forgets it. Default: none. */
  signal?: AbortSignal | undefined
}

interface Waiter<Result> {
  resolve(result: Result): void
  reject(error: Error): void
}

interface Pusher<Item> extends Waiter<undefined> {
  readonly item: Item
}

/**
 * A FIFO holding at most `capacity` items in a ring buffer, with an explicit policy when full
 * (`push`) or back-pressure (`pushWait`). Consumers `shift`, await `next`, or iterate with
 * `for await`, which ends once the queue is closed and drained. Waiting consumers and producers
 * are held in order; their number is bounded by the callers, never by a remote party.
 */
export class BoundedQueue<Item> implements AsyncIterable<Item> {
  readonly capacity: number
  readonly overflow: OverflowPolicy
  readonly #items: RingBuffer<Item>
  readonly #takers = new Set<Waiter<IteratorResult<Item, undefined>>>()
  readonly #pushers = new Set<Pusher<Item>>()
  #closed = false
  #dropped = 0
  #rejected = 0

  constructor(init: BoundedQueueInit) {
    assertCapacity(init.capacity, 'bounded queue')
    this.capacity = init.capacity
    this.overflow = init.overflow
    this.#items = new RingBuffer(init.capacity)
  }

  /** Items held now. */
  get size(): number {
    return this.#items.size
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Items lost to the `drop-oldest` and `drop-newest` policies since creation. */
  get dropped(): number {
    return this.#dropped
  }

  /** Pushes refused with `QueueFullError` under the `reject` policy since creation. */
  get rejected(): number {
    return this.#rejected
  }

  /**
   * Adds `item`, applying the overflow policy when full. Throws `QueueFullError` when full under
   * `reject`, and `ClosedError` once closed.
   */
  push(item: Item): PushResult {
    if (this.#closed) throw new ClosedError('cannot push to a closed queue')
    if (this.#handOff(item)) return 'added'
    if (!this.#items.full) {
      this.#items.push(item)
      return 'added'
    }
    switch (this.overflow) {
      case 'drop-oldest':
        this.#items.shift()
        this.#items.push(item)
        this.#dropped++
        return 'dropped-oldest'
      case 'drop-newest':
        this.#dropped++
        return 'dropped-newest'
      case 'reject':
        this.#rejected++
        throw new QueueFullError(`queue is full (capacity ${this.capacity})`)
    }
  }

  /** Adds `item`, waiting for room while full (back-pressure). Rejects with `ClosedError` on close. */
  pushWait(item: Item, options: QueueWaitOptions = {}): Promise<void> {
    const { signal } = options
    if (signal?.aborted === true) return Promise.reject(errorFromSignal(signal))
    if (this.#closed) return Promise.reject(new ClosedError('cannot push to a closed queue'))
    if (this.#handOff(item)) return Promise.resolve()
    if (!this.#items.full) {
      this.#items.push(item)
      return Promise.resolve()
    }
    return this.#wait(this.#pushers, signal, (waiter) => ({ ...waiter, item }))
  }

  /** Removes and returns the oldest item, or undefined when empty. */
  shift(): Item | undefined {
    if (this.#items.size === 0) return undefined
    const item = this.#items.shift()
    const pusher = first(this.#pushers)
    if (pusher !== undefined) {
      this.#pushers.delete(pusher)
      this.#items.push(pusher.item)
      pusher.resolve(undefined)
    }
    return item
  }

  /** The oldest item without removing it, or undefined when empty. */
  peek(): Item | undefined {
    return this.#items.peek()
  }

  /** The next item, waiting while empty; `{ done: true }` once closed and drained. */
  next(options: QueueWaitOptions = {}): Promise<IteratorResult<Item, undefined>> {
    const { signal } = options
    if (signal?.aborted === true) return Promise.reject(errorFromSignal(signal))
    if (this.#items.size > 0) return Promise.resolve({ done: false, value: this.shift() as Item })
    if (this.#closed) return Promise.resolve({ done: true, value: undefined })
    return this.#wait(this.#takers, signal, (waiter) => waiter)
  }

  /** Iterates items as they come, ending once the queue is closed and drained. */
  async *iterate(options: QueueWaitOptions = {}): AsyncGenerator<Item, void, undefined> {
    for (;;) {
      const result = await this.next(options)
      if (result.done === true) return
      yield result.value
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    return this.iterate()
  }

  /**
   * Stops accepting items. Waiting consumers get `{ done: true }`, waiting producers reject with
   * `ClosedError`; items already queued can still be taken. Idempotent.
   */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    const takers = [...this.#takers]
    const pushers = [...this.#pushers]
    this.#takers.clear()
    this.#pushers.clear()
    for (const taker of takers) taker.resolve({ done: true, value: undefined })
    for (const pusher of pushers) pusher.reject(new ClosedError('the queue was closed'))
  }

  /** Gives `item` straight to the longest-waiting consumer, if any (the queue is then empty). */
  #handOff(item: Item): boolean {
    const taker = first(this.#takers)
    if (taker === undefined) return false
    this.#takers.delete(taker)
    taker.resolve({ done: false, value: item })
    return true
  }

  #wait<Result, Entry extends Waiter<Result>>(
    waiters: Set<Entry>,
    signal: AbortSignal | undefined,
    entryOf: (waiter: Waiter<Result>) => Entry,
  ): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      const onAbort = (): void => {
        waiters.delete(entry)
        reject(errorFromSignal(signal))
      }
      const entry = entryOf({
        resolve: (result) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(result)
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort)
          reject(error)
        },
      })
      waiters.add(entry)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}

function first<Value>(values: Set<Value>): Value | undefined {
  return values.values().next().value
}
