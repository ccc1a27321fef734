import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  InvalidArgumentError,
  TtlCache,
  VirtualClock,
  type TtlEvictionReason,
} from '../src/index.js'

describe('TtlCache', () => {
  it('hides an entry once its ttl has passed', () => {
    const clock = new VirtualClock()
    const cache = new TtlCache<string, number>({ capacity: 10, ttl: 100, clock })
    cache.set('a', 1)
    clock.advance(99)
    expect(cache.get('a')).toBe(1)
    expect(cache.has('a')).toBe(true)
    clock.advance(1)
    expect(cache.get('a')).toBeUndefined()
    expect(cache.has('a')).toBe(false)
    expect(cache.size).toBe(0)
  })

  it('reading does not extend the life of an entry, setting again does', () => {
    const clock = new VirtualClock()
    const cache = new TtlCache<string, number>({ capacity: 10, ttl: 100, clock })
    cache.set('read', 1).set('reset', 2)
    clock.advance(60)
    cache.get('read')
    cache.set('reset', 3)
    clock.advance(60)
    expect(cache.get('read')).toBeUndefined()
    expect(cache.get('reset')).toBe(3)
  })

  it('evicts the oldest entry when full, reporting why each entry left', () => {
    const clock = new VirtualClock()
    const evicted: [string, TtlEvictionReason][] = []
    const cache = new TtlCache<string, number>({
      capacity: 2,
      ttl: 100,
      clock,
      onEvict: (key, _value, reason) => evicted.push([key, reason]),
    })
    cache.set('a', 1)
    clock.advance(10)
    cache.set('b', 2).set('c', 3)
    expect(evicted).toEqual([['a', 'capacity']])
    clock.advance(99)
    expect(cache.prune()).toBe(0)
    clock.advance(1)
    expect(cache.prune()).toBe(2)
    expect(evicted).toEqual([
      ['a', 'capacity'],
      ['b', 'expired'],
      ['c', 'expired'],
    ])
    expect([...cache.keys()]).toEqual([])
  })

  it('makes room by purging expired entries before evicting a live one', () => {
    const clock = new VirtualClock()
    const evicted: TtlEvictionReason[] = []
    const cache = new TtlCache<string, number>({
      capacity: 2,
      ttl: 100,
      clock,
      onEvict: (_key, _value, reason) => evicted.push(reason),
    })
    cache.set('old', 1)
    clock.advance(50)
    cache.set('live', 2)
    clock.advance(60)
    cache.set('new', 3)
    expect(evicted).toEqual(['expired'])
    expect([...cache.entries()]).toEqual([
      ['live', 2],
      ['new', 3],
    ])
  })

  it('iterates live entries only, oldest first', () => {
    const clock = new VirtualClock()
    const cache = new TtlCache<string, number>({ capacity: 5, ttl: 100, clock })
    cache.set('a', 1)
    clock.advance(50)
    cache.set('b', 2).set('c', 3)
    clock.advance(50)
    expect([...cache]).toEqual([
      ['b', 2],
      ['c', 3],
    ])
    expect([...cache.values()]).toEqual([2, 3])
  })

  it('rejects a bad capacity or ttl', () => {
    expect(() => new TtlCache({ capacity: 0, ttl: 1 })).toThrow(InvalidArgumentError)
    expect(() => new TtlCache({ capacity: 1, ttl: 0 })).toThrow(InvalidArgumentError)
    expect(() => new TtlCache({ capacity: 1, ttl: Number.NaN })).toThrow(InvalidArgumentError)
  })

  it('never exceeds capacity and never returns an expired value', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.nat(10), value: fc.nat() }),
      fc.record({ kind: fc.constant('get' as const), key: fc.nat(10) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.nat(60) }),
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(operation, { maxLength: 150 }),
        (capacity, operations) => {
          const clock = new VirtualClock()
          const cache = new TtlCache<number, number>({ capacity, ttl: 100, clock })
          const setAt = new Map<number, { value: number; at: number }>()
          for (const operation of operations) {
            if (operation.kind === 'set') {
              cache.set(operation.key, operation.value)
              setAt.set(operation.key, { value: operation.value, at: clock.now() })
            } else if (operation.kind === 'wait') {
              clock.advance(operation.ms)
            } else {
              const value = cache.get(operation.key)
              const written = setAt.get(operation.key)
              if (value !== undefined) {
                expect(written?.value).toBe(value)
                expect(clock.now() - (written?.at ?? 0)).toBeLessThan(100)
              }
            }
            expect(cache.size).toBeLessThanOrEqual(capacity)
          }
        },
      ),
    )
  })
})
