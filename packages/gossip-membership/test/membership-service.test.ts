import { describe, expect, it } from 'vitest'
import type { NeighborDownDetail } from '../src/index.js'
import { createMembershipNetwork } from '../src/testing/index.js'

describe('membership service over MemoryTransport', () => {
  it('builds a connected, symmetric overlay and reports neighbours through events', async () => {
    const seed = 11
    const network = createMembershipNetwork({ seed })
    const first = await network.addNode()
    const neighbors = new Set<string>()
    first.membership.addEventListener('neighbor:up', (event) => {
      neighbors.add(event.detail.id)
    })
    first.membership.addEventListener('neighbor:down', (event) => {
      neighbors.delete(event.detail.peer.id)
    })
    await network.addNodes(11, 100)
    await network.run(5_000)
    const metrics = network.metrics()
    expect(metrics.connected, `seed ${seed}`).toBe(true)
    expect(metrics.asymmetricLinks, `seed ${seed}`).toBe(0)
    expect(metrics.activeViewMin, `seed ${seed}`).toBeGreaterThanOrEqual(3)
    const view = first.membership.getNeighbors().map((peer) => peer.id)
    expect([...neighbors].sort()).toEqual(view.sort())
    // Every active link is a live transport connection.
    for (const id of view) expect(first.transport.getConnection(id)?.status).toBe('open')
    await network.stop()
  })

  it('replaces a crashed neighbour within a few seconds through SWIM, before the idle timeout', async () => {
    const seed = 12
    const network = createMembershipNetwork({ seed })
    const nodes = [await network.addNode(), ...(await network.addNodes(9, 100))]
    await network.run(5_000)
    const [observer, victim] = [nodes[0]!, nodes[1]!]
    expect(
      observer.membership.getNeighbors().some((peer) => peer.id === victim.descriptor.id),
    ).toBe(true)
    const downs: NeighborDownDetail[] = []
    observer.membership.addEventListener('neighbor:down', (event) => downs.push(event.detail))
    const crashedAt = network.clock.now()
    network.crash(victim)
    while (downs.length === 0 && network.clock.now() - crashedAt < 10_000) await network.run(100)
    const detectedAfter = network.clock.now() - crashedAt
    expect(downs[0]?.peer.id, `seed ${seed}`).toBe(victim.descriptor.id)
    expect(downs[0]?.reason).toBe('failed')
    expect(detectedAfter, `seed ${seed}`).toBeLessThanOrEqual(5_000)
    await network.run(3_000)
    const metrics = network.metrics()
    expect(metrics.connected, `seed ${seed}`).toBe(true)
    expect(metrics.deadLinks, `seed ${seed}`).toBe(0)
    await network.stop()
  })

  it('tells neighbours it is leaving on stop, and they drop it without suspicion', async () => {
    const seed = 13
    const network = createMembershipNetwork({ seed })
    const nodes = [await network.addNode(), ...(await network.addNodes(5, 100))]
    await network.run(3_000)
    const leaver = nodes[2]!
    const watchers = nodes.filter((node) =>
      node.membership.getNeighbors().some((peer) => peer.id === leaver.descriptor.id),
    )
    expect(watchers.length).toBeGreaterThan(0)
    const reasons: string[] = []
    for (const watcher of watchers) {
      watcher.membership.addEventListener('neighbor:down', (event) =>
        reasons.push(event.detail.reason),
      )
    }
    await leaver.membership.stop()
    leaver.alive = false
    await network.run(300)
    expect(reasons).toEqual(watchers.map(() => 'left'))
    await network.stop()
  })
})
