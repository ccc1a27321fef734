import type { Clock, TimerHandle } from '@x0x/base'

/** A message in transit between two memory transports. */
export interface Delivery {
  /** When it arrives, in clock milliseconds. */
  time: number
  /** Network-wide send order: breaks ties in `time`, and orders messages held by a partition. */
  readonly sequence: number
  /** Called on arrival. */
  readonly receiver: DeliveryReceiver
}

/** Where deliveries go on arrival (a link). */
export interface DeliveryReceiver {
  deliver(delivery: Delivery): void
}

function before(a: Delivery, b: Delivery): boolean {
  return a.time < b.time || (a.time === b.time && a.sequence < b.sequence)
}

/**
 * Every message in transit in a network, in a binary heap ordered by (arrival time, send order),
 * behind a single clock timer armed for the earliest one. One timer for the whole network (rather
 * than one per message) keeps a 10,000-node simulation cheap, and the heap order, not the clock's
 * handling of equal deadlines, decides the order of arrivals: deterministic on any `Clock`.
 */
export class DeliveryScheduler {
  readonly #clock: Clock
  readonly #onDrained: () => void
  readonly #heap: Delivery[] = []
  #timer: TimerHandle | undefined
  #armedAt = Infinity

  /** `onDrained` runs whenever a batch of arrivals leaves nothing in transit. */
  constructor(clock: Clock, onDrained: () => void) {
    this.#clock = clock
    this.#onDrained = onDrained
  }

  /** Messages in transit. */
  get size(): number {
    return this.#heap.length
  }

  schedule(delivery: Delivery): void {
    this.#push(delivery)
    if (delivery.time < this.#armedAt) this.#arm(delivery.time)
  }

  /** Drops every message in transit and the timer. */
  clear(): void {
    this.#heap.length = 0
    this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#armedAt = Infinity
  }

  #arm(time: number): void {
    this.#clock.clearTimeout(this.#timer)
    this.#armedAt = time
    // A due time already passed (real clocks move on between scheduling and arming) fires now.
    this.#timer = this.#clock.setTimeout(this.#fire, Math.max(0, time - this.#clock.now()))
  }

  readonly #fire = (): void => {
    this.#timer = undefined
    this.#armedAt = Infinity
    const now = this.#clock.now()
    // Arrivals may send more; one due now (zero latency) arrives in this same batch.
    for (let next = this.#heap[0]; next !== undefined && next.time <= now; next = this.#heap[0]) {
      this.#pop()
      next.receiver.deliver(next)
    }
    const next = this.#heap[0]
    if (next === undefined) this.#onDrained()
    else if (next.time < this.#armedAt) this.#arm(next.time)
  }

  #push(delivery: Delivery): void {
    const heap = this.#heap
    let index = heap.push(delivery) - 1
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = heap[parentIndex] as Delivery
      if (!before(delivery, parent)) break
      heap[index] = parent
      index = parentIndex
    }
    heap[index] = delivery
  }

  #pop(): void {
    const heap = this.#heap
    const last = heap.pop()
    if (last === undefined || heap.length === 0) return
    const length = heap.length
    let index = 0
    for (;;) {
      const left = 2 * index + 1
      if (left >= length) break
      const right = left + 1
      const child =
        right < length && before(heap[right] as Delivery, heap[left] as Delivery) ? right : left
      const smallest = heap[child] as Delivery
      if (!before(smallest, last)) break
      heap[index] = smallest
      index = child
    }
    heap[index] = last
  }
}
