import type { Clock, DelayOptions, TimerHandle } from './clock.js'
import {
  DEFAULT_MAX_IDLE_TIMERS,
  DEFAULT_SETTLE_TURNS,
  MIN_COMPACTION_GARBAGE,
} from './constants.js'
import { delayOn } from './delay.js'
import { InvalidArgumentError, InvalidStateError } from './errors.js'
import { TimerHeap, type VirtualTimer } from './timer-heap.js'

/** Options of `VirtualClock`. */
export interface VirtualClockInit {
  /** The value `now()` returns before any advance, in milliseconds. Default: 0. */
  startTime?: number
}

/** Options of `VirtualClock.runUntilIdle`. */
export interface RunUntilIdleOptions {
  /** Stop after this many firings, so a periodic timer cannot loop forever. Default: 100,000. */
  maxTimers?: number
}

/** Options of the async variants, which let promise chains settle between firings. */
export interface SettleOptions {
  /** Macrotask turns (`setImmediate`) awaited before each firing and at the end. Default: 1. */
  settleTurns?: number
}

interface OwnedTimer extends VirtualTimer {
  readonly owner: VirtualClock
}

function timerDelay(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? ms : 0
}

function settle(turns: number): Promise<void> {
  let chain = Promise.resolve()
  for (let turn = 0; turn < turns; turn++) {
    chain = chain.then(() => new Promise<void>((resolve) => setImmediate(resolve)))
  }
  return chain
}

/**
 * A `Clock` whose time moves only when driven, for deterministic tests and simulations of many
 * nodes. Timers fire in time order, ties in scheduling order; a timer scheduled while firing that
 * falls inside the advanced window fires in the same call. Timers live in a binary heap (O(log n)
 * schedule and fire) and cancellation is lazy, with compaction once cancelled timers outnumber
 * live ones, so memory stays proportional to live timers under churn.
 *
 * The synchronous drivers fire callbacks back to back; code that awaits between timers needs the
 * `…Async` drivers, which yield to the event loop before each firing so promise chains settle.
 */
export class VirtualClock implements Clock {
  #now: number
  readonly #heap = new TimerHeap()
  #sequence = 0
  #live = 0
  #garbage = 0
  #driving = false

  constructor(init: VirtualClockInit = {}) {
    const startTime = init.startTime ?? 0
    if (!Number.isFinite(startTime)) {
      throw new InvalidArgumentError(`startTime must be finite, got ${startTime}`)
    }
    this.#now = startTime
  }

  /** Timeouts and intervals scheduled and not yet fired (one-shot) or cleared. */
  get pendingTimers(): number {
    return this.#live
  }

  now(): number {
    return this.#now
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.#schedule(callback, timerDelay(ms), undefined)
  }

  setInterval(callback: () => void, ms: number): TimerHandle {
    // Like Node, an interval is at least 1 ms: a zero period would fire forever without time moving.
    const period = Math.max(1, timerDelay(ms))
    return this.#schedule(callback, period, period)
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    const timer = handle as Partial<OwnedTimer> | undefined
    if (typeof timer !== 'object' || timer.owner !== this || timer.cancelled !== false) return
    timer.cancelled = true
    this.#live--
    this.#garbage++
    if (this.#garbage > MIN_COMPACTION_GARBAGE && this.#garbage > this.#live) {
      this.#heap.compact()
      this.#garbage = 0
    }
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle)
  }

  delay(ms: number, options: DelayOptions = {}): Promise<void> {
    return delayOn(this, ms, options.signal)
  }

  /** When the next pending timer is due, or undefined when none is pending. */
  nextTimerAt(): number | undefined {
    return this.#peekLive()?.time
  }

  /** Moves time forward by `ms`, firing every timer due on the way. Returns how many fired. */
  advance(ms: number): number {
    const target = this.#target(ms)
    return this.#drive(() => {
      let fired = 0
      for (let timer = this.#popDue(target); timer; timer = this.#popDue(target)) {
        this.#fire(timer)
        fired++
      }
      this.#now = target
      return fired
    })
  }

  /** Moves time forward to `time` (not before `now()`), firing every timer due on the way. */
  advanceTo(time: number): number {
    return this.advance(time - this.#now)
  }

  /** Jumps to the next pending timer and fires it. Returns false when none is pending. */
  runNext(): boolean {
    return this.#drive(() => this.#fireNext())
  }

  /** Fires timers in order until none is pending or `maxTimers` fired. Returns how many fired. */
  runUntilIdle(options: RunUntilIdleOptions = {}): number {
    const maxTimers = options.maxTimers ?? DEFAULT_MAX_IDLE_TIMERS
    return this.#drive(() => {
      let fired = 0
      while (fired < maxTimers && this.#fireNext()) fired++
      return fired
    })
  }

  /** `advance`, letting promise chains settle before each firing and at the end. */
  async advanceAsync(ms: number, options: SettleOptions = {}): Promise<number> {
    const target = this.#target(ms)
    const turns = options.settleTurns ?? DEFAULT_SETTLE_TURNS
    return this.#driveAsync(async () => {
      let fired = 0
      for (;;) {
        await settle(turns)
        const timer = this.#popDue(target)
        if (timer === undefined) break
        this.#fire(timer)
        fired++
      }
      this.#now = target
      return fired
    })
  }

  /** `runNext`, letting promise chains settle before and after the firing. */
  async runNextAsync(options: SettleOptions = {}): Promise<boolean> {
    const turns = options.settleTurns ?? DEFAULT_SETTLE_TURNS
    return this.#driveAsync(async () => {
      await settle(turns)
      const fired = this.#fireNext()
      await settle(turns)
      return fired
    })
  }

  /** `runUntilIdle`, letting promise chains settle before each firing and at the end. */
  async runUntilIdleAsync(options: RunUntilIdleOptions & SettleOptions = {}): Promise<number> {
    const maxTimers = options.maxTimers ?? DEFAULT_MAX_IDLE_TIMERS
    const turns = options.settleTurns ?? DEFAULT_SETTLE_TURNS
    return this.#driveAsync(async () => {
      let fired = 0
      await settle(turns)
      while (fired < maxTimers && this.#fireNext()) {
        fired++
        await settle(turns)
      }
      return fired
    })
  }

  /** Cancels every pending timer without firing it; time does not move. */
  clearAll(): void {
    for (const timer of this.#heap.clear()) timer.cancelled = true
    this.#live = 0
    this.#garbage = 0
  }

  #schedule(callback: () => void, ms: number, interval: number | undefined): TimerHandle {
    const timer: OwnedTimer = {
      time: this.#now + ms,
      sequence: this.#sequence++,
      callback,
      interval,
      cancelled: false,
      owner: this,
    }
    this.#heap.push(timer)
    this.#live++
    return timer as unknown as TimerHandle
  }

  #target(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new InvalidArgumentError(`cannot advance a virtual clock by ${ms} ms`)
    }
    return this.#now + ms
  }

  #peekLive(): VirtualTimer | undefined {
    for (let timer = this.#heap.peek(); timer; timer = this.#heap.peek()) {
      if (!timer.cancelled) return timer
      this.#heap.pop()
      this.#garbage--
    }
    return undefined
  }

  #popDue(limit: number): VirtualTimer | undefined {
    const timer = this.#peekLive()
    if (timer === undefined || timer.time > limit) return undefined
    return this.#heap.pop()
  }

  #fireNext(): boolean {
    const timer = this.#popDue(Infinity)
    if (timer === undefined) return false
    this.#fire(timer)
    return true
  }

  #fire(timer: VirtualTimer): void {
    this.#now = Math.max(this.#now, timer.time)
    if (timer.interval === undefined) {
      timer.cancelled = true
      this.#live--
    } else {
      timer.time += timer.interval
      timer.sequence = this.#sequence++
      this.#heap.push(timer)
    }
    timer.callback()
  }

  #drive<T>(run: () => T): T {
    this.#enter()
    try {
      return run()
    } finally {
      this.#driving = false
    }
  }

  async #driveAsync<T>(run: () => Promise<T>): Promise<T> {
    this.#enter()
    try {
      return await run()
    } finally {
      this.#driving = false
    }
  }

  #enter(): void {
    // Driving from inside a firing would reorder timers relative to the outer drive.
    if (this.#driving) throw new InvalidStateError('the virtual clock is already being driven')
    this.#driving = true
  }
}
