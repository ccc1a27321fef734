import { VirtualClock } from '@x0x/base'
import { expect, it } from 'vitest'
import { createMemoryNetwork } from '../src/index.js'

// The example of the package doc comment and the README, kept compiling and true.
it('runs the MemoryTransport example', async () => {
  const clock = new VirtualClock()
  const network = createMemoryNetwork({ seed: 1, link: { latencyMs: 20, jitterMs: 5 } }, { clock })
  const alice = network.createTransport()
  const bob = network.createTransport()
  await Promise.all([alice.start(), bob.start()])
  bob.handle('direct', (stream) => {
    void (async () => {
      for await (const frame of stream) await stream.send(frame) // echo
      await stream.closeWrite()
    })()
  })

  const dialing = alice.dial({ machineId: bob.machineId, addresses: bob.listenAddresses })
  await network.flush() // advances virtual time until nothing is in flight
  const stream = await (await dialing).openStream('direct')
  const sentAt = clock.now()
  await stream.send(new TextEncoder().encode('hello'))
  const reply = stream.read()
  await network.flush()
  expect(new TextDecoder().decode(await reply)).toBe('hello')
  expect(clock.now() - sentAt).toBeGreaterThanOrEqual(40)
  expect(clock.now() - sentAt).toBeLessThan(50)

  network.setLink(alice.machineId, bob.machineId, { loss: 0.05, bandwidthBytesPerSecond: 1e6 })
  const partition = network.partition([alice.machineId], [bob.machineId])
  partition.heal()
  await network.stop()
  await network.flush()
  expect(clock.pendingTimers).toBe(0)
})
