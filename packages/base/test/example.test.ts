import { expect, it } from 'vitest'
import {
  BoundedQueue,
  ByteReader,
  VirtualClock,
  abortableDelay,
  memoryLogger,
  silentLogger,
  systemClock,
  timeoutSignal,
  type Clock,
  type ComponentLogger,
} from '../src/index.js'

// The example of the package doc comment and the README, kept compiling and true.
it('runs the package example', async () => {
  const clock = new VirtualClock()
  const deadline = timeoutSignal(5_000, { clock })
  const slept = abortableDelay(1_000, { clock, signal: deadline.signal })
  clock.advance(1_000) // fires the delay's timer; nothing waits on real time
  await slept
  deadline.clear() // no timer outlives the work: clock.pendingTimers === 0

  const queue = new BoundedQueue<string>({ capacity: 2, overflow: 'drop-oldest' })
  queue.push('a')
  queue.push('b')
  queue.push('c') // 'dropped-oldest': the queue now holds 'b', 'c'

  const reader = new ByteReader(Uint8Array.of(0, 3, 1, 2, 3))
  const payload = reader.prefixedBytes('uint16', 1_024, 'payload') // throws DecodeError past 1,024
  reader.end()

  expect(clock.pendingTimers).toBe(0)
  expect([queue.shift(), queue.shift()]).toEqual(['b', 'c'])
  expect(payload).toEqual(Uint8Array.of(1, 2, 3))
})

// The README's component example, kept compiling and true.
interface PingerComponents {
  clock?: Clock // default systemClock
  logger?: ComponentLogger // default silentLogger
}

function createPinger(components: PingerComponents = {}) {
  const clock = components.clock ?? systemClock
  const log = (components.logger ?? silentLogger).forComponent('x0x:pinger')
  return {
    async ping(options: { signal?: AbortSignal } = {}) {
      await clock.delay(100, options)
      log('pinged at %d', clock.now())
    },
  }
}

it('runs the README component example on injected time and logs', async () => {
  const clock = new VirtualClock()
  const logger = memoryLogger({ clock })
  const pinging = createPinger({ clock, logger }).ping()
  await clock.advanceAsync(100)
  await pinging
  expect(logger.entries.map((entry) => entry.message)).toEqual(['pinged at 100'])
})
