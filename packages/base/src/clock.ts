import { delayOn } from './delay.js'

declare const timerHandleBrand: unique symbol

/** An opaque timer returned by a `Clock`; only the clock that made it can clear it. */
export interface TimerHandle {
  readonly [timerHandleBrand]: true
}

/** Options of `Clock.delay`. */
export interface DelayOptions {
  /** Aborting rejects the delay and clears its timer. Default: none. */
  signal?: AbortSignal | undefined
}

/**
 * The source of time and timers. Every x0x component takes one (real in production, virtual in
 * tests and simulations) and never reads `Date.now()` or calls the global `setTimeout` itself.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch (or since the virtual clock's start time). */
  now(): number
  /** Runs `callback` once after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle
  /** Runs `callback` every `ms` milliseconds until cleared. */
  setInterval(callback: () => void, ms: number): TimerHandle
  /** Cancels a timeout or an interval; clearing a fired, cleared or missing handle is a no-op. */
  clearTimeout(handle: TimerHandle | undefined): void
  /** Same as `clearTimeout`; both clear either kind of timer. */
  clearInterval(handle: TimerHandle | undefined): void
  /**
   * Resolves after `ms` milliseconds. Rejects when `signal` aborts (see `errorFromSignal` for the
   * error) and clears its timer on every path.
   */
  delay(ms: number, options?: DelayOptions): Promise<void>
}

/** Options of `createSystemClock`. */
export interface SystemClockInit {
  /** Whether timers are `unref`ed, so a pending timer does not keep the process alive. Default: false. */
  unrefTimers?: boolean
}

/** A `Clock` over `Date.now()` and Node's timers. */
export function createSystemClock(init: SystemClockInit = {}): Clock {
  const unrefTimers = init.unrefTimers ?? false
  const track = (timer: NodeJS.Timeout): TimerHandle => {
    if (unrefTimers) timer.unref()
    return timer as unknown as TimerHandle
  }
  const clear = (handle: TimerHandle | undefined): void => {
    if (handle !== undefined) globalThis.clearTimeout(handle as unknown as NodeJS.Timeout)
  }
  const clock: Clock = {
    now: () => Date.now(),
    setTimeout: (callback, ms) => track(globalThis.setTimeout(callback, ms)),
    setInterval: (callback, ms) => track(globalThis.setInterval(callback, ms)),
    clearTimeout: clear,
    clearInterval: clear,
    delay: (ms, options = {}) => delayOn(clock, ms, options.signal),
  }
  return clock
}

/** The real clock with referenced timers: the default of every `clock` option. */
export const systemClock: Clock = createSystemClock()
