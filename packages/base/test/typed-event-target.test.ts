import { describe, expect, it } from 'vitest'
import { AbortError, TypedEventTarget, once } from '../src/index.js'

interface PeerEvents {
  'peer:connect': { id: string }
  'peer:disconnect': string
}

describe('TypedEventTarget', () => {
  it('delivers the detail of a safely dispatched event to typed listeners', () => {
    const events = new TypedEventTarget<PeerEvents>()
    const seen: string[] = []
    events.addEventListener('peer:connect', (event) => seen.push(event.detail.id))
    events.addEventListener('peer:disconnect', { handleEvent: (event) => seen.push(event.detail) })
    events.safeDispatchEvent('peer:connect', { id: 'a' })
    events.safeDispatchEvent('peer:disconnect', 'b')
    expect(seen).toEqual(['a', 'b'])
  })

  it('counts listeners per type and forgets removed ones', () => {
    const events = new TypedEventTarget<PeerEvents>()
    const listener = (): void => undefined
    events.addEventListener('peer:connect', listener)
    events.addEventListener('peer:connect', () => undefined)
    expect(events.listenerCount('peer:connect')).toBe(2)
    expect(events.listenerCount('peer:disconnect')).toBe(0)
    events.removeEventListener('peer:connect', listener)
    expect(events.listenerCount('peer:connect')).toBe(1)
  })

  it('honours once and signal listener options', () => {
    const events = new TypedEventTarget<PeerEvents>()
    const controller = new AbortController()
    let count = 0
    events.addEventListener('peer:disconnect', () => count++, { once: true })
    events.addEventListener('peer:disconnect', () => count++, { signal: controller.signal })
    controller.abort()
    events.safeDispatchEvent('peer:disconnect', 'x')
    events.safeDispatchEvent('peer:disconnect', 'x')
    expect(count).toBe(1)
    expect(events.listenerCount('peer:disconnect')).toBe(0)
  })
})

describe('once', () => {
  it('resolves with the detail of the next event and removes its listener', async () => {
    const events = new TypedEventTarget<PeerEvents>()
    const next = once(events, 'peer:disconnect')
    expect(events.listenerCount('peer:disconnect')).toBe(1)
    events.safeDispatchEvent('peer:disconnect', 'gone')
    await expect(next).resolves.toBe('gone')
    expect(events.listenerCount('peer:disconnect')).toBe(0)
  })

  it('waits for an event that passes the filter', async () => {
    const events = new TypedEventTarget<PeerEvents>()
    const next = once(events, 'peer:connect', { filter: (detail) => detail.id === 'b' })
    events.safeDispatchEvent('peer:connect', { id: 'a' })
    events.safeDispatchEvent('peer:connect', { id: 'b' })
    await expect(next).resolves.toEqual({ id: 'b' })
    expect(events.listenerCount('peer:connect')).toBe(0)
  })

  it('rejects on abort and removes both listeners', async () => {
    const events = new TypedEventTarget<PeerEvents>()
    const controller = new AbortController()
    const next = once(events, 'peer:connect', { signal: controller.signal })
    controller.abort('bored')
    await expect(next).rejects.toBeInstanceOf(AbortError)
    expect(events.listenerCount('peer:connect')).toBe(0)
  })

  it('rejects at once, adding no listener, when the signal is already aborted', async () => {
    const events = new TypedEventTarget<PeerEvents>()
    const next = once(events, 'peer:connect', { signal: AbortSignal.abort() })
    expect(events.listenerCount('peer:connect')).toBe(0)
    await expect(next).rejects.toBeInstanceOf(AbortError)
  })

  it('rejects with the error of a throwing filter and removes its listener', async () => {
    const events = new TypedEventTarget<PeerEvents>()
    const controller = new AbortController()
    const next = once(events, 'peer:connect', {
      signal: controller.signal,
      filter: () => {
        throw new RangeError('bad filter')
      },
    })
    events.safeDispatchEvent('peer:connect', { id: 'a' })
    await expect(next).rejects.toBeInstanceOf(RangeError)
    expect(events.listenerCount('peer:connect')).toBe(0)
  })
})
