import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, LruCache } from '../src/index.js'

describe('LruCache', () => {
  it('evicts the least recently used entry, where get refreshes and peek does not', () => {
    const evicted: string[] = []
    const cache = new LruCache<string, number>({
      capacity: 2,
      onEvict: (key) => evicted.push(key),
    })
    cache.set('a', 1).set('b', 2)
    expect(cache.get('a')).toBe(1)
    cache.set('c', 3)
    expect(evicted).toEqual(['b'])
    expect(cache.peek('a')).toBe(1)
    cache.set('d', 4)
    expect(evicted).toEqual(['b', 'a'])
    expect([...cache.keys()]).toEqual(['c', 'd'])
  })

  it('updating an existing key refreshes it without evicting', () => {
    const evicted: string[] = []
    const cache = new LruCache<string, number>({ capacity: 2, onEvict: (key) => evicted.push(key) })
    cache.set('a', 1).set('b', 2).set('a', 10)
    expect(evicted).toEqual([])
    expect([...cache]).toEqual([
      ['b', 2],
      ['a', 10],
    ])
  })

  it('delete and clear remove without calling onEvict', () => {
    let evictions = 0
    const cache = new LruCache<string, number>({ capacity: 3, onEvict: () => evictions++ })
    cache.set('a', 1).set('b', 2)
    expect(cache.delete('a')).toBe(true)
    expect(cache.delete('a')).toBe(false)
    expect(cache.has('b')).toBe(true)
    cache.clear()
    expect(cache.size).toBe(0)
    expect(evictions).toBe(0)
  })

  it('stores the new entry even when onEvict throws', () => {
    const cache = new LruCache<string, number>({
      capacity: 1,
      onEvict: () => {
        throw new Error('callback failed')
      },
    })
    cache.set('a', 1)
    expect(() => cache.set('b', 2)).toThrow('callback failed')
    expect([...cache.keys()]).toEqual(['b'])
  })

  it('rejects a capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) {
      expect(() => new LruCache({ capacity })).toThrow(InvalidArgumentError)
    }
  })

  it('matches a reference model and never exceeds capacity', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.nat(12), value: fc.nat() }),
      fc.record({ kind: fc.constant('get' as const), key: fc.nat(12) }),
      fc.record({ kind: fc.constant('peek' as const), key: fc.nat(12) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.nat(12) }),
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(operation, { maxLength: 200 }),
        (capacity, operations) => {
          const cache = new LruCache<number, number>({ capacity })
          // The model: an array ordered from least to most recently used.
          let model: [number, number][] = []
          for (const operation of operations) {
            const index = model.findIndex(([key]) => key === operation.key)
            const found = model[index]
            switch (operation.kind) {
              case 'set':
                if (found) model.splice(index, 1)
                else if (model.length === capacity) model.shift()
                model.push([operation.key, operation.value])
                cache.set(operation.key, operation.value)
                break
              case 'get':
                if (found) model = [...model.filter((_, position) => position !== index), found]
                expect(cache.get(operation.key)).toBe(found?.[1])
                break
              case 'peek':
                expect(cache.peek(operation.key)).toBe(found?.[1])
                break
              case 'delete':
                if (found) model.splice(index, 1)
                expect(cache.delete(operation.key)).toBe(found !== undefined)
                break
            }
            expect(cache.size).toBeLessThanOrEqual(capacity)
            expect([...cache]).toEqual(model)
          }
        },
      ),
    )
  })
})
