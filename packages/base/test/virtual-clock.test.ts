import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, InvalidStateError, VirtualClock } from '../src/index.js'

describe('VirtualClock', () => {
  it('starts at startTime and moves only when advanced', () => {
    const clock = new VirtualClock({ startTime: 1_000 })
    expect(clock.now()).toBe(1_000)
    clock.advance(250)
    expect(clock.now()).toBe(1_250)
    clock.advanceTo(2_000)
    expect(clock.now()).toBe(2_000)
  })

  it('fires timers in time order, ties in scheduling order, each at its own time', () => {
    const clock = new VirtualClock()
    const fired: string[] = []
    const record = (name: string) => () => fired.push(`${name}@${clock.now()}`)
    clock.setTimeout(record('c'), 30)
    clock.setTimeout(record('a'), 10)
    clock.setTimeout(record('b1'), 20)
    clock.setTimeout(record('b2'), 20)
    clock.setTimeout(record('late'), 31)
    expect(clock.advance(30)).toBe(4)
    expect(fired).toEqual(['a@10', 'b1@20', 'b2@20', 'c@30'])
    expect(clock.pendingTimers).toBe(1)
  })

  it('fires a timer scheduled during firing when it falls inside the window', () => {
    const clock = new VirtualClock()
    const fired: number[] = []
    clock.setTimeout(() => {
      clock.setTimeout(() => fired.push(clock.now()), 5)
      clock.setTimeout(() => fired.push(clock.now()), 50)
    }, 10)
    clock.advance(20)
    expect(fired).toEqual([15])
    expect(clock.pendingTimers).toBe(1)
    clock.advance(40)
    expect(fired).toEqual([15, 60])
  })

  it('does not fire a cleared timer and counts it out of pendingTimers', () => {
    const clock = new VirtualClock()
    let fired = false
    const handle = clock.setTimeout(() => (fired = true), 10)
    expect(clock.pendingTimers).toBe(1)
    clock.clearTimeout(handle)
    clock.clearTimeout(handle)
    expect(clock.pendingTimers).toBe(0)
    clock.advance(100)
    expect(fired).toBe(false)
  })

  it('ignores clearing a fired timer, undefined, or a handle from another clock', () => {
    const clock = new VirtualClock()
    const other = new VirtualClock()
    const fired = clock.setTimeout(() => undefined, 1)
    clock.advance(1)
    const foreign = other.setTimeout(() => undefined, 1)
    clock.setTimeout(() => undefined, 5)
    clock.clearTimeout(fired)
    clock.clearTimeout(undefined)
    clock.clearTimeout(foreign)
    expect(clock.pendingTimers).toBe(1)
    expect(other.pendingTimers).toBe(1)
  })

  it('repeats an interval until cleared, even when cleared from its own callback', () => {
    const clock = new VirtualClock()
    const times: number[] = []
    const handle = clock.setInterval(() => {
      times.push(clock.now())
      if (times.length === 3) clock.clearInterval(handle)
    }, 10)
    clock.advance(100)
    expect(times).toEqual([10, 20, 30])
    expect(clock.pendingTimers).toBe(0)
  })

  it('treats a zero interval as 1 ms so time keeps moving', () => {
    const clock = new VirtualClock()
    let count = 0
    clock.setInterval(() => count++, 0)
    clock.advance(5)
    expect(count).toBe(5)
  })

  it('fires a timeout with a negative or non-finite delay at the current time', () => {
    const clock = new VirtualClock({ startTime: 7 })
    const times: number[] = []
    clock.setTimeout(() => times.push(clock.now()), -5)
    clock.setTimeout(() => times.push(clock.now()), Number.NaN)
    clock.advance(0)
    expect(times).toEqual([7, 7])
  })

  it('runNext jumps to the next timer and reports when none is left', () => {
    const clock = new VirtualClock()
    clock.setTimeout(() => undefined, 500)
    expect(clock.nextTimerAt()).toBe(500)
    expect(clock.runNext()).toBe(true)
    expect(clock.now()).toBe(500)
    expect(clock.runNext()).toBe(false)
    expect(clock.nextTimerAt()).toBeUndefined()
  })

  it('runUntilIdle stops after maxTimers so an interval cannot loop forever', () => {
    const clock = new VirtualClock()
    let count = 0
    clock.setInterval(() => count++, 10)
    expect(clock.runUntilIdle({ maxTimers: 25 })).toBe(25)
    expect(count).toBe(25)
    expect(clock.now()).toBe(250)
    expect(clock.pendingTimers).toBe(1)
  })

  it('runUntilIdle drains chains of timeouts', () => {
    const clock = new VirtualClock()
    let remaining = 10
    const step = (): void => {
      if (--remaining > 0) clock.setTimeout(step, 100)
    }
    clock.setTimeout(step, 100)
    expect(clock.runUntilIdle()).toBe(10)
    expect(clock.now()).toBe(1_000)
  })

  it('rejects advancing by a negative or non-finite amount', () => {
    const clock = new VirtualClock()
    expect(() => clock.advance(-1)).toThrow(InvalidArgumentError)
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(InvalidArgumentError)
    expect(() => clock.advanceTo(-1)).toThrow(InvalidArgumentError)
  })

  it('refuses to be driven from inside a timer callback', () => {
    const clock = new VirtualClock()
    let error: unknown
    clock.setTimeout(() => {
      try {
        clock.advance(1)
      } catch (caught) {
        error = caught
      }
    }, 1)
    clock.advance(1)
    expect(error).toBeInstanceOf(InvalidStateError)
  })

  it('propagates a throwing callback and stays usable at that timer’s time', () => {
    const clock = new VirtualClock()
    clock.setTimeout(() => {
      throw new Error('boom')
    }, 10)
    let later = false
    clock.setTimeout(() => (later = true), 20)
    expect(() => clock.advance(30)).toThrow('boom')
    expect(clock.now()).toBe(10)
    clock.advance(20)
    expect(later).toBe(true)
  })

  it('clearAll cancels every pending timer without firing it', () => {
    const clock = new VirtualClock()
    let fired = 0
    const handle = clock.setTimeout(() => fired++, 1)
    clock.setInterval(() => fired++, 1)
    clock.clearAll()
    clock.clearTimeout(handle)
    expect(clock.pendingTimers).toBe(0)
    clock.advance(10)
    expect(fired).toBe(0)
    clock.setTimeout(() => fired++, 1)
    expect(clock.pendingTimers).toBe(1)
  })

  it('schedules and fires 100,000 timers in order, quickly', () => {
    const clock = new VirtualClock()
    const count = 100_000
    let last = -1
    let ordered = true
    let fired = 0
    for (let index = 0; index < count; index++) {
      const at = (index * 7_919) % count
      clock.setTimeout(() => {
        if (clock.now() < last) ordered = false
        last = clock.now()
        fired++
      }, at)
    }
    expect(clock.pendingTimers).toBe(count)
    const started = performance.now()
    clock.advance(count)
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(fired).toBe(count)
    expect(ordered).toBe(true)
  })

  it('stays correct under schedule-and-clear churn that triggers heap compaction', () => {
    const clock = new VirtualClock()
    for (let index = 0; index < 200_000; index++) {
      clock.clearTimeout(clock.setTimeout(() => undefined, 1_000))
    }
    expect(clock.pendingTimers).toBe(0)
    expect(clock.runUntilIdle()).toBe(0)
  })

  it('matches a sorted reference for arbitrary schedules and cancellations', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(1_000), cancel: fc.boolean() }), { maxLength: 200 }),
        fc.nat(1_200),
        (timers, window) => {
          const clock = new VirtualClock()
          const fired: number[] = []
          const handles = timers.map((timer, index) =>
            clock.setTimeout(() => fired.push(index), timer.at),
          )
          timers.forEach((timer, index) => {
            if (timer.cancel) clock.clearTimeout(handles[index])
          })
          clock.advance(window)
          const expected = timers
            .map((timer, index) => ({ ...timer, index }))
            .filter((timer) => !timer.cancel && timer.at <= window)
            .sort((a, b) => a.at - b.at || a.index - b.index)
            .map((timer) => timer.index)
          expect(fired).toEqual(expected)
          const live = timers.filter((timer) => !timer.cancel).length
          expect(clock.pendingTimers).toBe(live - expected.length)
        },
      ),
    )
  })

  describe('async drivers', () => {
    it('advanceAsync lets awaiting code schedule the next timer inside the window', async () => {
      const clock = new VirtualClock()
      const ticks: number[] = []
      const loop = async (): Promise<void> => {
        for (let index = 0; index < 5; index++) {
          await clock.delay(100)
          await Promise.resolve()
          ticks.push(clock.now())
        }
      }
      const running = loop()
      expect(await clock.advanceAsync(500)).toBe(5)
      await running
      expect(ticks).toEqual([100, 200, 300, 400, 500])
    })

    it('the synchronous advance fires only the first step of an awaiting loop', async () => {
      const clock = new VirtualClock()
      let steps = 0
      const running = (async () => {
        await clock.delay(100)
        steps++
        await clock.delay(100)
        steps++
      })()
      clock.advance(500)
      await Promise.resolve()
      await Promise.resolve()
      expect(steps).toBe(1)
      await clock.advanceAsync(100)
      await running
      expect(steps).toBe(2)
    })

    it('runUntilIdleAsync drains timers scheduled after awaits', async () => {
      const clock = new VirtualClock()
      const done = (async () => {
        for (let index = 0; index < 3; index++) await clock.delay(1_000)
        return clock.now()
      })()
      expect(await clock.runUntilIdleAsync()).toBe(3)
      expect(await done).toBe(3_000)
    })

    it('runNextAsync fires one timer and settles its continuation', async () => {
      const clock = new VirtualClock()
      let resumed = false
      void clock.delay(10).then(() => (resumed = true))
      expect(await clock.runNextAsync()).toBe(true)
      expect(resumed).toBe(true)
      expect(await clock.runNextAsync()).toBe(false)
    })

    it('rejects a concurrent drive while an async drive runs', async () => {
      const clock = new VirtualClock()
      const first = clock.advanceAsync(10)
      await expect(clock.advanceAsync(10)).rejects.toBeInstanceOf(InvalidStateError)
      expect(() => clock.advance(1)).toThrow(InvalidStateError)
      await first
      expect(clock.now()).toBe(10)
    })
  })
})
