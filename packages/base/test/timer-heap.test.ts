import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TimerHeap, type VirtualTimer } from '../src/timer-heap.js'

function timer(time: number, sequence: number, cancelled = false): VirtualTimer {
  return { time, sequence, callback: () => undefined, interval: undefined, cancelled }
}

describe('TimerHeap', () => {
  it('pops by time, then by sequence', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(50), { maxLength: 300 }), (times) => {
        const heap = new TimerHeap()
        times.forEach((time, sequence) => {
          heap.push(timer(time, sequence))
        })
        const popped: [number, number][] = []
        for (let next = heap.pop(); next; next = heap.pop()) popped.push([next.time, next.sequence])
        const expected = times
          .map((time, sequence): [number, number] => [time, sequence])
          .sort((a, b) => a[0] - b[0] || a[1] - b[1])
        expect(popped).toEqual(expected)
      }),
    )
  })

  it('compact drops cancelled timers and keeps the order of the rest', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.boolean()), { maxLength: 300 }), (entries) => {
        const heap = new TimerHeap()
        entries.forEach(([time, cancelled], sequence) => {
          heap.push(timer(time, sequence, cancelled))
        })
        heap.compact()
        expect(heap.size).toBe(entries.filter(([, cancelled]) => !cancelled).length)
        let previous: VirtualTimer | undefined
        for (let next = heap.pop(); next; next = heap.pop()) {
          expect(next.cancelled).toBe(false)
          if (previous) {
            expect(
              previous.time < next.time ||
                (previous.time === next.time && previous.sequence < next.sequence),
            ).toBe(true)
          }
          previous = next
        }
      }),
    )
  })
})
