import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import {
  AbortError,
  TimeoutError,
  VirtualClock,
  abortableDelay,
  combineSignals,
  errorFromSignal,
  raceSignal,
  throwIfAborted,
  timeoutSignal,
} from '../src/index.js'

describe('combineSignals', () => {
  it('aborts synchronously with the reason of the first source to abort', () => {
    const first = new AbortController()
    const second = new AbortController()
    const { signal } = combineSignals(first.signal, undefined, second.signal)
    second.abort('second')
    expect(signal.aborted).toBe(true)
    first.abort('first')
    expect(signal.reason).toBe('second')
  })

  it('removes its listeners from every source once one aborts', () => {
    const first = new AbortController()
    const second = new AbortController()
    combineSignals(first.signal, second.signal)
    first.abort()
    expect(getEventListeners(second.signal, 'abort')).toHaveLength(0)
  })

  it('clear() detaches from long-lived sources, which then no longer abort it', () => {
    const shutdown = new AbortController()
    for (let index = 0; index < 100; index++) {
      using _combined = combineSignals(shutdown.signal, new AbortController().signal)
    }
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0)
    const combined = combineSignals(shutdown.signal)
    combined.clear()
    shutdown.abort()
    expect(combined.signal.aborted).toBe(false)
  })

  it('never aborts when given only undefined', () => {
    expect(combineSignals(undefined, undefined).signal.aborted).toBe(false)
  })

  it('is aborted at once, attaching nothing, when a source already is', () => {
    const live = new AbortController()
    const { signal } = combineSignals(live.signal, AbortSignal.abort('early'))
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBe('early')
    expect(getEventListeners(live.signal, 'abort')).toHaveLength(0)
  })
})

describe('timeoutSignal', () => {
  it('aborts with a TimeoutError at the deadline on the given clock', () => {
    const clock = new VirtualClock()
    const { signal } = timeoutSignal(1_000, { clock })
    clock.advance(999)
    expect(signal.aborted).toBe(false)
    clock.advance(1)
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBeInstanceOf(TimeoutError)
    expect(clock.pendingTimers).toBe(0)
  })

  it('clear() removes the timer so nothing is left pending', () => {
    const clock = new VirtualClock()
    const deadline = timeoutSignal(1_000, { clock })
    expect(clock.pendingTimers).toBe(1)
    deadline.clear()
    deadline.clear()
    expect(clock.pendingTimers).toBe(0)
    clock.advance(5_000)
    expect(deadline.signal.aborted).toBe(false)
  })

  it('is disposed by a using declaration', () => {
    const clock = new VirtualClock()
    {
      using deadline = timeoutSignal(1_000, { clock })
      expect(deadline.signal.aborted).toBe(false)
      expect(clock.pendingTimers).toBe(1)
    }
    expect(clock.pendingTimers).toBe(0)
  })

  it('follows its parent, clearing its timer and listener when the parent aborts', () => {
    const clock = new VirtualClock()
    const parent = new AbortController()
    const { signal } = timeoutSignal(1_000, { clock, signal: parent.signal })
    parent.abort('stop')
    expect(signal.reason).toBe('stop')
    expect(clock.pendingTimers).toBe(0)
  })

  it('is aborted at once, with no timer, when the parent already is', () => {
    const clock = new VirtualClock()
    const { signal } = timeoutSignal(1_000, { clock, signal: AbortSignal.abort('gone') })
    expect(signal.reason).toBe('gone')
    expect(clock.pendingTimers).toBe(0)
  })

  it('does not follow the parent after the deadline fired', () => {
    const clock = new VirtualClock()
    const parent = new AbortController()
    const { signal } = timeoutSignal(10, { clock, signal: parent.signal })
    clock.advance(10)
    parent.abort('late')
    expect(signal.reason).toBeInstanceOf(TimeoutError)
  })
})

describe('abortableDelay', () => {
  it('resolves after the delay and leaves no timer', async () => {
    const clock = new VirtualClock()
    let resolved = false
    const delay = abortableDelay(100, { clock }).then(() => (resolved = true))
    expect(clock.pendingTimers).toBe(1)
    clock.advance(99)
    await Promise.resolve()
    expect(resolved).toBe(false)
    clock.advance(1)
    await delay
    expect(resolved).toBe(true)
    expect(clock.pendingTimers).toBe(0)
  })

  it('rejects with an AbortError carrying the reason and clears its timer on abort', async () => {
    const clock = new VirtualClock()
    const controller = new AbortController()
    const delay = abortableDelay(100, { clock, signal: controller.signal })
    controller.abort('user cancelled')
    const error: unknown = await delay.catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(AbortError)
    expect((error as AbortError).cause).toBe('user cancelled')
    expect(clock.pendingTimers).toBe(0)
  })

  it('rejects at once, scheduling nothing, when the signal is already aborted', async () => {
    const clock = new VirtualClock()
    const delay = abortableDelay(100, { clock, signal: AbortSignal.abort() })
    expect(clock.pendingTimers).toBe(0)
    await expect(delay).rejects.toBeInstanceOf(AbortError)
  })

  it('rejects with the TimeoutError when the signal is a deadline, clearing both timers', async () => {
    const clock = new VirtualClock()
    const deadline = timeoutSignal(50, { clock })
    const delay = abortableDelay(100, { clock, signal: deadline.signal })
    expect(clock.pendingTimers).toBe(2)
    clock.advance(50)
    await expect(delay).rejects.toBeInstanceOf(TimeoutError)
    expect(clock.pendingTimers).toBe(0)
  })

  it('removes its abort listener once it resolves', async () => {
    const clock = new VirtualClock()
    const controller = new AbortController()
    const delay = abortableDelay(10, { clock, signal: controller.signal })
    clock.advance(10)
    await delay
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})

describe('throwIfAborted and errorFromSignal', () => {
  it('does nothing for a live or missing signal', () => {
    expect(() => {
      throwIfAborted(undefined)
    }).not.toThrow()
    expect(() => {
      throwIfAborted(new AbortController().signal)
    }).not.toThrow()
  })

  it('throws an AbortError with the reason as cause', () => {
    const reason = new Error('why')
    expect(() => {
      throwIfAborted(AbortSignal.abort(reason))
    }).toThrow(AbortError)
    expect(errorFromSignal(AbortSignal.abort(reason)).cause).toBe(reason)
  })

  it('maps a platform TimeoutError reason to an x0x TimeoutError', () => {
    const reason = new DOMException('late', 'TimeoutError')
    const error = errorFromSignal(AbortSignal.abort(reason))
    expect(error).toBeInstanceOf(TimeoutError)
    expect(error.cause).toBe(reason)
  })
})

describe('raceSignal', () => {
  it('settles like the promise when the signal does not abort, removing its listener', async () => {
    const controller = new AbortController()
    await expect(raceSignal(Promise.resolve(7), controller.signal)).resolves.toBe(7)
    await expect(raceSignal(Promise.reject(new Error('no')), controller.signal)).rejects.toThrow(
      'no',
    )
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('rejects as soon as the signal aborts, without waiting for the promise', async () => {
    const controller = new AbortController()
    const never = new Promise<number>(() => undefined)
    const raced = raceSignal(never, controller.signal)
    controller.abort('enough')
    await expect(raced).rejects.toBeInstanceOf(AbortError)
  })

  it('swallows the later rejection of an abandoned promise', async () => {
    let rejectLater: (error: Error) => void = () => undefined
    const pending = new Promise<number>((_, reject) => (rejectLater = reject))
    await expect(raceSignal(pending, AbortSignal.abort())).rejects.toBeInstanceOf(AbortError)
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason)
    }
    process.on('unhandledRejection', onUnhandled)
    rejectLater(new Error('late failure'))
    await new Promise<void>((resolve) => setImmediate(resolve))
    process.off('unhandledRejection', onUnhandled)
    expect(unhandled).toEqual([])
  })

  it('returns the promise itself when there is no signal', () => {
    const promise = Promise.resolve(1)
    expect(raceSignal(promise, undefined)).toBe(promise)
  })
})
