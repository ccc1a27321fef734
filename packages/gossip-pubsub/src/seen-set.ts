import type { MessageId } from './signed-envelope.js'

interface SeenEntry {
  readonly expiresAt: number
  readonly topic: string
}

/**
 * The ids of messages already delivered (Plumtree's `receivedMessages`, §3.3), with the topic of
 * each so a duplicate can be PRUNEd without decoding it. Bounded by `capacity` (oldest forgotten
 * first) and by `ttl`; time is passed in, never read. One ttl for all, so insertion order is
 * expiry order and purging stops at the first live entry.
 */
export class SeenSet {
  readonly capacity: number
  readonly ttl: number
  readonly #entries = new Map<MessageId, SeenEntry>()

  constructor(capacity: number, ttl: number) {
    this.capacity = capacity
    this.ttl = ttl
  }

  get size(): number {
    return this.#entries.size
  }

  /** The topic of `id` when it was seen and has not expired at `now`. */
  topicOf(id: MessageId, now: number): string | undefined {
    const entry = this.#entries.get(id)
    return entry !== undefined && entry.expiresAt > now ? entry.topic : undefined
  }

  has(id: MessageId, now: number): boolean {
    return this.topicOf(id, now) !== undefined
  }

  add(id: MessageId, topic: string, now: number): void {
    this.#entries.delete(id)
    this.prune(now)
    while (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next()
      if (oldest.done === true) break
      this.#entries.delete(oldest.value)
    }
    this.#entries.set(id, { expiresAt: now + this.ttl, topic })
  }

  /** Forgets every id expired at `now`. */
  prune(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt > now) break
      this.#entries.delete(id)
    }
  }
}
