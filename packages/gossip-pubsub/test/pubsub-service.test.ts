import { createRandom } from '@x0x/base'
import { afterEach, describe, expect, it } from 'vitest'
import { createPubsubNode, type PubsubMessage, type Subscription } from '../src/index.js'
import { createPubsubNetwork, type PubsubNetwork } from '../src/testing/index.js'
import { agentKey, backend, encoder } from './fixtures.js'

const SEED = 11
const decoder = new TextDecoder()

/** Reads a subscription into an array in the background. */
function collect(subscription: Subscription): PubsubMessage[] {
  const received: PubsubMessage[] = []
  void (async () => {
    for await (const message of subscription) received.push(message)
  })()
  return received
}

const texts = (messages: readonly PubsubMessage[]) =>
  messages.map((message) => decoder.decode(message.payload))

describe('createPubsub over MemoryTransport and real membership', () => {
  let network: PubsubNetwork | undefined
  afterEach(async () => {
    await network?.stop()
    network = undefined
  })

  it(`delivers every message to every subscriber of 24 nodes (seed ${SEED})`, async () => {
    network = await createPubsubNetwork({ size: 24, backend, seed: SEED })
    const inboxes = await Promise.all(
      network.nodes.map(async (node) => collect(await node.pubsub.subscribe('news'))),
    )
    const publishers = [0, 7, 19].map((index) => network?.nodes[index])
    const sent: string[] = []
    for (let round = 0; round < 4; round++)
      for (const publisher of publishers) {
        const text = `m-${publisher?.index}-${round}`
        sent.push(text)
        void publisher?.pubsub.publish('news', encoder.encode(text))
      }
    await network.run(3_000)
    for (const inbox of inboxes) expect(texts(inbox).sort()).toEqual([...sent].sort())
    const stats = network.nodes.map((node) => node.pubsub.stats())
    expect(stats.every((entry) => entry.pubsub_stages.signature_failed === 0)).toBe(true)
    // Batching: 4 rounds of one publish each per publisher, published in one tick, 1 signature.
    expect(stats[0]?.pubsub_service.publish_batches).toBe(1)
    expect(stats[0]?.pubsub_service.publish_batched_messages).toBe(4)
  }, 30_000)

  it('delivers the very next message published after subscribe() resolves, 30 times', async () => {
    network = await createPubsubNetwork({ size: 20, backend, seed: SEED + 1 })
    const random = createRandom(SEED + 1).derive('trials')
    for (let trial = 0; trial < 30; trial++) {
      const subscriber = network.nodes[random.int(20)]
      const publisher = network.nodes[random.int(20)]
      if (subscriber === undefined || publisher === undefined) throw new Error('no node')
      const topic = `fresh-${trial}`
      const inbox = collect(await subscriber.pubsub.subscribe(topic))
      // Not awaited: the batch window runs on the virtual clock, advanced by `run`.
      void publisher.pubsub.publish(topic, encoder.encode(`first-${trial}`))
      await network.run(1_000)
      expect(texts(inbox)[0], `trial ${trial} seed ${SEED + 1}`).toBe(`first-${trial}`)
    }
  }, 30_000)

  it('isolates a slow subscriber: drops past its queue bound, counted, others unaffected', async () => {
    network = await createPubsubNetwork({
      size: 8,
      backend,
      seed: SEED + 2,
    })
    const [publisher, slowNode, fastNode] = network.nodes
    if (publisher === undefined || slowNode === undefined || fastNode === undefined)
      throw new Error('no node')
    const slow = await slowNode.pubsub.subscribe('load', {
      queueSize: 5,
      slowSubscriberPolicy: 'drop-newest',
    })
    const fastOnSameNode = collect(await slowNode.pubsub.subscribe('load'))
    const fast = collect(await fastNode.pubsub.subscribe('load'))
    for (let index = 0; index < 12; index++)
      void publisher.pubsub.publish('load', encoder.encode(`n-${index}`))
    await network.run(2_000)
    expect(fast).toHaveLength(12)
    expect(fastOnSameNode).toHaveLength(12)
    expect(slow.queued).toBe(5)
    expect(slow.dropped).toBe(7)
    expect(slowNode.pubsub.stats().stats.slow_subscriber_dropped).toBe(7)
    const kept: string[] = []
    for await (const message of slow) {
      kept.push(decoder.decode(message.payload))
      if (kept.length === 5) break
    }
    expect(kept).toEqual(['n-0', 'n-1', 'n-2', 'n-3', 'n-4'])
    expect(fastNode.pubsub.stats().stats.slow_subscriber_dropped).toBe(0)
  }, 30_000)

  it('delivers no tampered message to any subscriber, and the genuine copy still arrives', async () => {
    network = await createPubsubNetwork({ size: 12, backend, seed: SEED + 3 })
    const inboxes = await Promise.all(
      network.nodes.map(async (node) => collect(await node.pubsub.subscribe('news'))),
    )
    const victim = network.nodes[5]
    if (victim === undefined) throw new Error('no node')
    // A rogue machine outside the overlay with a valid agent key of its own.
    const rogue = await network.membership.addNode()
    const forger = createPubsubNode({ backend, agentKey: agentKey('rogue') })
    forger.neighbourUp('victim', 0)
    const [genuine] = forger.publish('news', [encoder.encode('forged-or-not')], 0).sends
    if (genuine === undefined) throw new Error('no frame')
    const tampered = genuine.frame.slice()
    const at = Buffer.from(tampered).indexOf('forged-or-not')
    tampered[at] = (tampered[at] ?? 0) ^ 1
    const opening = rogue.transport
      .dial({ machineId: victim.transport.machineId, addresses: victim.transport.listenAddresses })
      .then((connection) => connection.openStream('pubsub'))
    await network.run(500)
    const stream = await opening
    void stream.send(tampered)
    await network.run(2_000)
    expect(inboxes.every((inbox) => inbox.length === 0)).toBe(true)
    expect(victim.pubsub.stats().pubsub_stages.signature_failed).toBe(1)
    const verifiedElsewhere = network.nodes
      .filter((node) => node !== victim)
      .map(
        (node) =>
          node.pubsub.stats().pubsub_stages.signature_failed +
          node.pubsub.stats().pubsub_stages.verified,
      )
    expect(verifiedElsewhere.every((count) => count === 0)).toBe(true)
    void stream.send(genuine.frame)
    await network.run(2_000)
    for (const inbox of inboxes) expect(texts(inbox)).toEqual(['forged-or-not'])
  }, 30_000)

  it('recovers messages published during a partition after the heal (anti-entropy)', async () => {
    network = await createPubsubNetwork({ size: 20, backend, seed: SEED + 4 })
    const inboxes = await Promise.all(
      network.nodes.map(async (node) => collect(await node.pubsub.subscribe('news'))),
    )
    const sideA = network.nodes.filter((node) => node.index % 2 === 0)
    const sideB = network.nodes.filter((node) => node.index % 2 === 1)
    const partition = network.membership.network.partition(
      sideA.map((node) => node.transport.machineId),
      sideB.map((node) => node.transport.machineId),
    )
    await network.run(20_000)
    for (let index = 0; index < 5; index++)
      void sideA[0]?.pubsub.publish('news', encoder.encode(`during-${index}`))
    await network.run(5_000)
    expect(inboxes.filter((inbox) => inbox.length === 5)).toHaveLength(sideA.length)
    partition.heal()
    await network.run(40_000)
    const repaired = network.nodes.map((node) => node.pubsub.stats().pubsub_stages)
    for (const inbox of inboxes)
      expect(texts(inbox).sort()).toEqual([
        'during-0',
        'during-1',
        'during-2',
        'during-3',
        'during-4',
      ])
    // Cross links died during the partition: the far side got them from digests, not held frames.
    expect(repaired.reduce((sum, stages) => sum + stages.repair_sent, 0)).toBeGreaterThan(0)
  }, 30_000)
})
