import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AbortError,
  BoundedQueue,
  ClosedError,
  InvalidArgumentError,
  QueueFullError,
  type OverflowPolicy,
} from '../src/index.js'

function filled(overflow: OverflowPolicy, items: number[], capacity = 3): BoundedQueue<number> {
  const queue = new BoundedQueue<number>({ capacity, overflow })
  for (const item of items) queue.push(item)
  return queue
}

function drain<Item>(queue: BoundedQueue<Item>): Item[] {
  const items: Item[] = []
  while (queue.size > 0) items.push(queue.shift() as Item)
  return items
}

describe('BoundedQueue', () => {
  it('drop-oldest makes room by dropping the oldest item', () => {
    const queue = filled('drop-oldest', [1, 2, 3])
    expect(queue.push(4)).toBe('dropped-oldest')
    expect(queue.dropped).toBe(1)
    expect(drain(queue)).toEqual([2, 3, 4])
  })

  it('drop-newest drops the pushed item when full', () => {
    const queue = filled('drop-newest', [1, 2, 3])
    expect(queue.push(4)).toBe('dropped-newest')
    expect(queue.dropped).toBe(1)
    expect(drain(queue)).toEqual([1, 2, 3])
  })

  it('reject throws QueueFullError when full and counts the refusal', () => {
    const queue = filled('reject', [1, 2, 3])
    expect(() => queue.push(4)).toThrow(QueueFullError)
    expect(queue.rejected).toBe(1)
    expect(queue.dropped).toBe(0)
    expect(drain(queue)).toEqual([1, 2, 3])
  })

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new BoundedQueue({ capacity: 0, overflow: 'reject' })).toThrow(
      InvalidArgumentError,
    )
  })

  it('next waits for an item and hands it over directly', async () => {
    const queue = new BoundedQueue<string>({ capacity: 1, overflow: 'reject' })
    const next = queue.next()
    expect(queue.push('a')).toBe('added')
    await expect(next).resolves.toEqual({ done: false, value: 'a' })
    expect(queue.size).toBe(0)
  })

  it('serves waiting consumers in order', async () => {
    const queue = new BoundedQueue<number>({ capacity: 1, overflow: 'reject' })
    const first = queue.next()
    const second = queue.next()
    queue.push(1)
    queue.push(2)
    expect(await first).toEqual({ done: false, value: 1 })
    expect(await second).toEqual({ done: false, value: 2 })
  })

  it('next rejects on abort and forgets the waiter', async () => {
    const queue = new BoundedQueue<number>({ capacity: 1, overflow: 'reject' })
    const controller = new AbortController()
    const next = queue.next({ signal: controller.signal })
    controller.abort()
    await expect(next).rejects.toBeInstanceOf(AbortError)
    queue.push(1)
    expect(queue.size).toBe(1)
  })

  it('pushWait waits for room, in order, and resumes as items are taken', async () => {
    const queue = filled('reject', [1], 1)
    const order: number[] = []
    const second = queue.pushWait(2).then(() => order.push(2))
    const third = queue.pushWait(3).then(() => order.push(3))
    expect(queue.size).toBe(1)
    expect(queue.shift()).toBe(1)
    await second
    expect(order).toEqual([2])
    expect(queue.shift()).toBe(2)
    await third
    expect(drain(queue)).toEqual([3])
    expect(order).toEqual([2, 3])
  })

  it('pushWait rejects on abort without adding its item', async () => {
    const queue = filled('reject', [1], 1)
    const controller = new AbortController()
    const pending = queue.pushWait(2, { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toBeInstanceOf(AbortError)
    expect(drain(queue)).toEqual([1])
  })

  it('close ends waiting consumers, rejects waiting producers and still drains items', async () => {
    const empty = new BoundedQueue<number>({ capacity: 1, overflow: 'reject' })
    const waiting = empty.next()
    empty.close()
    await expect(waiting).resolves.toEqual({ done: true, value: undefined })

    const full = filled('reject', [1], 1)
    const producer = full.pushWait(2)
    full.close()
    full.close()
    await expect(producer).rejects.toBeInstanceOf(ClosedError)
    expect(() => full.push(3)).toThrow(ClosedError)
    await expect(full.pushWait(3)).rejects.toBeInstanceOf(ClosedError)
    expect(await full.next()).toEqual({ done: false, value: 1 })
    expect(await full.next()).toEqual({ done: true, value: undefined })
  })

  it('async iteration yields items as they come and ends on close', async () => {
    const queue = new BoundedQueue<number>({ capacity: 2, overflow: 'reject' })
    const seen: number[] = []
    const consumer = (async () => {
      for await (const item of queue) seen.push(item)
    })()
    queue.push(1)
    await Promise.resolve()
    queue.push(2)
    queue.push(3)
    queue.close()
    await consumer
    expect(seen).toEqual([1, 2, 3])
  })

  it('iterate stops with the signal', async () => {
    const queue = new BoundedQueue<number>({ capacity: 2, overflow: 'reject' })
    const controller = new AbortController()
    const consumer = (async () => {
      for await (const _item of queue.iterate({ signal: controller.signal })) {
        // nothing arrives
      }
    })()
    controller.abort()
    await expect(consumer).rejects.toBeInstanceOf(AbortError)
  })

  it('keeps FIFO order, stays within capacity and accounts for every item', () => {
    const operation = fc.oneof(
      fc.nat({ max: 1_000 }).map((item) => ({ push: item })),
      fc.constant('shift' as const),
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom<OverflowPolicy>('drop-oldest', 'drop-newest', 'reject'),
        fc.array(operation, { maxLength: 300 }),
        (capacity, overflow, operations) => {
          const queue = new BoundedQueue<number>({ capacity, overflow })
          const model: number[] = []
          let pushes = 0
          let shifted = 0
          for (const operation of operations) {
            if (operation === 'shift') {
              const item = queue.shift()
              expect(item).toBe(model.shift())
              if (item !== undefined) shifted++
              continue
            }
            pushes++
            let expected: string
            if (model.length < capacity) {
              model.push(operation.push)
              expected = 'added'
            } else if (overflow === 'drop-oldest') {
              model.shift()
              model.push(operation.push)
              expected = 'dropped-oldest'
            } else {
              expected = overflow === 'drop-newest' ? 'dropped-newest' : 'rejected'
            }
            let result: string
            try {
              result = queue.push(operation.push)
            } catch (error) {
              expect(error).toBeInstanceOf(QueueFullError)
              result = 'rejected'
            }
            expect(result).toBe(expected)
            expect(queue.size).toBeLessThanOrEqual(capacity)
            expect(queue.size).toBe(model.length)
          }
          expect(pushes).toBe(queue.size + shifted + queue.dropped + queue.rejected)
          expect(drain(queue)).toEqual(model)
        },
      ),
    )
  })

  it('holds a million pushes through a small ring without growing', () => {
    const queue = new BoundedQueue<number>({ capacity: 1_000, overflow: 'drop-oldest' })
    for (let index = 0; index < 1_000_000; index++) queue.push(index)
    expect(queue.size).toBe(1_000)
    expect(queue.dropped).toBe(999_000)
    expect(queue.peek()).toBe(999_000)
  })
})
