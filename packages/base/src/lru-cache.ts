import { assertCapacity } from './ring-buffer.js'

/** Options of `LruCache`. */
export interface LruCacheInit<Key, Value> {
  /** Most entries held; setting a new key when full evicts the least recently used. Required. */
  capacity: number
  /** Called with each entry evicted to make room (not on `delete` or `clear`). Default: none. */
  onEvict?: (key: Key, value: Value) => void
}

/**
 * A map bounded by `capacity` that evicts the least recently used entry when full. `get` and
 * `set` make an entry the most recent; `peek` and `has` do not. Iteration runs from the least to
 * the most recently used. Every operation is O(1) (a `Map` kept in recency order).
 */
export class LruCache<Key, Value> implements Iterable<[Key, Value]> {
  readonly capacity: number
  readonly #entries = new Map<Key, Value>()
  readonly #onEvict: ((key: Key, value: Value) => void) | undefined

  constructor(init: LruCacheInit<Key, Value>) {
    assertCapacity(init.capacity, 'LRU cache')
    this.capacity = init.capacity
    this.#onEvict = init.onEvict
  }

  get size(): number {
    return this.#entries.size
  }

  /** The value of `key`, marking it most recently used; undefined when absent. */
  get(key: Key): Value | undefined {
    if (!this.#entries.has(key)) return undefined
    const value = this.#entries.get(key) as Value
    this.#entries.delete(key)
    this.#entries.set(key, value)
    return value
  }

  /** The value of `key` without touching its recency. */
  peek(key: Key): Value | undefined {
    return this.#entries.get(key)
  }

  has(key: Key): boolean {
    return this.#entries.has(key)
  }

  /** Stores `value` as the most recently used entry, evicting the least recent when full. */
  set(key: Key, value: Value): this {
    let evicted: [Key, Value] | undefined
    if (this.#entries.has(key)) {
      this.#entries.delete(key)
    } else if (this.#entries.size >= this.capacity) {
      evicted = this.#removeOldest()
    }
    this.#entries.set(key, value)
    // Notified last, so a throwing callback cannot leave the cache without the new entry.
    if (evicted !== undefined) this.#onEvict?.(...evicted)
    return this
  }

  delete(key: Key): boolean {
    return this.#entries.delete(key)
  }

  clear(): void {
    this.#entries.clear()
  }

  keys(): MapIterator<Key> {
    return this.#entries.keys()
  }

  values(): MapIterator<Value> {
    return this.#entries.values()
  }

  entries(): MapIterator<[Key, Value]> {
    return this.#entries.entries()
  }

  [Symbol.iterator](): MapIterator<[Key, Value]> {
    return this.#entries.entries()
  }

  #removeOldest(): [Key, Value] | undefined {
    const oldest = this.#entries.entries().next()
    if (oldest.done === true) return undefined
    this.#entries.delete(oldest.value[0])
    return oldest.value
  }
}
