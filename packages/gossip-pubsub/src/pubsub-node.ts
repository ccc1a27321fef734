// One node's pub/sub logic without I/O or clock reads: frames in, frames out, deliveries out.
// Ingest order (DESIGN.md "Gossip"): decode the frame with limits → hash the signed body and drop
// duplicates (before any verification) → decode the envelope with limits → find the origin's
// key → verify once → hand to the Plumtree core, which forwards → deliver to local subscribers.
// Security invariant: only verified envelopes enter the seen set, the cache or the tree, so a
// forged copy of a real message can never suppress the real one, and nothing unverified is
// forwarded. The service shell (later) adds transport streams, timers and subscriber queues.
import { DecodeError, InvalidStateError, equalBytes, isErrorNamed } from '@x0x/base'
import { agentIdFromPublicKey, type AgentId, type MlDsa65KeyPair, type PqcBackend } from '@x0x/pqc'
import {
  DEFAULT_KEY_REQUEST_TIMEOUT_MS,
  DEFAULT_MAX_KEYS_SENT_PER_NEIGHBOUR,
  DEFAULT_MAX_PARKED_ENVELOPES,
  DEFAULT_MAX_PUBLIC_KEYS,
  DEFAULT_MAX_REJECTED_FRAMES,
} from './constants.js'
import { step, type PlumtreeAction, type PlumtreeInput } from './plumtree.js'
import {
  createPlumtreeState,
  nextWakeAt,
  type PeerId,
  type PlumtreeInit,
  type PlumtreeState,
} from './plumtree-state.js'
import { DuplicateFilter } from './duplicate-filter.js'
import { PublicKeyDirectory, type ParkedEnvelope } from './public-key-directory.js'
import {
  decodeFrame,
  encodeFrame,
  encodeMessageFrame,
  resolveFrameLimits,
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
import { Publisher } from './publisher.js'
import {
  decodeEnvelope,
  lastSequence,
  messageIdOf,
  signedBodyOf,
  verifyEnvelope,
  type MessageId,
  type SignedEnvelope,
} from './signed-envelope.js'

/** Options of a pub/sub node: the Plumtree timers and bounds, the codec limits, and these. */
export interface PubsubNodeInit extends PlumtreeInit, FrameLimits {
  /** Verified origin public keys kept (LRU). Default 4,096. */
  readonly maxPublicKeys?: number
  /** Envelopes parked awaiting their origin's key (oldest dropped). Default 256. */
  readonly maxParkedEnvelopes?: number
  /** Wait for a requested key before a parked envelope is dropped, ms. Default 2,000. */
  readonly keyRequestTimeout?: number
  /** Origins remembered per neighbour as "key already sent" (LRU). Default 1,024. */
  readonly maxKeysSentPerNeighbour?: number
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

/** One message handed to a local subscriber. */
export interface Delivery {
  readonly id: MessageId
  readonly topic: string
  readonly origin: AgentId
  readonly epoch: number
  readonly sequence: number
  readonly timestamp: number
  readonly payload: Uint8Array
}

/** A frame for the service to send on the neighbour's `pubsub` stream. */
export interface Outbound {
  readonly to: PeerId
  readonly frame: Uint8Array
}

/** What one call produced. `deliveries` go to local subscribers of their topic. */
export interface PubsubOutput {
  readonly sends: Outbound[]
  readonly deliveries: Delivery[]
}

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
  /** Delivers `topic` locally from the next message on; the node already relays every topic. */
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
  readonly #backend: PqcBackend
  readonly #limits: ResolvedFrameLimits
  readonly #core: PlumtreeState
  readonly #duplicates: DuplicateFilter
  readonly #keys: PublicKeyDirectory
  readonly #publisher: Publisher | undefined
  readonly #subscriptions = new Set<string>()
  readonly #rejected: Map<MessageId, Uint8Array> = new Map()
  /** Encoded PRUNE frames by topic: every duplicate answers with one, so encode each once. */
  readonly #pruneFrames = new Map<string, Uint8Array>()
  readonly #maxRejected: number
  readonly #stats = emptyGossipStats()
  readonly #counters: IngestCounters = emptyIngestCounters()

  constructor(components: PubsubNodeComponents, init: PubsubNodeInit, now: number) {
    this.#backend = components.backend
    this.#limits = resolveFrameLimits(init)
    this.#core = createPlumtreeState(init, now)
    this.#duplicates = new DuplicateFilter(this.#core.config.maxSeenMessages)
    this.#maxRejected = init.maxRejectedEnvelopes ?? DEFAULT_MAX_REJECTED_FRAMES
    this.#keys = new PublicKeyDirectory({
      maxPublicKeys: init.maxPublicKeys ?? DEFAULT_MAX_PUBLIC_KEYS,
      maxParkedEnvelopes: init.maxParkedEnvelopes ?? DEFAULT_MAX_PARKED_ENVELOPES,
      keyRequestTimeout: init.keyRequestTimeout ?? DEFAULT_KEY_REQUEST_TIMEOUT_MS,
      maxKeysSentPerNeighbour: init.maxKeysSentPerNeighbour ?? DEFAULT_MAX_KEYS_SENT_PER_NEIGHBOUR,
    })
    const agentKey = components.agentKey
    if (agentKey === undefined) {
      this.agentId = undefined
      this.#publisher = undefined
    } else {
      this.agentId = agentIdFromPublicKey(agentKey.publicKey)
      this.#keys.set(this.agentId, agentKey.publicKey)
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
        this.#ingestMessage(output, from, frame.hops, frame.envelope, frame.publicKey, now)
        break
      case 'key-request':
        this.#answerKeyRequest(output, from, frame.origins)
        break
      case 'key-response':
        this.#acceptKeys(output, frame.publicKeys, now)
        break
      case 'interest':
      case 'interest-ack':
        // Interest-scoped trees come with the service; every node relays every topic for now.
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
        this.#accept(output, undefined, 0, envelope, now)
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
    this.#keys.forgetPeer(peer)
    return this.#run({ type: 'neighbour-down', peer }, now)
  }

  tick(now: number): PubsubOutput {
    for (const _ of this.#keys.expire(now)) {
      this.#counters.key_unavailable++
      this.#stats.decode_to_delivery_drops++
    }
    return this.#run({ type: 'tick' }, now)
  }

  wakeAt(): number {
    const parked = this.#keys.nextExpiry()
    const core = nextWakeAt(this.#core)
    return parked === undefined ? core : Math.min(core, parked)
  }

  isSubscribed(topic: string): boolean {
    return this.#subscriptions.has(topic)
  }

  stats(): PubsubNodeStats {
    const core = this.#core
    return {
      stats: { ...this.#stats, in_flight_decode: this.#keys.parkedCount },
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
        public_keys: this.#keys.size,
      },
    }
  }

  #run(input: PlumtreeInput, now: number): PubsubOutput {
    const output: PubsubOutput = { sends: [], deliveries: [] }
    this.#step(output, input, now)
    return output
  }

  #ingestMessage(
    output: PubsubOutput,
    from: PeerId,
    hops: number,
    bytes: Uint8Array,
    attachedKey: Uint8Array | undefined,
    now: number,
  ): void {
    const fingerprint = DuplicateFilter.fingerprintOf(bytes)
    const known = fingerprint === undefined ? undefined : this.#duplicates.get(fingerprint)
    if (known !== undefined && this.#core.seen.has(known, now)) {
      this.#counters.duplicates++
      this.#step(output, { type: 'duplicate', from, hops, id: known }, now)
      return
    }
    let envelope: SignedEnvelope
    try {
      const id = messageIdOf(signedBodyOf(bytes))
      if (this.#core.seen.has(id, now)) {
        this.#counters.duplicates++
        this.#step(output, { type: 'duplicate', from, hops, id }, now)
        return
      }
      const rejectedSignature = this.#rejected.get(id)
      if (
        rejectedSignature !== undefined &&
        equalBytes(rejectedSignature, bytes.subarray(bytes.length - rejectedSignature.length))
      ) {
        this.#counters.rejected_repeat++
        return
      }
      envelope = decodeEnvelope(bytes, this.#limits, id)
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error
      this.#stats.incoming_decode_failed++
      return
    }
    let publicKey = this.#keys.get(envelope.origin)
    if (publicKey === undefined && attachedKey !== undefined) {
      if (agentIdFromPublicKey(attachedKey) !== envelope.origin) {
        this.#counters.public_key_mismatch++
        this.#stats.decode_to_delivery_drops++
        return
      }
      publicKey = attachedKey.slice()
      this.#keys.set(envelope.origin, publicKey)
    }
    if (publicKey === undefined) {
      this.#park(
        output,
        { from, hops, envelope, expiresAt: now + this.#keys.limits.keyRequestTimeout },
        now,
      )
      return
    }
    this.#verifyAndAccept(output, from, hops, envelope, publicKey, now)
  }

  #verifyAndAccept(
    output: PubsubOutput,
    from: PeerId,
    hops: number,
    envelope: SignedEnvelope,
    publicKey: Uint8Array,
    now: number,
  ): void {
    if (!verifyEnvelope(envelope, publicKey, this.#backend)) {
      this.#counters.signature_failed++
      this.#stats.decode_to_delivery_drops++
      if (this.#rejected.size >= this.#maxRejected)
        this.#rejected.delete(this.#rejected.keys().next().value as MessageId)
      this.#rejected.set(envelope.id, envelope.signature.slice())
      return
    }
    this.#counters.verified++
    this.#accept(output, from, hops, envelope, now)
  }

  /** A verified (or locally signed) envelope: into the tree, then to local subscribers. */
  #accept(
    output: PubsubOutput,
    from: PeerId | undefined,
    hops: number,
    envelope: SignedEnvelope,
    now: number,
  ): void {
    this.#duplicates.add(envelope.bytes, envelope.id)
    const summary = {
      ...envelope,
      lastSequence: lastSequence(envelope),
      bytes: envelope.bytes.slice(),
    }
    this.#step(
      output,
      from === undefined
        ? { type: 'broadcast', envelope: summary }
        : { type: 'message', from, hops, envelope: summary },
      now,
    )
    if (!this.#subscriptions.has(envelope.topic)) return
    envelope.payloads.forEach((payload, index) => {
      const { id, topic, origin, epoch, timestamp } = envelope
      output.deliveries.push({
        id,
        topic,
        origin,
        epoch,
        sequence: envelope.firstSequence + index,
        timestamp,
        payload,
      })
    })
    this.#stats.delivered_to_subscriber += envelope.payloads.length
  }

  #park(output: PubsubOutput, entry: ParkedEnvelope, now: number): void {
    this.#counters.key_parked++
    if (this.#keys.park(entry) !== undefined) {
      this.#counters.parked_dropped++
      this.#stats.decode_to_delivery_drops++
    }
    if (!this.#keys.shouldRequest(entry.envelope.origin, now)) return
    this.#counters.key_requests_sent++
    this.#send(output, entry.from, { type: 'key-request', origins: [entry.envelope.origin] })
  }

  #answerKeyRequest(output: PubsubOutput, from: PeerId, origins: readonly AgentId[]): void {
    if (!this.#core.neighbours.has(from)) return
    const publicKeys: Uint8Array[] = []
    for (const origin of origins) {
      const publicKey = this.#keys.get(origin)
      if (publicKey === undefined) continue
      publicKeys.push(publicKey)
      this.#keys.markSent(from, origin)
    }
    if (publicKeys.length === 0) return
    this.#counters.key_responses_sent++
    this.#send(output, from, { type: 'key-response', publicKeys })
  }

  #acceptKeys(output: PubsubOutput, publicKeys: readonly Uint8Array[], now: number): void {
    for (const publicKey of publicKeys) {
      const origin = agentIdFromPublicKey(publicKey)
      if (!this.#keys.wasRequested(origin)) {
        this.#counters.unsolicited_keys++
        continue
      }
      const owned = publicKey.slice()
      this.#keys.set(origin, owned)
      for (const parked of this.#keys.release(origin)) {
        if (this.#core.seen.has(parked.envelope.id, now)) continue
        this.#verifyAndAccept(output, parked.from, parked.hops, parked.envelope, owned, now)
      }
    }
  }

  #step(output: PubsubOutput, input: PlumtreeInput, now: number): void {
    const { actions } = step(this.#core, input, now)
    this.#translate(output, actions)
  }

  /** Encodes the core's actions; one MESSAGE frame is shared by every peer that gets the same bytes. */
  #translate(output: PubsubOutput, actions: readonly PlumtreeAction[]): void {
    let frames: Map<string, Uint8Array> | undefined
    for (const action of actions) {
      if (action.type === 'send') {
        this.#send(output, action.to, action.frame)
        continue
      }
      const { envelope, hops, to } = action
      const attach = this.#keys.shouldAttach(to, envelope.origin)
      const publicKey = attach ? this.#keys.get(envelope.origin) : undefined
      const key = `${envelope.id}:${hops}:${publicKey !== undefined}`
      frames ??= new Map()
      let frame = frames.get(key)
      if (frame === undefined) {
        frame = encodeMessageFrame(hops, envelope.bytes, publicKey)
        frames.set(key, frame)
      }
      output.sends.push({ to, frame })
    }
  }

  #send(output: PubsubOutput, to: PeerId, frame: PubsubFrame): void {
    if (frame.type !== 'prune') {
      output.sends.push({ to, frame: encodeFrame(frame, this.#limits) })
      return
    }
    let encoded = this.#pruneFrames.get(frame.topic)
    if (encoded === undefined) {
      if (this.#pruneFrames.size >= this.#core.config.maxTopics) this.#pruneFrames.clear()
      encoded = encodeFrame(frame, this.#limits)
      this.#pruneFrames.set(frame.topic, encoded)
    }
    output.sends.push({ to, frame: encoded })
  }
}
