/** A timer scheduled on a `VirtualClock`. The object itself is the handle given to callers. */
export interface VirtualTimer {
  /** When it fires next, in virtual milliseconds. */
  time: number
  /** Scheduling order: breaks ties between timers due at the same time. */
  sequence: number
  readonly callback: () => void
  /** Period of an interval; undefined for a one-shot timeout. */
  readonly interval: number | undefined
  cancelled: boolean
}

function before(a: VirtualTimer, b: VirtualTimer): boolean {
  return a.time < b.time || (a.time === b.time && a.sequence < b.sequence)
}

/** A binary min-heap ordered by (time, sequence): O(log n) push and pop. */
export class TimerHeap {
  #items: VirtualTimer[] = []

  get size(): number {
    return this.#items.length
  }

  peek(): VirtualTimer | undefined {
    return this.#items[0]
  }

  push(timer: VirtualTimer): void {
    const items = this.#items
    let index = items.push(timer) - 1
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = items[parentIndex] as VirtualTimer
      if (!before(timer, parent)) break
      items[index] = parent
      index = parentIndex
    }
    items[index] = timer
  }

  pop(): VirtualTimer | undefined {
    const items = this.#items
    const top = items[0]
    const last = items.pop()
    if (top === undefined || last === undefined || items.length === 0) return top
    this.#siftDown(last, 0)
    return top
  }

  /** Drops every cancelled timer and rebuilds the heap in O(n). */
  compact(): void {
    this.#items = this.#items.filter((timer) => !timer.cancelled)
    for (let index = (this.#items.length >> 1) - 1; index >= 0; index--) {
      this.#siftDown(this.#items[index] as VirtualTimer, index)
    }
  }

  /** Empties the heap and returns what it held. */
  clear(): VirtualTimer[] {
    const items = this.#items
    this.#items = []
    return items
  }

  #siftDown(timer: VirtualTimer, start: number): void {
    const items = this.#items
    const length = items.length
    let index = start
    for (;;) {
      const left = 2 * index + 1
      if (left >= length) break
      const right = left + 1
      let child = left
      if (right < length && before(items[right] as VirtualTimer, items[left] as VirtualTimer)) {
        child = right
      }
      const smallest = items[child] as VirtualTimer
      if (!before(smallest, timer)) break
      items[index] = smallest
      index = child
    }
    items[index] = timer
  }
}
