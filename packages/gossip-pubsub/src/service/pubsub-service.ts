// The pub/sub service: binds a `PubsubNode` (no I/O, no clock) to a `Transport`, the membership
// active view and a `Clock`. Frames arrive on inbound 'pubsub' streams and leave on one outbound
// stream per neighbour; the node's timers run at `wakeAt()`; deliveries go to bounded subscriber
// queues. Nothing here blocks on a peer or a subscriber: every queue has a bound and a policy.
import {
  InvalidStateError,
  silentLogger,
  systemClock,
  type Clock,
  type ComponentLogger,
} from '@x0x/base'
import type { Membership, MembershipEvents, PeerDescriptor } from '@x0x/gossip-membership'
import {
  createPqcBackend,
  type AgentId,
  type MachineId,
  type MlDsa65KeyPair,
  type PqcBackend,
} from '@x0x/pqc'
import type { Transport } from '@x0x/transport'
import { PayloadTooLargeError, PubsubStoppedError } from '../errors.js'
import {
  createPubsubNode,
  type PubsubNode,
  type PubsubNodeStats,
  type PubsubOutput,
} from '../pubsub-node.js'
import { encodeTopic } from '../signed-envelope.js'
import { InboundStreams } from './inbound-streams.js'
import { LocalSubscribers } from './local-subscribers.js'
import {
  resolveServiceLimits,
  type PubsubInit,
  type ServiceLimits,
  type SubscribeOptions,
} from './pubsub-init.js'
import { NeighbourLinks } from './neighbour-links.js'
import { PublishBatcher } from './publish-batcher.js'
import type { Subscription } from './subscription.js'
import { ServiceCounters, type PubsubServiceStats } from './service-stats.js'
import { WakeTimer } from './wake-timer.js'

/** What the service needs injected. */
export interface PubsubComponents {
  readonly transport: Transport
  /** Whose active view the trees span; its `neighbor:up` / `neighbor:down` drive the streams. */
  readonly membership: Pick<Membership, 'getNeighbors' | 'addEventListener' | 'removeEventListener'>
  /** The local agent's signing key; without it the service relays and subscribes only. */
  readonly agentKey?: MlDsa65KeyPair
  /** Verifies signatures. Default: the native backend. */
  readonly backend?: PqcBackend
  /** Default `systemClock`. */
  readonly clock?: Clock
  /** Default `silentLogger`. */
  readonly logger?: ComponentLogger
}

/** `/diagnostics/gossip` of a running service: the node's figures plus the service's. */
export interface PubsubStats extends PubsubNodeStats {
  readonly pubsub_service: PubsubServiceStats
}

export type { PubsubInit, SubscribeOptions } from './pubsub-init.js'

/** Topic pub/sub over the membership overlay. */
export interface Pubsub {
  /** The local agent id, when the service can publish. */
  readonly agentId: AgentId | undefined
  /** Handles inbound streams, follows the active view, arms timers. @throws PubsubStoppedError */
  start(): void
  /**
   * Subscribes to `topic`. Resolves once acknowledged: the topic is wired into the local node, so
   * every message whose first copy reaches this node from then on is delivered to this
   * subscription. Every node relays every topic (no interest scoping yet), so no neighbour ack is
   * needed, and any message published anywhere after the resolution is delivered.
   *
   * @throws InvalidTopicError, PubsubStoppedError
   */
  subscribe(topic: string, options?: SubscribeOptions): Promise<Subscription>
  /**
   * Publishes `payload` on `topic`: batched with other publishes to it within
   * `publishBatchWindow` under one signature. Resolves when signed and queued to every neighbour.
   *
   * @throws InvalidTopicError, PayloadTooLargeError, InvalidStateError (no agent key), PubsubStoppedError
   */
  publish(topic: string, payload: Uint8Array): Promise<void>
  stats(): PubsubStats
  /** Rejects pending publishes, ends subscriptions and streams, clears timers; idempotent. */
  stop(): Promise<void>
}

/** Creates the service; call `start()`. */
export function createPubsub(init: PubsubInit, components: PubsubComponents): Pubsub {
  return new PubsubService(init, components)
}

class PubsubService implements Pubsub {
  readonly agentId: AgentId | undefined
  readonly #transport: Transport
  readonly #membership: PubsubComponents['membership']
  readonly #clock: Clock
  readonly #node: PubsubNode
  readonly #links: NeighbourLinks
  readonly #inbound: InboundStreams
  readonly #batcher: PublishBatcher
  readonly #subscribers: LocalSubscribers
  readonly #counters = new ServiceCounters()
  readonly #limits: ServiceLimits
  readonly #timer: WakeTimer
  #status: 'created' | 'running' | 'stopped' = 'created'

  constructor(init: PubsubInit, components: PubsubComponents) {
    this.#transport = components.transport
    this.#membership = components.membership
    this.#clock = components.clock ?? systemClock
    const log = (components.logger ?? silentLogger).forComponent('x0x:pubsub')
    const backend = components.backend ?? createPqcBackend('native')
    const nodeComponents =
      components.agentKey === undefined ? { backend } : { backend, agentKey: components.agentKey }
    this.#node = createPubsubNode(nodeComponents, init, this.#clock.now())
    this.agentId = this.#node.agentId
    const limits = resolveServiceLimits(init)
    this.#limits = limits
    this.#links = new NeighbourLinks({
      transport: this.#transport,
      log,
      maxQueuedFrames: limits.maxQueuedFramesPerNeighbour,
      maxQueuedBytes: limits.maxQueuedBytesPerNeighbour,
    })
    this.#inbound = new InboundStreams({
      log,
      maxInboundStreams: limits.maxInboundStreams,
      onFrame: (from, frame) => {
        if (this.#status !== 'running') return false
        this.#apply(this.#node.receive(from, frame, this.#clock.now()))
        return true
      },
    })
    this.#batcher = new PublishBatcher({
      clock: this.#clock,
      windowMs: limits.publishBatchWindow,
      maxBatchMessages: limits.maxBatchMessages,
      maxPendingPublishes: limits.maxPendingPublishes,
      sign: (topic, payloads) => {
        this.#apply(this.#node.publish(topic, payloads, this.#clock.now()))
      },
    })
    this.#timer = new WakeTimer(this.#clock, () => {
      this.#apply(this.#node.tick(this.#clock.now()))
    })
    this.#subscribers = new LocalSubscribers({
      counters: this.#counters,
      onFirst: (topic) => {
        this.#apply(this.#node.subscribe(topic, this.#clock.now()))
      },
      onLast: (topic) => {
        if (this.#status === 'running')
          this.#apply(this.#node.unsubscribe(topic, this.#clock.now()))
      },
    })
  }

  start(): void {
    if (this.#status === 'stopped') throw new PubsubStoppedError('pubsub was stopped')
    if (this.#status === 'running') return
    this.#status = 'running'
    this.#transport.handle('pubsub', (stream, connection) => {
      void this.#inbound.read(stream, connection.remoteMachineId)
    })
    this.#membership.addEventListener('neighbor:up', this.#onNeighbourUp)
    this.#membership.addEventListener('neighbor:down', this.#onNeighbourDown)
    for (const peer of this.#membership.getNeighbors()) this.#neighbourUp(peer)
    this.#schedule()
  }

  subscribe(topic: string, options: SubscribeOptions = {}): Promise<Subscription> {
    this.#assertRunning()
    encodeTopic(topic, this.#limits.maxTopicBytes)
    const queueSize = options.queueSize ?? this.#limits.subscriberQueueSize
    const policy = options.slowSubscriberPolicy ?? this.#limits.slowSubscriberPolicy
    return Promise.resolve(this.#subscribers.add(topic, queueSize, policy))
  }

  publish(topic: string, payload: Uint8Array): Promise<void> {
    try {
      this.#assertRunning()
      if (this.agentId === undefined)
        throw new InvalidStateError('this node has no agent key to publish with')
      encodeTopic(topic, this.#limits.maxTopicBytes)
      if (payload.length > this.#limits.maxPayloadBytes)
        throw new PayloadTooLargeError(
          `payload is ${payload.length} bytes, above ${this.#limits.maxPayloadBytes}`,
        )
    } catch (error) {
      this.#counters.publish_refused++
      return Promise.reject(error instanceof Error ? error : new InvalidStateError(String(error)))
    }
    return this.#batcher.add(topic, payload)
  }

  stats(): PubsubStats {
    const { stats, pubsub_stages } = this.#node.stats()
    const { frames, bytes } = this.#links.queued()
    const { subscribers, queued } = this.#subscribers.counts()
    return {
      stats: {
        ...stats,
        slow_subscriber_dropped: this.#counters.slow_subscriber_dropped,
        subscriber_channel_closed: this.#counters.subscriber_channel_closed,
        publish_failed: stats.publish_failed + this.#counters.publish_refused,
      },
      pubsub_stages,
      pubsub_service: {
        ...this.#links.counters,
        neighbour_streams: this.#links.size,
        inbound_streams: this.#inbound.size,
        inbound_streams_refused: this.#inbound.refused,
        send_queue_frames: frames,
        send_queue_bytes: bytes,
        subscribers,
        subscribed_topics: this.#subscribers.topics,
        subscriber_queued: queued,
        publish_batches: this.#batcher.batches,
        publish_batched_messages: this.#batcher.batchedMessages,
        pending_publishes: this.#batcher.pending,
      },
    }
  }

  stop(): Promise<void> {
    if (this.#status === 'stopped') return Promise.resolve()
    const wasRunning = this.#status === 'running'
    this.#status = 'stopped'
    this.#batcher.abort(new PubsubStoppedError('pubsub stopped before signing'))
    this.#timer.clear()
    if (wasRunning) {
      this.#transport.unhandle('pubsub')
      this.#membership.removeEventListener('neighbor:up', this.#onNeighbourUp)
      this.#membership.removeEventListener('neighbor:down', this.#onNeighbourDown)
    }
    this.#links.clear()
    this.#inbound.abortAll()
    this.#subscribers.closeAll()
    return Promise.resolve()
  }

  readonly #onNeighbourUp = (event: CustomEvent<MembershipEvents['neighbor:up']>): void => {
    this.#neighbourUp(event.detail)
  }

  readonly #onNeighbourDown = (event: CustomEvent<MembershipEvents['neighbor:down']>): void => {
    const peer = event.detail.peer.id
    if (!this.#links.has(peer)) return
    this.#links.close(peer)
    this.#apply(this.#node.neighbourDown(peer, this.#clock.now()))
  }

  #neighbourUp(peer: PeerDescriptor): void {
    if (this.#links.has(peer.id) || this.#links.size >= this.#limits.maxNeighbours) return
    this.#links.open(peer)
    this.#apply(this.#node.neighbourUp(peer.id, this.#clock.now()))
  }

  #apply(output: PubsubOutput): void {
    if (this.#status !== 'running') return
    for (const { to, frame } of output.sends) this.#links.send(to as MachineId, frame)
    for (const delivery of output.deliveries) this.#subscribers.deliver(delivery)
    this.#schedule()
  }

  #schedule(): void {
    if (this.#status === 'running') this.#timer.arm(this.#node.wakeAt())
  }

  #assertRunning(): void {
    if (this.#status !== 'running') throw new PubsubStoppedError('pubsub is not running')
  }
}
