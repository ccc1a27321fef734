// The service's single timer: the node says when it next needs a `tick` (`wakeAt()`), and one
// clock timer is kept at that time, re-armed only when it moves, so a busy node does not churn
// timers and a stopped one holds none.
import type { Clock, TimerHandle } from '@x0x/base'

export class WakeTimer {
  readonly #clock: Clock
  readonly #onWake: () => void
  #timer: TimerHandle | undefined
  #at: number | undefined

  constructor(clock: Clock, onWake: () => void) {
    this.#clock = clock
    this.#onWake = onWake
  }

  /** Arms the timer for `wakeAt` (absolute clock time), replacing any other. */
  arm(wakeAt: number): void {
    if (wakeAt === this.#at) return
    this.#clock.clearTimeout(this.#timer)
    this.#at = wakeAt
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = undefined
        this.#at = undefined
        this.#onWake()
      },
      Math.max(0, wakeAt - this.#clock.now()),
    )
  }

  clear(): void {
    this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#at = undefined
  }
}
