import { systemClock, type Clock, type TimerHandle } from './clock.js'
import { delayOn } from './delay.js'
import { TimeoutError } from './errors.js'
import { errorFromSignal } from './signal-error.js'

/** A signal derived from others, and the means to detach it from them. */
export interface CombinedSignal extends Disposable {
  /** Aborts when the first source aborts, with that source's reason. */
  readonly signal: AbortSignal
  /** Removes the listeners from the sources; the signal stays as it is. Idempotent. */
  clear(): void
}

const noop = (): void => undefined

/**
 * A signal that aborts as soon as any of `signals` aborts, with that signal's reason. Undefined
 * entries are skipped; with none left the result never aborts. Call `clear()` (or declare it with
 * `using`) when the work is done: a long-lived source (a service's shutdown signal) would otherwise
 * keep one listener per combination. Unlike Node's `AbortSignal.any`, which settles lazily and
 * can report a different source's reason, the result aborts synchronously with the first reason.
 */
export function combineSignals(...signals: (AbortSignal | undefined)[]): CombinedSignal {
  const sources = signals.filter((signal) => signal !== undefined)
  const controller = new AbortController()
  const early = sources.find((signal) => signal.aborted)
  if (early !== undefined) {
    controller.abort(early.reason)
    return { signal: controller.signal, clear: noop, [Symbol.dispose]: noop }
  }
  const onAbort = (event: Event): void => {
    clear()
    controller.abort((event.target as AbortSignal).reason)
  }
  const clear = (): void => {
    for (const source of sources) source.removeEventListener('abort', onAbort)
  }
  for (const source of sources) source.addEventListener('abort', onAbort, { once: true })
  return { signal: controller.signal, clear, [Symbol.dispose]: clear }
}

/** Options of `timeoutSignal`. */
export interface TimeoutSignalOptions {
  /** Where the deadline timer runs. Default: `systemClock`. */
  clock?: Clock
  /** A parent: the result also aborts when it does, with its reason. Default: none. */
  signal?: AbortSignal | undefined
}

/** A signal with a deadline, and the means to cancel the deadline once the work is done. */
export interface TimeoutSignal extends Disposable {
  /** Aborts with a `TimeoutError` at the deadline, or with the parent's reason. */
  readonly signal: AbortSignal
  /** Clears the timer and the parent listener; the signal stays as it is. Idempotent. */
  clear(): void
}

/**
 * A signal that aborts with a `TimeoutError` after `ms` on `clock`. Call `clear()` (or declare it
 * with `using`) when the work finishes: that clears the timer, so no timer outlives the work and a
 * virtual clock's `pendingTimers` returns to zero. Aborting the parent clears the timer too.
 */
export function timeoutSignal(ms: number, options: TimeoutSignalOptions = {}): TimeoutSignal {
  const clock = options.clock ?? systemClock
  const parent = options.signal
  const controller = new AbortController()
  let timer: TimerHandle | undefined
  const clear = (): void => {
    clock.clearTimeout(timer)
    timer = undefined
    parent?.removeEventListener('abort', onParentAbort)
  }
  const onParentAbort = (): void => {
    clear()
    controller.abort(parent?.reason)
  }
  if (parent?.aborted === true) {
    controller.abort(parent.reason)
  } else {
    parent?.addEventListener('abort', onParentAbort, { once: true })
    timer = clock.setTimeout(() => {
      timer = undefined
      clear()
      controller.abort(new TimeoutError(`timed out after ${ms} ms`))
    }, ms)
  }
  return { signal: controller.signal, clear, [Symbol.dispose]: clear }
}

/** Options of `abortableDelay`. */
export interface AbortableDelayOptions {
  /** Aborting rejects the delay and clears its timer. Default: none. */
  signal?: AbortSignal | undefined
  /** Where the timer runs. Default: `systemClock`. */
  clock?: Clock
}

/**
 * Resolves after `ms` on `clock`. When `signal` aborts it rejects with `errorFromSignal(signal)`
 * (an `AbortError` whose `cause` is the reason, or the `TimeoutError` of a deadline). The timer is
 * cleared and the listener removed on every path.
 */
export function abortableDelay(ms: number, options: AbortableDelayOptions = {}): Promise<void> {
  return delayOn(options.clock ?? systemClock, ms, options.signal)
}

/** Throws `errorFromSignal(signal)` when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw errorFromSignal(signal)
}

/**
 * Settles like `promise`, or rejects with `errorFromSignal(signal)` as soon as `signal` aborts.
 * The abort listener is removed on every path. An abandoned `promise` keeps running (the caller
 * must cancel the work itself) and its later rejection is swallowed so it cannot crash the process.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  if (signal.aborted) {
    promise.catch(() => undefined)
    return Promise.reject(errorFromSignal(signal))
  }
  let onAbort = (): void => undefined
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      reject(errorFromSignal(signal))
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
  // `Promise.race` handles `promise`'s rejection too, so an abandoned promise cannot go unhandled.
  return Promise.race([promise, aborted]).finally(() => {
    signal.removeEventListener('abort', onAbort)
  })
}
