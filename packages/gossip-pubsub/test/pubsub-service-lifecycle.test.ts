import { TypedEventTarget, VirtualClock } from '@x0x/base'
import type { MembershipEvents, PeerDescriptor } from '@x0x/gossip-membership'
import { createMemoryNetwork } from '@x0x/transport'
import { describe, expect, it } from 'vitest'
import { createPubsub, type Pubsub, type PubsubInit } from '../src/index.js'
import { agentKey, backend, encoder } from './fixtures.js'

// Small, distinct limits so a swapped parameter cannot pass.
const MAX_TOPIC_BYTES = 8
const MAX_PAYLOAD_BYTES = 16
const BATCH_WINDOW_MS = 5

/** One service alone: its own clock (so `pendingTimers` counts only its timers), no neighbours. */
function createLoneService(options: { withKey?: boolean; init?: PubsubInit } = {}) {
  const clock = new VirtualClock()
  const network = createMemoryNetwork({ seed: 3 }, { clock: new VirtualClock() })
  const membership = Object.assign(new TypedEventTarget<MembershipEvents>(), {
    getNeighbors: (): PeerDescriptor[] => [],
  })
  const pubsub = createPubsub(
    {
      maxTopicBytes: MAX_TOPIC_BYTES,
      maxPayloadBytes: MAX_PAYLOAD_BYTES,
      publishBatchWindow: BATCH_WINDOW_MS,
      ...options.init,
    },
    {
      transport: network.createTransport(),
      membership,
      backend,
      clock,
      ...(options.withKey === false ? {} : { agentKey: agentKey('lone') }),
    },
  )
  return { clock, pubsub }
}

/** Publishes and lets the batch window pass, so the publish settles. */
async function publishNow(
  clock: VirtualClock,
  pubsub: Pubsub,
  topic: string,
  payload: Uint8Array,
): Promise<void> {
  const published = pubsub.publish(topic, payload)
  await clock.advanceAsync(BATCH_WINDOW_MS)
  await published
}

describe('createPubsub publish errors', () => {
  it('rejects an empty topic and one longer than maxTopicBytes, and counts both', async () => {
    const { clock, pubsub } = createLoneService()
    pubsub.start()
    await expect(pubsub.publish('', encoder.encode('x'))).rejects.toMatchObject({
      name: 'InvalidTopicError',
    })
    await expect(
      pubsub.publish('t'.repeat(MAX_TOPIC_BYTES + 1), encoder.encode('x')),
    ).rejects.toMatchObject({ name: 'InvalidTopicError' })
    await publishNow(clock, pubsub, 't'.repeat(MAX_TOPIC_BYTES), encoder.encode('x'))
    expect(pubsub.stats().stats.publish_failed).toBe(2)
    expect(pubsub.stats().stats.publish_total).toBe(1)
    await pubsub.stop()
  })

  it('rejects a payload larger than maxPayloadBytes with PayloadTooLargeError', async () => {
    const { clock, pubsub } = createLoneService()
    pubsub.start()
    await expect(
      pubsub.publish('news', new Uint8Array(MAX_PAYLOAD_BYTES + 1)),
    ).rejects.toMatchObject({ name: 'PayloadTooLargeError' })
    await publishNow(clock, pubsub, 'news', new Uint8Array(MAX_PAYLOAD_BYTES))
    expect(pubsub.stats().stats.publish_failed).toBe(1)
    expect(pubsub.stats().pubsub_service.publish_batched_messages).toBe(1)
    await pubsub.stop()
  })

  it('rejects publish without an agent key, though subscribing still works', async () => {
    const { pubsub } = createLoneService({ withKey: false })
    pubsub.start()
    expect(pubsub.agentId).toBeUndefined()
    await expect(pubsub.publish('news', encoder.encode('x'))).rejects.toMatchObject({
      name: 'InvalidStateError',
    })
    const subscription = await pubsub.subscribe('news')
    expect(subscription.topic).toBe('news')
    expect(pubsub.stats().stats.publish_failed).toBe(1)
    await pubsub.stop()
  })

  it('rejects publish and subscribe before start and after stop with PubsubStoppedError', async () => {
    const { pubsub } = createLoneService()
    await expect(pubsub.publish('news', encoder.encode('early'))).rejects.toMatchObject({
      name: 'PubsubStoppedError',
    })
    pubsub.start()
    await pubsub.stop()
    await expect(pubsub.publish('news', encoder.encode('late'))).rejects.toMatchObject({
      name: 'PubsubStoppedError',
    })
    expect(() => pubsub.subscribe('news')).toThrow(
      expect.objectContaining({ name: 'PubsubStoppedError' }),
    )
    expect(() => {
      pubsub.start()
    }).toThrow(expect.objectContaining({ name: 'PubsubStoppedError' }))
  })
})

describe('createPubsub stop', () => {
  it('rejects publishes still waiting for their batch signature', async () => {
    const { clock, pubsub } = createLoneService()
    pubsub.start()
    const pending = [
      pubsub.publish('news', encoder.encode('a')),
      pubsub.publish('other', encoder.encode('b')),
    ]
    expect(pubsub.stats().pubsub_service.pending_publishes).toBe(2)
    await pubsub.stop()
    for (const publish of pending)
      await expect(publish).rejects.toMatchObject({ name: 'PubsubStoppedError' })
    // The batch window passing after stop must not sign them after all.
    await clock.advanceAsync(BATCH_WINDOW_MS * 2)
    expect(pubsub.stats().stats.publish_total).toBe(0)
    expect(pubsub.stats().pubsub_service.pending_publishes).toBe(0)
  })

  it('ends every subscription: a waiting for-await loop finishes and the queues are released', async () => {
    const { clock, pubsub } = createLoneService()
    pubsub.start()
    const news = await pubsub.subscribe('news')
    const other = await pubsub.subscribe('other')
    await publishNow(clock, pubsub, 'news', encoder.encode('kept?'))
    const received: string[] = []
    const reading = (async () => {
      for await (const message of other) received.push(new TextDecoder().decode(message.payload))
      return 'ended'
    })()
    await pubsub.stop()
    await expect(reading).resolves.toBe('ended')
    expect(received).toEqual([])
    // A closed subscription drops what it held and yields nothing more.
    expect(news.queued).toBe(0)
    await expect(news[Symbol.asyncIterator]().next()).resolves.toEqual({
      value: undefined,
      done: true,
    })
    expect(pubsub.stats().pubsub_service.subscribers).toBe(0)
    expect(pubsub.stats().pubsub_service.subscribed_topics).toBe(0)
  })

  it('leaves no timer on the clock: wake timer and batch timer are both cleared', async () => {
    const { clock, pubsub } = createLoneService()
    pubsub.start()
    await pubsub.subscribe('news')
    await publishNow(clock, pubsub, 'news', encoder.encode('one'))
    void pubsub.publish('news', encoder.encode('pending')).catch(() => undefined)
    // The node's anti-entropy wake-up and the open batch window.
    expect(clock.pendingTimers).toBe(2)
    await pubsub.stop()
    expect(clock.pendingTimers).toBe(0)
    await pubsub.stop()
    expect(clock.pendingTimers).toBe(0)
  })
})

describe('createPubsub subscriptions', () => {
  it('leaving a for-await loop unsubscribes: the topic is released and no longer delivered', async () => {
    const { clock, pubsub } = createLoneService()
    pubsub.start()
    const subscription = await pubsub.subscribe('news')
    await publishNow(clock, pubsub, 'news', encoder.encode('first'))
    await publishNow(clock, pubsub, 'news', encoder.encode('second'))
    expect(pubsub.stats().stats.delivered_to_subscriber).toBe(2)
    for await (const message of subscription) {
      expect(new TextDecoder().decode(message.payload)).toBe('first')
      break
    }
    expect(pubsub.stats().pubsub_service.subscribers).toBe(0)
    expect(pubsub.stats().pubsub_service.subscribed_topics).toBe(0)
    await publishNow(clock, pubsub, 'news', encoder.encode('third'))
    // The node left the topic: nothing more is delivered locally, nor offered to a closed queue.
    expect(pubsub.stats().stats.delivered_to_subscriber).toBe(2)
    expect(pubsub.stats().stats.subscriber_channel_closed).toBe(0)
    await pubsub.stop()
  })

  it('keeps the topic while another subscription to it is still open', async () => {
    const { clock, pubsub } = createLoneService()
    pubsub.start()
    const leaving = await pubsub.subscribe('news')
    const staying = await pubsub.subscribe('news')
    leaving.close()
    await publishNow(clock, pubsub, 'news', encoder.encode('still here'))
    expect(staying.queued).toBe(1)
    expect(pubsub.stats().pubsub_service.subscribers).toBe(1)
    await pubsub.stop()
  })
})
