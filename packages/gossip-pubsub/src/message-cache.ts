import type { AgentId } from '@x0x/pqc'
import type { EnvelopeSummary } from './plumtree.js'
import type { MessageId } from './signed-envelope.js'

/** A verified envelope kept to answer GRAFTs (Plumtree §3.3) and anti-entropy digests. */
export interface CachedEnvelope extends EnvelopeSummary {
  /** Hops the envelope had travelled when it reached this node (0 for its own). */
  readonly hops: number
  readonly insertedAt: number
}

/** Bounds of a `MessageCache`. */
export interface MessageCacheLimits {
  readonly maxMessages: number
  readonly maxBytes: number
  readonly maxAge: number
}

/** The key of one (topic, origin, epoch) stream. */
export function streamKeyOf(topic: string, origin: AgentId, epoch: number): string {
  return `${origin}:${epoch}:${topic}`
}

/**
 * Recently delivered envelopes, bounded by count, total bytes and age; the oldest leave first
 * (a `Map` in insertion order, so eviction is O(1)). Indexed by stream for anti-entropy repair.
 */
export class MessageCache {
  readonly limits: MessageCacheLimits
  readonly #entries = new Map<MessageId, CachedEnvelope>()
  readonly #byStream = new Map<string, Set<MessageId>>()
  #bytes = 0
  #evicted = 0

  constructor(limits: MessageCacheLimits) {
    this.limits = limits
  }

  get size(): number {
    return this.#entries.size
  }

  get bytes(): number {
    return this.#bytes
  }

  /** Envelopes evicted for count, bytes or age since creation. */
  get evicted(): number {
    return this.#evicted
  }

  get(id: MessageId): CachedEnvelope | undefined {
    return this.#entries.get(id)
  }

  /** Adds an envelope (ignored if present or larger than the byte limit), evicting the oldest. */
  insert(entry: CachedEnvelope, now: number): void {
    if (this.#entries.has(entry.id) || entry.bytes.length > this.limits.maxBytes) return
    this.evictExpired(now)
    while (
      this.#entries.size > 0 &&
      (this.#entries.size >= this.limits.maxMessages ||
        this.#bytes + entry.bytes.length > this.limits.maxBytes)
    ) {
      this.#evictOldest()
    }
    this.#entries.set(entry.id, entry)
    this.#bytes += entry.bytes.length
    const key = streamKeyOf(entry.topic, entry.origin, entry.epoch)
    let ids = this.#byStream.get(key)
    if (ids === undefined) {
      ids = new Set()
      this.#byStream.set(key, ids)
    }
    ids.add(entry.id)
  }

  /** Evicts every envelope older than `maxAge` at `now`. */
  evictExpired(now: number): void {
    for (const entry of this.#entries.values()) {
      if (entry.insertedAt + this.limits.maxAge > now) break
      this.#evictOldest()
    }
  }

  /** Cached envelopes of a stream, oldest first. */
  *ofStream(topic: string, origin: AgentId, epoch: number): Generator<CachedEnvelope> {
    const ids = this.#byStream.get(streamKeyOf(topic, origin, epoch))
    if (ids === undefined) return
    for (const id of ids) {
      const entry = this.#entries.get(id)
      if (entry !== undefined) yield entry
    }
  }

  #evictOldest(): void {
    const oldest = this.#entries.values().next()
    if (oldest.done === true) return
    const entry = oldest.value
    this.#entries.delete(entry.id)
    this.#bytes -= entry.bytes.length
    this.#evicted++
    const key = streamKeyOf(entry.topic, entry.origin, entry.epoch)
    const ids = this.#byStream.get(key)
    ids?.delete(entry.id)
    if (ids?.size === 0) this.#byStream.delete(key)
  }
}
