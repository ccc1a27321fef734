import { describe, expect, it } from 'vitest'
import { AbortError, createSystemClock, systemClock } from '../src/index.js'

describe('systemClock', () => {
  it('reads wall-clock milliseconds', () => {
    const before = Date.now()
    const now = systemClock.now()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
  })

  it('fires a zero-delay timeout and does not fire a cleared one', async () => {
    const fired: string[] = []
    const cleared = systemClock.setTimeout(() => fired.push('cleared'), 0)
    systemClock.clearTimeout(cleared)
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 0))
    expect(fired).toEqual([])
  })

  it('repeats an interval until cleared', async () => {
    let count = 0
    await new Promise<void>((resolve) => {
      const handle = systemClock.setInterval(() => {
        if (++count === 3) {
          systemClock.clearInterval(handle)
          resolve()
        }
      }, 0)
    })
    expect(count).toBe(3)
  })

  it('unrefs its timers when asked, so they do not hold the process open', () => {
    const clock = createSystemClock({ unrefTimers: true })
    const handle = clock.setTimeout(() => undefined, 60_000) as unknown as NodeJS.Timeout
    expect(handle.hasRef()).toBe(false)
    clock.clearTimeout(handle as never)
    const referenced = systemClock.setTimeout(() => undefined, 60_000) as unknown as NodeJS.Timeout
    expect(referenced.hasRef()).toBe(true)
    systemClock.clearTimeout(referenced as never)
  })

  it('delay rejects with AbortError on abort', async () => {
    const controller = new AbortController()
    const delay = systemClock.delay(60_000, { signal: controller.signal })
    controller.abort()
    await expect(delay).rejects.toBeInstanceOf(AbortError)
  })
})
