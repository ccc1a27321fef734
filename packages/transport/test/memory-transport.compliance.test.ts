import { VirtualClock, systemClock } from '@x0x/base'
import { describeTransportCompliance } from '../src/compliance/index.js'
import { createMemoryNetwork } from '../src/index.js'
import { driveClock } from './clock-driver.js'

// In virtual time, driven as fast as the event loop turns: deterministic and instant.
describeTransportCompliance('MemoryTransport (virtual time)', async ({ count, limits }) => {
  const clock = new VirtualClock()
  const network = createMemoryNetwork(
    { seed: 11, transport: limits, link: { latencyMs: 5, jitterMs: 3 } },
    { clock },
  )
  const transports = Array.from({ length: count }, () => network.createTransport())
  await Promise.all(transports.map((transport) => transport.start()))
  const driver = driveClock(clock)
  return {
    transports,
    settle: () => network.flush(),
    teardown: async () => {
      await network.stop()
      await network.flush()
      driver.stop()
    },
  }
})

// In real time, as a socket transport runs the suite: proves the suite needs no virtual clock.
describeTransportCompliance('MemoryTransport (real time)', async ({ count, limits }) => {
  const network = createMemoryNetwork(
    { seed: 12, transport: limits, link: { latencyMs: 1, jitterMs: 1 } },
    { clock: systemClock },
  )
  const transports = Array.from({ length: count }, () => network.createTransport())
  await Promise.all(transports.map((transport) => transport.start()))
  return {
    transports,
    settle: () => network.flush(),
    teardown: async () => {
      await network.stop()
      await network.flush()
    },
  }
})
