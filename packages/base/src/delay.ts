import type { Clock } from './clock.js'
import { errorFromSignal } from './signal-error.js'

/** The one delay implementation behind `Clock.delay` and `abortableDelay`. */
export function delayOn(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted === true) return Promise.reject(errorFromSignal(signal))
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(timer)
      reject(errorFromSignal(signal))
    }
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
