import { systemClock, type Clock } from './clock.js'
import { InvalidArgumentError } from './errors.js'
import { assertCapacity } from './ring-buffer.js'

/** Why a `TtlCache` entry left without being deleted. */
export type TtlEvictionReason = 'expired' | 'capacity'

/** Options of `TtlCache`. */
export interface TtlCacheInit<Key, Value> {
  /** Most entries held; setting a new key when full evicts the oldest. Required. */
  capacity: number
  /** Milliseconds an entry lives after it was last set. Required. */
  ttl: number
  /** Where time is read. Default: `systemClock`. */
  clock?: Clock
  /** Called with each entry that expired or was evicted for room (not on `delete`). Default: none. */
  onEvict?: (key: Key, value: Value, reason: TtlEvictionReason) => void
}

interface Slot<Value> {
  readonly value: Value
  readonly expiresAt: number
}

/**
 * A map whose entries expire `ttl` milliseconds after they were set, bounded by `capacity`.
 * Expired entries are invisible at once and purged lazily (on access, on `size`, on iteration and
 * on `prune()`). When full, setting a new key evicts the oldest entry, which with one ttl for all
 * entries is also the one closest to expiry. Assumes the clock does not go backwards.
 */
export class TtlCache<Key, Value> implements Iterable<[Key, Value]> {
  readonly capacity: number
  readonly ttl: number
  readonly #clock: Clock
  readonly #onEvict: TtlCacheInit<Key, Value>['onEvict']
  // Insertion order is expiry order: `set` re-inserts, and every entry shares one ttl.
  readonly #slots = new Map<Key, Slot<Value>>()

  constructor(init: TtlCacheInit<Key, Value>) {
    assertCapacity(init.capacity, 'TTL cache')
    if (!Number.isFinite(init.ttl) || init.ttl <= 0) {
      throw new InvalidArgumentError(`TTL cache ttl must be a positive number, got ${init.ttl}`)
    }
    this.capacity = init.capacity
    this.ttl = init.ttl
    this.#clock = init.clock ?? systemClock
    this.#onEvict = init.onEvict
  }

  /** Live entries (expired ones are purged first). */
  get size(): number {
    this.prune()
    return this.#slots.size
  }

  /** The value of `key`, or undefined when absent or expired. Does not extend its life. */
  get(key: Key): Value | undefined {
    return this.#live(key)?.value
  }

  has(key: Key): boolean {
    return this.#live(key) !== undefined
  }

  /** Stores `value` for `ttl` from now, evicting the oldest entry when full. */
  set(key: Key, value: Value): this {
    let evicted: [Key, Slot<Value>] | undefined
    if (!this.#slots.delete(key)) {
      this.prune()
      if (this.#slots.size >= this.capacity) evicted = this.#removeOldest()
    }
    this.#slots.set(key, { value, expiresAt: this.#clock.now() + this.ttl })
    // Notified last, so a throwing callback cannot leave the cache without the new entry.
    if (evicted !== undefined) this.#onEvict?.(evicted[0], evicted[1].value, 'capacity')
    return this
  }

  delete(key: Key): boolean {
    return this.#slots.delete(key)
  }

  clear(): void {
    this.#slots.clear()
  }

  /** Purges expired entries now and returns how many went. */
  prune(): number {
    const now = this.#clock.now()
    let removed = 0
    for (const [key, slot] of this.#slots) {
      if (slot.expiresAt > now) break
      this.#slots.delete(key)
      removed++
      this.#onEvict?.(key, slot.value, 'expired')
    }
    return removed
  }

  *keys(): Generator<Key> {
    for (const [key] of this.entries()) yield key
  }

  *values(): Generator<Value> {
    for (const [, value] of this.entries()) yield value
  }

  /** Live entries, oldest first. */
  *entries(): Generator<[Key, Value]> {
    this.prune()
    const now = this.#clock.now()
    for (const [key, slot] of this.#slots) {
      if (slot.expiresAt > now) yield [key, slot.value]
    }
  }

  [Symbol.iterator](): Generator<[Key, Value]> {
    return this.entries()
  }

  #live(key: Key): Slot<Value> | undefined {
    const slot = this.#slots.get(key)
    if (slot === undefined) return undefined
    if (slot.expiresAt > this.#clock.now()) return slot
    this.#slots.delete(key)
    this.#onEvict?.(key, slot.value, 'expired')
    return undefined
  }

  #removeOldest(): [Key, Slot<Value>] | undefined {
    const oldest = this.#slots.entries().next()
    if (oldest.done === true) return undefined
    this.#slots.delete(oldest.value[0])
    return oldest.value
  }
}
