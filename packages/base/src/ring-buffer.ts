import { InvalidArgumentError } from './errors.js'

const INITIAL_SLOTS = 16

/** Checks that `capacity` is a positive safe integer; `what` names the owner in the message. */
export function assertCapacity(capacity: number, what: string): void {
  if (!Number.isSafeInteger(capacity) || capacity < 1) {
    throw new InvalidArgumentError(`${what} capacity must be a positive integer, got ${capacity}`)
  }
}

/**
 * A FIFO of at most `capacity` items in a circular array: O(1) at both ends, memory grows by
 * doubling up to the capacity and never beyond, so a large capacity costs nothing until used.
 */
export class RingBuffer<T> {
  readonly capacity: number
  #slots: (T | undefined)[]
  #head = 0
  #size = 0

  constructor(capacity: number) {
    assertCapacity(capacity, 'ring buffer')
    this.capacity = capacity
    this.#slots = new Array<T | undefined>(Math.min(capacity, INITIAL_SLOTS))
  }

  get size(): number {
    return this.#size
  }

  get full(): boolean {
    return this.#size === this.capacity
  }

  /** Appends `item`; the caller checks `full` first. */
  push(item: T): void {
    if (this.#size === this.#slots.length) this.#grow()
    this.#slots[(this.#head + this.#size) % this.#slots.length] = item
    this.#size++
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined
    const item = this.#slots[this.#head]
    this.#slots[this.#head] = undefined
    this.#head = (this.#head + 1) % this.#slots.length
    this.#size--
    return item
  }

  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#slots[this.#head]
  }

  clear(): void {
    this.#slots = new Array<T | undefined>(Math.min(this.capacity, INITIAL_SLOTS))
    this.#head = 0
    this.#size = 0
  }

  *[Symbol.iterator](): Generator<T> {
    for (let index = 0; index < this.#size; index++) {
      yield this.#slots[(this.#head + index) % this.#slots.length] as T
    }
  }

  #grow(): void {
    const slots = new Array<T | undefined>(Math.min(this.capacity, this.#slots.length * 2))
    for (let index = 0; index < this.#size; index++) {
      slots[index] = this.#slots[(this.#head + index) % this.#slots.length]
    }
    this.#slots = slots
    this.#head = 0
  }
}
