// A local subscriber's bounded queue. A slow consumer must never stall the node or the other
// subscribers (PERF.md B6: gossipsub disconnects and silently loses it), so the queue has a bound
// and an explicit policy when full, and every message lost to it is counted and visible to the
// subscriber itself (`dropped`, and the per-stream sequence gap).
import { InvalidStateError } from '@x0x/base'
import type { Delivery } from '../pubsub-output.js'

/** One message handed to a local subscriber. */
export interface PubsubMessage extends Delivery {
  /** Always true: nothing unverified reaches a subscriber. */
  readonly verified: true
}

/** What a full subscriber queue does with a new message. */
export type SlowSubscriberPolicy = 'drop-newest' | 'drop-oldest'

/** A live subscription: iterate it for messages; `close()` (or `break`) unsubscribes. */
export interface Subscription extends AsyncIterable<PubsubMessage> {
  readonly topic: string
  /** Messages this subscriber lost because its queue was full. */
  readonly dropped: number
  /** Messages waiting to be read. */
  readonly queued: number
  /** Ends the iteration (pending reads resolve done) and releases the topic; idempotent. */
  close(): void
}

/** The outcome of offering a message to a subscriber. */
export type OfferResult = 'queued' | 'dropped' | 'closed'

/** A bounded single-consumer queue behind one `Subscription`. */
export class SubscriberQueue implements Subscription {
  readonly topic: string
  dropped = 0
  readonly #capacity: number
  readonly #policy: SlowSubscriberPolicy
  readonly #onClose: (queue: SubscriberQueue) => void
  #buffer: PubsubMessage[] = []
  #waiter: ((result: IteratorResult<PubsubMessage>) => void) | undefined
  #closed = false

  constructor(
    topic: string,
    capacity: number,
    policy: SlowSubscriberPolicy,
    onClose: (queue: SubscriberQueue) => void,
  ) {
    this.topic = topic
    this.#capacity = capacity
    this.#policy = policy
    this.#onClose = onClose
  }

  get queued(): number {
    return this.#buffer.length
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Never blocks: a full queue applies the policy and reports a drop. */
  offer(message: PubsubMessage): OfferResult {
    if (this.#closed) return 'closed'
    const waiter = this.#waiter
    if (waiter !== undefined) {
      this.#waiter = undefined
      waiter({ value: message, done: false })
      return 'queued'
    }
    if (this.#buffer.length < this.#capacity) {
      this.#buffer.push(message)
      return 'queued'
    }
    this.dropped++
    if (this.#policy === 'drop-oldest') {
      this.#buffer.shift()
      this.#buffer.push(message)
    }
    return 'dropped'
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#buffer = []
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.({ value: undefined, done: true })
    this.#onClose(this)
  }

  [Symbol.asyncIterator](): AsyncIterator<PubsubMessage> {
    return {
      next: () => this.#next(),
      return: () => {
        this.close()
        return Promise.resolve({ value: undefined, done: true })
      },
    }
  }

  #next(): Promise<IteratorResult<PubsubMessage>> {
    const message = this.#buffer.shift()
    if (message !== undefined) return Promise.resolve({ value: message, done: false })
    if (this.#closed) return Promise.resolve({ value: undefined, done: true })
    if (this.#waiter !== undefined)
      throw new InvalidStateError('a subscription has a single reader')
    return new Promise((resolve) => {
      this.#waiter = resolve
    })
  }
}
