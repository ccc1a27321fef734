// One node's pub/sub logic without I/O or clock reads: frames in, frames out, deliveries out.
// Ingest order (DESIGN.md "Gossip"): decode the frame with limits → `MessageIngest` (dedup before
// any verification, envelope limits, the origin's key, verify once) → the Plumtree core, which
// forwards → deliver to local subscribers. Security invariant: only verified envelopes enter the
// seen set, the cache or the tree, so a forged copy of a real message can never suppress the real
// one, and nothing unverified is forwarded. The service adds streams, timers and subscriber queues.
import { InvalidStateError, isErrorNamed } from '@x0x/base'
import { agentIdFromPublicKey, type AgentId, type MlDsa65KeyPair, type PqcBackend } from '@x0x/pqc'
import { DEFAULT_MAX_REJECTED_FRAMES } from './constants.js'
import { FrameEncoder } from './frame-encoder.js'
import { KeyExchange } from './key-exchange.js'
import { MessageIngest, type IngestSink } from './message-ingest.js'
import { step, type EnvelopeSummary, type PlumtreeAction, type PlumtreeInput } from './plumtree.js'
import {
  createPlumtreeState,
  nextWakeAt,
  type PeerId,
  type PlumtreeInit,
  type PlumtreeState,
} from './plumtree-state.js'
import {
  PublicKeyDirectory,
  resolvePublicKeyDirectoryLimits,
  type PublicKeyDirectoryInit,
} from './public-key-directory.js'
import {
  decodeFrame,
  resolveFrameLimits,
  withForwardOnlyFlag,
  type FrameLimits,
  type PubsubFrame,
  type ResolvedFrameLimits,
} from './pubsub-frame.js'
import {
  emptyGossipStats,
  emptyIngestCounters,
  type GossipStats,
  type IngestCounters,
  type PubsubStageStats,
} from './pubsub-stats.js'
import type { PubsubOutput } from './pubsub-output.js'
import { Publisher } from './publisher.js'
import { lastSequence, type SignedEnvelope } from './signed-envelope.js'

/** Options of a pub/sub node: the Plumtree timers and bounds, the codec limits, and these. */
export interface PubsubNodeInit extends PlumtreeInit, FrameLimits, PublicKeyDirectoryInit {
  /** Ids of envelopes that failed verification, remembered with their signatures (LRU). Default 4,096. */
  readonly maxRejectedEnvelopes?: number
  /** This publisher run's epoch. Default: `now` at the first publish. */
  readonly epoch?: number
}

/** What a node needs injected. */
export interface PubsubNodeComponents {
  /** Verifies signatures (use the native backend: verification is the per-node cost floor). */
  readonly backend: PqcBackend
  /** The local agent's signing key; without it the node relays and subscribes but cannot publish. */
  readonly agentKey?: MlDsa65KeyPair
}

export type { Delivery, Outbound, PubsubOutput } from './pubsub-output.js'

/** The `/diagnostics/gossip` view of a node. */
export interface PubsubNodeStats {
  readonly stats: GossipStats
  readonly pubsub_stages: PubsubStageStats
}

/** A node's pub/sub state machine. Every method takes `now` and returns what to send. */
export interface PubsubNode {
  /** The local agent id, when the node can publish. */
  readonly agentId: AgentId | undefined
  /** Handles one frame from neighbour `from`. Never throws on hostile input. */
  receive(from: PeerId, frame: Uint8Array, now: number): PubsubOutput
  /**
   * Signs `payloads` under as few signatures as the batch limit allows, broadcasts them, and
   * delivers them to local subscribers of `topic` too.
   *
   * @throws InvalidTopicError, PayloadTooLargeError, InvalidStateError (no agent key)
   */
  publish(topic: string, payloads: readonly Uint8Array[], now: number): PubsubOutput
  /**
   * Delivers `topic` locally from the next message on. The node becomes interested, so it joins
   * the topic's tree: every message published from now on is announced to it, and fetched.
   */
  subscribe(topic: string, now: number): PubsubOutput
  unsubscribe(topic: string, now: number): PubsubOutput
  neighbourUp(peer: PeerId, now: number): PubsubOutput
  neighbourDown(peer: PeerId, now: number): PubsubOutput
  /** Runs whatever is due at `now`; call it at `wakeAt()`. */
  tick(now: number): PubsubOutput
  /** When `tick` is next needed. */
  wakeAt(): number
  isSubscribed(topic: string): boolean
  stats(): PubsubNodeStats
  /**
   * The neighbours this node pushes `topic`'s payloads to (its tree links) and those it only
   * announces them to, or undefined when it keeps no tree for the topic. A snapshot, for
   * diagnostics and the simulations' tree-shape figures.
   */
  treeLinks(topic: string): { readonly eager: PeerId[]; readonly lazy: PeerId[] } | undefined
}

function isForwardOnly(action: PlumtreeAction): boolean {
  return action.type === 'send-message' && action.forwardOnly === true
}

/** Creates a node. `now` starts the anti-entropy schedule. */
export function createPubsubNode(
  components: PubsubNodeComponents,
  init: PubsubNodeInit = {},
  now = 0,
): PubsubNode {
  return new DefaultPubsubNode(components, init, now)
}

class DefaultPubsubNode implements PubsubNode {
  readonly agentId: AgentId | undefined
  readonly #limits: ResolvedFrameLimits
  readonly #core: PlumtreeState
  readonly #directory: PublicKeyDirectory
  readonly #encoder: FrameEncoder
  readonly #keys: KeyExchange
  readonly #ingest: MessageIngest
  readonly #publisher: Publisher | undefined
  readonly #subscriptions = new Set<string>()
  readonly #stats = emptyGossipStats()
  readonly #counters: IngestCounters = emptyIngestCounters()

  constructor(components: PubsubNodeComponents, init: PubsubNodeInit, now: number) {
    this.#limits = resolveFrameLimits(init)
    this.#core = createPlumtreeState(init, now)
    this.#directory = new PublicKeyDirectory(resolvePublicKeyDirectoryLimits(init))
    this.#encoder = new FrameEncoder(this.#limits, this.#directory, this.#core.config.maxTopics)
    this.#keys = new KeyExchange(this.#directory, this.#encoder, this.#counters, this.#stats)
    this.#ingest = new MessageIngest({
      backend: components.backend,
      limits: this.#limits,
      keys: this.#keys,
      sink: this.#sink,
      counters: this.#counters,
      stats: this.#stats,
      maxSeenMessages: this.#core.config.maxSeenMessages,
      maxRejectedEnvelopes: init.maxRejectedEnvelopes ?? DEFAULT_MAX_REJECTED_FRAMES,
    })
    const agentKey = components.agentKey
    if (agentKey === undefined) {
      this.agentId = undefined
      this.#publisher = undefined
    } else {
      this.agentId = agentIdFromPublicKey(agentKey.publicKey)
      this.#directory.set(this.agentId, agentKey.publicKey)
      this.#publisher = new Publisher(agentKey, this.agentId, this.#limits, init.epoch)
    }
  }

  receive(from: PeerId, bytes: Uint8Array, now: number): PubsubOutput {
    const output: PubsubOutput = { sends: [], deliveries: [] }
    this.#stats.incoming_total++
    let frame: PubsubFrame
    try {
      frame = decodeFrame(bytes, this.#limits)
    } catch (error) {
      if (!isErrorNamed(error, 'DecodeError')) throw error
      this.#stats.incoming_decode_failed++
      return output
    }
    this.#stats.incoming_decoded++
    switch (frame.type) {
      case 'message':
        this.#ingest.ingest(output, from, frame, now)
        break
      case 'key-request':
        if (this.#core.neighbours.has(from)) this.#keys.answerRequest(output, from, frame.origins)
        break
      case 'key-response':
        this.#ingest.acceptKeys(output, frame.publicKeys, now)
        break
      case 'interest':
      case 'interest-ack':
        // Reserved: interest is not announced (trees scope themselves by trimming, and every
        // node hears every announcement), so these frames are decoded and ignored.
        break
      case 'ihave':
      case 'graft':
      case 'prune':
      case 'digest-summary':
      case 'digest':
        this.#step(output, { ...frame, from }, now)
        break
    }
    return output
  }

  publish(topic: string, payloads: readonly Uint8Array[], now: number): PubsubOutput {
    const output: PubsubOutput = { sends: [], deliveries: [] }
    try {
      if (this.#publisher === undefined)
        throw new InvalidStateError('this node has no agent key to publish with')
      for (const envelope of this.#publisher.sign(topic, payloads, now)) {
        this.#stats.publish_total += envelope.payloads.length
        this.#ingest.remember(envelope)
        this.#accept(output, undefined, 0, false, envelope, now)
      }
    } catch (error) {
      this.#stats.publish_failed += payloads.length
      throw error
    }
    return output
  }

  subscribe(topic: string, now: number): PubsubOutput {
    this.#subscriptions.add(topic)
    return this.#run({ type: 'join', topic }, now)
  }

  unsubscribe(topic: string, now: number): PubsubOutput {
    this.#subscriptions.delete(topic)
    return this.#run({ type: 'leave', topic }, now)
  }

  neighbourUp(peer: PeerId, now: number): PubsubOutput {
    return this.#run({ type: 'neighbour-up', peer }, now)
  }

  neighbourDown(peer: PeerId, now: number): PubsubOutput {
    this.#directory.forgetPeer(peer)
    return this.#run({ type: 'neighbour-down', peer }, now)
  }

  tick(now: number): PubsubOutput {
    this.#keys.expire(now)
    return this.#run({ type: 'tick' }, now)
  }

  wakeAt(): number {
    const parked = this.#directory.nextExpiry()
    const core = nextWakeAt(this.#core)
    return parked === undefined ? core : Math.min(core, parked)
  }

  isSubscribed(topic: string): boolean {
    return this.#subscriptions.has(topic)
  }

  treeLinks(topic: string): { readonly eager: PeerId[]; readonly lazy: PeerId[] } | undefined {
    // Read without `treeOf`: a diagnostic must neither create a tree nor touch the topics' LRU.
    const tree = this.#core.topics.get(topic)
    return tree === undefined ? undefined : { eager: [...tree.eager], lazy: [...tree.lazy] }
  }

  stats(): PubsubNodeStats {
    const core = this.#core
    return {
      stats: { ...this.#stats, in_flight_decode: this.#directory.parkedCount },
      pubsub_stages: {
        ...this.#counters,
        ...core.counters,
        cache_messages: core.cache.size,
        cache_bytes: core.cache.bytes,
        cache_evicted: core.cache.evicted,
        seen_messages: core.seen.size,
        missing_messages: core.missing.size,
        neighbours: core.neighbours.size,
        topics: core.topics.size,
        public_keys: this.#directory.size,
      },
    }
  }

  /** Ingest's view of the node: the seen set, and the tree for duplicates and first copies. */
  readonly #sink: IngestSink = {
    isSeen: (id, now) => this.#core.seen.has(id, now),
    duplicate: (output, from, hops, forwardOnly, id, now) => {
      this.#step(output, { type: 'duplicate', from, hops, forwardOnly, id }, now)
    },
    accept: (output, from, hops, forwardOnly, envelope, now) => {
      this.#accept(output, from, hops, forwardOnly, envelope, now)
    },
  }

  #run(input: PlumtreeInput, now: number): PubsubOutput {
    const output: PubsubOutput = { sends: [], deliveries: [] }
    this.#step(output, input, now)
    return output
  }

  /**
   * A verified (or locally signed) envelope, already remembered by ingest: into the tree, then to
   * local subscribers.
   */
  #accept(
    output: PubsubOutput,
    from: PeerId | undefined,
    hops: number,
    forwardOnly: boolean,
    envelope: SignedEnvelope,
    now: number,
  ): void {
    // Only the fields the tree needs, and a copy of the bytes: the envelope's other views
    // (payloads, signature) point into the received frame, and the cache would keep it alive.
    const { id, topic, origin, epoch, firstSequence } = envelope
    const summary: EnvelopeSummary = {
      id,
      topic,
      origin,
      epoch,
      firstSequence,
      lastSequence: lastSequence(envelope),
      bytes: envelope.bytes.slice(),
    }
    this.#step(
      output,
      from === undefined
        ? { type: 'broadcast', envelope: summary }
        : { type: 'message', from, hops, forwardOnly, envelope: summary },
      now,
    )
    if (this.#subscriptions.has(envelope.topic)) this.#deliver(output, envelope)
  }

  #deliver(output: PubsubOutput, envelope: SignedEnvelope): void {
    const { id, topic, origin, epoch, timestamp } = envelope
    envelope.payloads.forEach((payload, index) => {
      const sequence = envelope.firstSequence + index
      output.deliveries.push({ id, topic, origin, epoch, sequence, timestamp, payload })
    })
    this.#stats.delivered_to_subscriber += envelope.payloads.length
  }

  #step(output: PubsubOutput, input: PlumtreeInput, now: number): void {
    const { actions } = step(this.#core, input, now)
    if (!actions.some(isForwardOnly)) {
      this.#encoder.translate(output, actions)
      return
    }
    this.#encoder.translate(
      output,
      actions.filter((action) => !isForwardOnly(action)),
    )
    // The encoder shares one frame among the peers of an envelope: flag a copy (rare: a node
    // out of the tree sends one forward-only frame per message).
    const start = output.sends.length
    this.#encoder.translate(output, actions.filter(isForwardOnly))
    for (let index = start; index < output.sends.length; index++) {
      const send = output.sends[index]
      if (send !== undefined)
        output.sends[index] = { ...send, frame: withForwardOnlyFlag(send.frame) }
    }
  }
}
