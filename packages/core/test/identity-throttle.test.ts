// The receive throttle of identity announcements: each announcement costs a second ML-DSA-65
// verification (the machine's signature), so an agent flooding announcements is dropped before
// that verification, per agent, while honest re-announcements pass.
import { VirtualClock, silentLogger } from '@x0x/base'
import type { PubsubMessage, Subscription } from '@x0x/gossip-pubsub'
import { createEphemeralIdentity, type AgentId, type Identity, type PqcBackend } from '@x0x/pqc'
import type { Transport } from '@x0x/transport'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ANNOUNCEMENT_BURST,
  ANNOUNCEMENT_REFILL_MS,
  IDENTITY_ANNOUNCE_TOPIC,
} from '../src/constants.js'
import { createDiscoveryCache } from '../src/discovery/discovery-cache.js'
import { encodeAnnouncement } from '../src/identity/announcement.js'
import { IdentityService } from '../src/identity/identity-service.js'
import { backend } from './agent-fixtures.js'

/** A pub/sub whose subscriptions are fed by the test, one message at a time. */
class FeedPubsub {
  readonly agentId = undefined
  readonly #consumers = new Map<string, (message: PubsubMessage) => void>()
  start(): void {}
  subscribe(topic: string): Promise<Subscription> {
    const pending: PubsubMessage[] = []
    let wake: (() => void) | undefined
    this.#consumers.set(topic, (message) => {
      pending.push(message)
      wake?.()
    })
    const subscription: Subscription = {
      topic,
      dropped: 0,
      get queued() {
        return pending.length
      },
      close() {},
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const next = pending.shift()
          if (next !== undefined) yield next
          else await new Promise<void>((resolve) => (wake = resolve))
        }
      },
    }
    return Promise.resolve(subscription)
  }
  /** Hands `payload` from `origin` to the subscriber of `topic` and lets it run. */
  async deliver(topic: string, origin: AgentId, payload: Uint8Array): Promise<void> {
    this.#consumers.get(topic)?.({
      id: 'test',
      topic,
      origin,
      epoch: 1,
      sequence: 1,
      timestamp: 0,
      payload,
      verified: true,
    } as unknown as PubsubMessage)
    for (let turn = 0; turn < 5; turn++) await Promise.resolve()
  }
  publish(): Promise<void> {
    return Promise.resolve()
  }
  stats(): never {
    throw new Error('not used')
  }
  stop(): Promise<void> {
    return Promise.resolve()
  }
}

describe('identity announcements', () => {
  const services: IdentityService[] = []
  afterEach(() => {
    for (const service of services.splice(0)) service.stop()
  })

  async function setup() {
    const clock = new VirtualClock({ startTime: 1_700_000_000_000 })
    const pubsub = new FeedPubsub()
    let verifications = 0
    const counting: PqcBackend = {
      ...backend,
      verifyMlDsa65: (...args: Parameters<PqcBackend['verifyMlDsa65']>) => {
        verifications++
        return backend.verifyMlDsa65(...args)
      },
    }
    const discovery = createDiscoveryCache({ clock })
    const service = new IdentityService(
      { heartbeatIntervalMs: 3_600_000 },
      {
        identity: createEphemeralIdentity({ backend }),
        pubsub: pubsub,
        transport: { listenAddresses: [] } as unknown as Transport,
        discovery,
        backend: counting,
        clock,
        log: silentLogger.forComponent('test'),
      },
    )
    services.push(service)
    await service.start()
    const announcementOf = (sender: Identity) =>
      encodeAnnouncement(
        {
          agentPublicKey: sender.agent.publicKey,
          machinePublicKey: sender.machine.publicKey,
          kemPublicKey: sender.agentKem.publicKey,
          addresses: ['127.0.0.1:5483'],
          announcedAt: clock.now(),
          certificate: undefined,
        },
        sender.machine,
      )
    return { clock, pubsub, service, discovery, announcementOf, verifications: () => verifications }
  }

  it('verifies at most a burst of one flooding agent, then one per refill; others unaffected', async () => {
    const { clock, pubsub, service, discovery, announcementOf, verifications } = await setup()
    const flooder = createEphemeralIdentity({ backend })
    const honest = createEphemeralIdentity({ backend })
    for (let index = 0; index < 50; index++) {
      await pubsub.deliver(IDENTITY_ANNOUNCE_TOPIC, flooder.agentId, announcementOf(flooder))
    }
    expect(verifications()).toBe(ANNOUNCEMENT_BURST)
    expect(service.throttledAnnouncements).toBe(50 - ANNOUNCEMENT_BURST)
    expect(discovery.getAgent(flooder.agentId)).toBeDefined()

    // Another agent has its own bucket.
    await pubsub.deliver(IDENTITY_ANNOUNCE_TOPIC, honest.agentId, announcementOf(honest))
    expect(discovery.getAgent(honest.agentId)).toBeDefined()
    expect(verifications()).toBe(ANNOUNCEMENT_BURST + 1)

    // One token comes back per refill period, and the fresh announcement lands.
    clock.advance(ANNOUNCEMENT_REFILL_MS)
    const later = announcementOf(flooder)
    await pubsub.deliver(IDENTITY_ANNOUNCE_TOPIC, flooder.agentId, later)
    await pubsub.deliver(IDENTITY_ANNOUNCE_TOPIC, flooder.agentId, later)
    expect(verifications()).toBe(ANNOUNCEMENT_BURST + 2)
    expect(discovery.getAgent(flooder.agentId)?.announcedAt).toBe(Math.floor(clock.now() / 1000))
  })

  it('throttles garbage from one agent before any verification', async () => {
    const { pubsub, service, verifications } = await setup()
    const flooder = createEphemeralIdentity({ backend })
    for (let index = 0; index < 20; index++) {
      await pubsub.deliver(IDENTITY_ANNOUNCE_TOPIC, flooder.agentId, new Uint8Array(100))
    }
    expect(service.invalidAnnouncements).toBe(ANNOUNCEMENT_BURST)
    expect(service.throttledAnnouncements).toBe(20 - ANNOUNCEMENT_BURST)
    expect(verifications()).toBe(0)
  })
})
