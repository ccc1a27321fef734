// Five membership services in one process over real QUIC sockets on 127.0.0.1 (post-quantum
// session, the real wire codec, the system clock): the "one run over real QUIC". Bounds
// are generous because a loaded two-core machine runs five ML-KEM / ML-DSA handshakes at once.
import { generateMlDsa65KeyPair } from '@x0x/pqc'
import { createQuicTransport, type QuicTransport } from '@x0x/transport'
import { afterEach, describe, expect, it } from 'vitest'
import { createMembership, type Membership, type NeighborDownDetail } from '../src/index.js'
import { computeOverlayMetrics, type OverlayMetrics } from '../src/testing/index.js'

interface QuicNode {
  readonly transport: QuicTransport
  readonly membership: Membership
  alive: boolean
}

const nodes: QuicNode[] = []

afterEach(async () => {
  const all = nodes.splice(0)
  await Promise.all(all.map((node) => node.membership.stop()))
  await Promise.all(all.filter((node) => node.alive).map((node) => node.transport.stop()))
})

async function startNode(index: number): Promise<QuicNode> {
  const transport = createQuicTransport(
    { listen: { host: '127.0.0.1', port: 0 } },
    { machineKey: generateMlDsa65KeyPair() },
  )
  await transport.start()
  const membership = createMembership({ seed: index + 1 }, { transport })
  membership.start()
  const node = { transport, membership, alive: true }
  nodes.push(node)
  return node
}

function metrics(): OverlayMetrics {
  return computeOverlayMetrics(
    nodes.map((node) => ({
      id: node.transport.machineId,
      alive: node.alive,
      active: node.membership.state.active.keys(),
      passiveSize: node.membership.state.passive.size,
    })),
  )
}

/** Polls `condition` every 20 ms (real time); fails with `what` after `timeoutMs`. */
async function waitUntil(condition: () => boolean, what: string, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return performance.now()
}

describe('membership over real QUIC on 127.0.0.1', () => {
  it('joins 5 nodes through one contact, then detects and repairs around an abrupt crash', async () => {
    const started = await Promise.all([0, 1, 2, 3, 4].map((index) => startNode(index)))
    const [contact, ...joiners] = started as [QuicNode, ...QuicNode[]]
    const contactDescriptor = {
      id: contact.transport.machineId,
      addresses: contact.transport.listenAddresses,
    }
    for (const joiner of joiners) joiner.membership.join([contactDescriptor])

    // Four peers are fewer than the target of 8, so every node ends up linked to every other one.
    await waitUntil(
      () => {
        const overlay = metrics()
        return overlay.connected && overlay.asymmetricLinks === 0 && overlay.activeViewMin === 4
      },
      'a full, symmetric overlay of 5 nodes',
      20_000,
    )
    for (const node of nodes) {
      for (const neighbor of node.membership.getNeighbors()) {
        expect(node.transport.getConnection(neighbor.id)?.status).toBe('open')
      }
    }

    const victim = joiners[0] as QuicNode
    const survivors = nodes.filter((node) => node !== victim)
    const downs = new Map<QuicNode, NeighborDownDetail>()
    for (const survivor of survivors) {
      survivor.membership.addEventListener('neighbor:down', (event) => {
        if (event.detail.peer.id === victim.transport.machineId) downs.set(survivor, event.detail)
      })
    }
    // A crash: the sockets go away without a DISCONNECT (the membership never runs `leave`).
    const crashedAt = performance.now()
    victim.alive = false
    await victim.transport.stop()
    await waitUntil(
      () => downs.size === survivors.length,
      'every survivor dropping the crashed node',
      15_000,
    )
    const detectedAfterMs = performance.now() - crashedAt
    for (const detail of downs.values()) expect(detail.reason).toBe('failed')
    expect(detectedAfterMs).toBeLessThan(15_000)

    await waitUntil(
      () => {
        const overlay = metrics()
        return (
          overlay.connected &&
          overlay.deadLinks === 0 &&
          overlay.asymmetricLinks === 0 &&
          overlay.activeViewMin === 3
        )
      },
      'the 4 survivors fully linked again, with no link to the crashed node',
      15_000,
    )
  }, 60_000)
})
