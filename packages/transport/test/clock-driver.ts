import type { VirtualClock } from '@x0x/base'

/** A running driver; stop it before the clock is driven any other way. */
export interface ClockDriver {
  stop(): void
}

/**
 * Runs a virtual clock as fast as the program lets it: whenever the event loop comes round,
 * the next timer fires. Code can then simply await operations that take virtual time, as it
 * would on a real clock, and still run deterministically and without real waits.
 */
export function driveClock(clock: VirtualClock): ClockDriver {
  let running = true
  const step = (): void => {
    if (!running) return
    clock.runNext()
    setImmediate(step)
  }
  setImmediate(step)
  return {
    stop: () => {
      running = false
    },
  }
}
