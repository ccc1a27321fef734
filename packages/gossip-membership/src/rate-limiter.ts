/** One sender's token bucket. */
interface Bucket {
  tokens: number
  updatedAt: number
}

/**
 * Token buckets keyed by sender, `capacity` tokens refilled evenly over `windowMs`: a sender gets
 * `capacity` messages per window and no more. Holds at most `maxSenders` buckets; when full, the
 * least recently seen sender is forgotten (it then starts with a full bucket, which costs at most
 * one extra window's worth of messages). Time comes from the caller.
 */
export class RateLimiter {
  readonly #capacity: number
  readonly #windowMs: number
  readonly #maxSenders: number
  readonly #buckets = new Map<string, Bucket>()

  constructor(capacity: number, windowMs: number, maxSenders: number) {
    this.#capacity = capacity
    this.#windowMs = windowMs
    this.#maxSenders = maxSenders
  }

  /** Senders tracked. */
  get size(): number {
    return this.#buckets.size
  }

  /** Takes one token from `sender`'s bucket at time `now`; false when it is empty. */
  tryTake(sender: string, now: number): boolean {
    let bucket = this.#buckets.get(sender)
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#maxSenders) {
        const oldest = this.#buckets.keys().next()
        if (oldest.done !== true) this.#buckets.delete(oldest.value)
      }
      bucket = { tokens: this.#capacity, updatedAt: now }
    } else {
      this.#buckets.delete(sender) // re-inserted below: Map order is recency order
      const refill = ((now - bucket.updatedAt) * this.#capacity) / this.#windowMs
      bucket.tokens = Math.min(this.#capacity, bucket.tokens + Math.max(0, refill))
      bucket.updatedAt = now
    }
    this.#buckets.set(sender, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }
}
