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
  type Logger,
  type TimerHandle,
} from '@x0x/base'
import type { Membership, MembershipEvents, PeerDescriptor } from '@x0x/gossip-membership'
import {
  createPqcBackend,
  type AgentId,
  type MachineId,
  type MlDsa65KeyPair,
  type PqcBackend,
} from '@x0x/pqc'
import type { FrameStream, Transport } from '@x0x/transport'
import {
  DEFAULT_MAX_BATCH_MESSAGES,
  DEFAULT_MAX_INBOUND_STREAMS,
  DEFAULT_MAX_NEIGHBOURS,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_PENDING_PUBLISHES,
  DEFAULT_MAX_QUEUED_BYTES_PER_NEIGHBOUR,
  DEFAULT_MAX_QUEUED_FRAMES_PER_NEIGHBOUR,
  DEFAULT_MAX_TOPIC_BYTES,
  DEFAULT_PUBLISH_BATCH_WINDOW_MS,
  DEFAULT_SUBSCRIBER_QUEUE_MESSAGES,
} from '../constants.js'
import { PayloadTooLargeError, PubsubStoppedError } from '../errors.js'
import {
  createPubsubNode,
  type Delivery,
  type PubsubNode,
  type PubsubNodeInit,
  type PubsubNodeStats,
  type PubsubOutput,
} from '../pubsub-node.js'
import { encodeTopic } from '../signed-envelope.js'
import { NeighbourLinks, type NeighbourLinkCounters } from './neighbour-links.js'
import { PublishBatcher } from './publish-batcher.js'
import { SubscriberQueue, type SlowSubscriberPolicy, type Subscription } from './subscription.js'
import { ServiceCounters, type PubsubServiceStats } from './service-stats.js'

/** Options of `createPubsub`: the node's (Plumtree timers, limits) plus the service's own. */
export interface PubsubInit extends PubsubNodeInit {
  /** Messages queued per local subscriber. Default 1,024. */
  readonly subscriberQueueSize?: number
  /** What a full subscriber queue does. Default `drop-oldest` (a lagging reader keeps the freshest). */
  readonly slowSubscriberPolicy?: SlowSubscriberPolicy
  /** Frames queued per neighbour stream; past it new frames are dropped and counted. Default 1,024. */
  readonly maxQueuedFramesPerNeighbour?: number
  /** Bytes queued per neighbour stream, same policy. Default 16 MiB. */
  readonly maxQueuedBytesPerNeighbour?: number
  /** Publishes to one topic within this window share one signature; 0 signs each at once. Default 2 ms. */
  readonly publishBatchWindow?: number
  /** Publishes awaiting a batch signature before every batch is signed at once. Default 4,096. */
  readonly maxPendingPublishes?: number
  /** Inbound 'pubsub' streams read at once; more are reset. Default 64. */
  readonly maxInboundStreams?: number
}

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

/** Per-subscription overrides of the service's subscriber queue options. */
export interface SubscribeOptions {
  /** Default: the service's `subscriberQueueSize`. */
  readonly queueSize?: number
  /** Default: the service's `slowSubscriberPolicy`. */
  readonly slowSubscriberPolicy?: SlowSubscriberPolicy
}

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
  readonly #log: Logger
  readonly #node: PubsubNode
  readonly #links: NeighbourLinks
  readonly #batcher: PublishBatcher
  readonly #subscribers = new Map<string, Set<SubscriberQueue>>()
  readonly #inbound = new Map<MachineId, FrameStream>()
  readonly #counters = new ServiceCounters()
  readonly #limits: {
    readonly maxTopicBytes: number
    readonly maxPayloadBytes: number
    readonly maxNeighbours: number
    readonly maxInboundStreams: number
    readonly subscriberQueueSize: number
    readonly slowSubscriberPolicy: SlowSubscriberPolicy
  }
  #timer: TimerHandle | undefined
  #timerAt: number | undefined
  #status: 'created' | 'running' | 'stopped' = 'created'

  constructor(init: PubsubInit, components: PubsubComponents) {
    this.#transport = components.transport
    this.#membership = components.membership
    this.#clock = components.clock ?? systemClock
    this.#log = (components.logger ?? silentLogger).forComponent('x0x:pubsub')
    const backend = components.backend ?? createPqcBackend('native')
    const nodeComponents =
      components.agentKey === undefined ? { backend } : { backend, agentKey: components.agentKey }
    this.#node = createPubsubNode(nodeComponents, init, this.#clock.now())
    this.agentId = this.#node.agentId
    this.#limits = {
      maxTopicBytes: init.maxTopicBytes ?? DEFAULT_MAX_TOPIC_BYTES,
      maxPayloadBytes: init.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      maxNeighbours: init.maxNeighbours ?? DEFAULT_MAX_NEIGHBOURS,
      maxInboundStreams: init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS,
      subscriberQueueSize: init.subscriberQueueSize ?? DEFAULT_SUBSCRIBER_QUEUE_MESSAGES,
      slowSubscriberPolicy: init.slowSubscriberPolicy ?? 'drop-oldest',
    }
    this.#links = new NeighbourLinks({
      transport: this.#transport,
      log: this.#log,
      maxQueuedFrames: init.maxQueuedFramesPerNeighbour ?? DEFAULT_MAX_QUEUED_FRAMES_PER_NEIGHBOUR,
      maxQueuedBytes: init.maxQueuedBytesPerNeighbour ?? DEFAULT_MAX_QUEUED_BYTES_PER_NEIGHBOUR,
    })
    this.#batcher = new PublishBatcher({
      clock: this.#clock,
      windowMs: init.publishBatchWindow ?? DEFAULT_PUBLISH_BATCH_WINDOW_MS,
      maxBatchMessages: init.maxBatchMessages ?? DEFAULT_MAX_BATCH_MESSAGES,
      maxPendingPublishes: init.maxPendingPublishes ?? DEFAULT_MAX_PENDING_PUBLISHES,
      sign: (topic, payloads) => {
        this.#apply(this.#node.publish(topic, payloads, this.#clock.now()))
      },
    })
  }

  start(): void {
    if (this.#status === 'stopped') throw new PubsubStoppedError('pubsub was stopped')
    if (this.#status === 'running') return
    this.#status = 'running'
    this.#transport.handle('pubsub', (stream, connection) => {
      void this.#read(stream, connection.remoteMachineId)
    })
    this.#membership.addEventListener('neighbor:up', this.#onNeighbourUp)
    this.#membership.addEventListener('neighbor:down', this.#onNeighbourDown)
    for (const peer of this.#membership.getNeighbors()) this.#neighbourUp(peer)
    this.#schedule()
  }

  subscribe(topic: string, options: SubscribeOptions = {}): Promise<Subscription> {
    this.#assertRunning()
    encodeTopic(topic, this.#limits.maxTopicBytes)
    const queue = new SubscriberQueue(
      topic,
      options.queueSize ?? this.#limits.subscriberQueueSize,
      options.slowSubscriberPolicy ?? this.#limits.slowSubscriberPolicy,
      (closed) => {
        this.#unsubscribe(closed)
      },
    )
    let queues = this.#subscribers.get(topic)
    if (queues === undefined) {
      queues = new Set()
      this.#subscribers.set(topic, queues)
      this.#apply(this.#node.subscribe(topic, this.#clock.now()))
    }
    queues.add(queue)
    return Promise.resolve(queue)
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
    let subscribers = 0
    let queued = 0
    for (const queues of this.#subscribers.values())
      for (const queue of queues) {
        subscribers++
        queued += queue.queued
      }
    const links: NeighbourLinkCounters = this.#links.counters
    return {
      stats: {
        ...stats,
        slow_subscriber_dropped: this.#counters.slow_subscriber_dropped,
        subscriber_channel_closed: this.#counters.subscriber_channel_closed,
        publish_failed: stats.publish_failed + this.#counters.publish_refused,
      },
      pubsub_stages,
      pubsub_service: {
        ...links,
        neighbour_streams: this.#links.size,
        inbound_streams: this.#inbound.size,
        inbound_streams_refused: this.#counters.inbound_streams_refused,
        send_queue_frames: frames,
        send_queue_bytes: bytes,
        subscribers,
        subscribed_topics: this.#subscribers.size,
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
    this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    if (wasRunning) {
      this.#transport.unhandle('pubsub')
      this.#membership.removeEventListener('neighbor:up', this.#onNeighbourUp)
      this.#membership.removeEventListener('neighbor:down', this.#onNeighbourDown)
    }
    this.#links.clear()
    for (const stream of this.#inbound.values()) stream.abort(new PubsubStoppedError())
    this.#inbound.clear()
    for (const queues of [...this.#subscribers.values()]) for (const queue of queues) queue.close()
    this.#subscribers.clear()
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

  #unsubscribe(queue: SubscriberQueue): void {
    const queues = this.#subscribers.get(queue.topic)
    if (queues?.delete(queue) !== true || queues.size > 0) return
    this.#subscribers.delete(queue.topic)
    if (this.#status === 'running')
      this.#apply(this.#node.unsubscribe(queue.topic, this.#clock.now()))
  }

  async #read(stream: FrameStream, from: MachineId): Promise<void> {
    const previous = this.#inbound.get(from)
    if (previous === undefined && this.#inbound.size >= this.#limits.maxInboundStreams) {
      this.#counters.inbound_streams_refused++
      stream.abort()
      return
    }
    // One inbound stream per neighbour: a newer one (the peer re-opened it) replaces the old.
    previous?.abort()
    this.#inbound.set(from, stream)
    try {
      for await (const frame of stream) {
        if (this.#status !== 'running') break
        this.#apply(this.#node.receive(from, frame, this.#clock.now()))
      }
    } catch (error) {
      this.#log('pubsub stream from %s ended: %s', from, error)
    } finally {
      if (this.#inbound.get(from) === stream) this.#inbound.delete(from)
    }
  }

  #apply(output: PubsubOutput): void {
    if (this.#status !== 'running') return
    for (const { to, frame } of output.sends) this.#links.send(to as MachineId, frame)
    for (const delivery of output.deliveries) this.#deliver(delivery)
    this.#schedule()
  }

  #deliver(delivery: Delivery): void {
    const queues = this.#subscribers.get(delivery.topic)
    if (queues === undefined) return
    const message = { ...delivery, verified: true as const }
    for (const queue of queues) {
      const result = queue.offer(message)
      if (result === 'dropped') this.#counters.slow_subscriber_dropped++
      else if (result === 'closed') this.#counters.subscriber_channel_closed++
    }
  }

  #schedule(): void {
    if (this.#status !== 'running') return
    const wakeAt = this.#node.wakeAt()
    if (wakeAt === this.#timerAt) return
    this.#clock.clearTimeout(this.#timer)
    this.#timerAt = wakeAt
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = undefined
        this.#timerAt = undefined
        this.#apply(this.#node.tick(this.#clock.now()))
      },
      Math.max(0, wakeAt - this.#clock.now()),
    )
  }

  #assertRunning(): void {
    if (this.#status !== 'running') throw new PubsubStoppedError('pubsub is not running')
  }
}
