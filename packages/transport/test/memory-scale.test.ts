import { createRandom } from '@x0x/base'
import { expect, it } from 'vitest'
import type { Connection } from '../src/index.js'
import { targetOf, testNetwork } from './memory-fixtures.js'

const NODES = 1_000
const DIALS_PER_NODE = 4

it('connects 1,000 nodes with about eight connections each, both ends agreeing', async () => {
  const { network, node } = testNetwork({ seed: 1_000, link: { latencyMs: 10, jitterMs: 40 } })
  const nodes = await Promise.all(Array.from({ length: NODES }, () => node()))
  const random = createRandom(1_000)
  const dials: Promise<Connection>[] = []
  for (const [index, from] of nodes.entries()) {
    const others = random.sample(
      nodes.filter((_, other) => other !== index),
      DIALS_PER_NODE,
    )
    for (const to of others) dials.push(from.dial(targetOf(to)))
  }
  await network.flush()
  const connections = await Promise.all(dials)
  expect(connections.every((connection) => connection.status === 'open')).toBe(true)

  let ends = 0
  for (const transport of nodes) {
    for (const connection of transport.getConnections()) {
      ends++
      const remote = network.getTransport(connection.remoteMachineId)
      const back = remote?.getConnection(transport.machineId)
      expect(back?.remoteMachineId).toBe(transport.machineId)
      expect(back?.direction).not.toBe(connection.direction)
    }
  }
  // Each of the 4,000 dials made or joined a connection; pairs dialled both ways share one.
  expect(ends / NODES).toBeGreaterThan(7.9)
  expect(ends / NODES).toBeLessThanOrEqual(2 * DIALS_PER_NODE)
  await network.stop()
  await network.flush()
  expect(network.inFlight).toBe(0)
})
