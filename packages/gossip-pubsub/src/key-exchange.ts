// The KEY_REQUEST / KEY_RESPONSE exchange around `PublicKeyDirectory` (docs/protocols/pubsub.md
// "Public keys"). An attached key is trusted only if its SHA-256 is the origin id (keys are
// self-certifying); an envelope whose key is unknown is parked and its key asked of the neighbour
// that forwarded it, which verified it and so had the key. Keys nobody asked for are ignored, so a
// peer cannot churn the key cache.
import { agentIdFromPublicKey, type AgentId } from '@x0x/pqc'
import type { FrameEncoder } from './frame-encoder.js'
import type { PeerId } from './plumtree-state.js'
import type { PubsubOutput } from './pubsub-output.js'
import type { GossipStats, IngestCounters } from './pubsub-stats.js'
import type { ParkedEnvelope, PublicKeyDirectory } from './public-key-directory.js'
import type { SignedEnvelope } from './signed-envelope.js'

export class KeyExchange {
  readonly directory: PublicKeyDirectory
  readonly #encoder: FrameEncoder
  readonly #counters: IngestCounters
  readonly #stats: GossipStats

  constructor(
    directory: PublicKeyDirectory,
    encoder: FrameEncoder,
    counters: IngestCounters,
    stats: GossipStats,
  ) {
    this.directory = directory
    this.#encoder = encoder
    this.#counters = counters
    this.#stats = stats
  }

  /**
   * The key to verify `envelope` with: cached, or attached and hash-checked (then cached).
   * Undefined when there is none: the envelope is dropped (attached key not the origin's) or
   * parked, with how it arrived (`from`, `hops`, the frame's forward-only flag), while its key is
   * requested from `from`.
   */
  keyFor(
    output: PubsubOutput,
    from: PeerId,
    hops: number,
    forwardOnly: boolean,
    envelope: SignedEnvelope,
    attachedKey: Uint8Array | undefined,
    now: number,
  ): Uint8Array | undefined {
    const known = this.directory.get(envelope.origin)
    if (known !== undefined) return known
    if (attachedKey === undefined) {
      const expiresAt = now + this.directory.limits.keyRequestTimeout
      this.#park(output, { from, hops, forwardOnly, envelope, expiresAt }, now)
      return undefined
    }
    if (agentIdFromPublicKey(attachedKey) !== envelope.origin) {
      this.#counters.public_key_mismatch++
      this.#stats.decode_to_delivery_drops++
      return undefined
    }
    const publicKey = attachedKey.slice()
    this.directory.set(envelope.origin, publicKey)
    return publicKey
  }

  /** Answers a neighbour's KEY_REQUEST with the keys this node holds. */
  answerRequest(output: PubsubOutput, from: PeerId, origins: readonly AgentId[]): void {
    const publicKeys: Uint8Array[] = []
    for (const origin of origins) {
      const publicKey = this.directory.get(origin)
      if (publicKey === undefined) continue
      publicKeys.push(publicKey)
      this.directory.markSent(from, origin)
    }
    if (publicKeys.length === 0) return
    this.#counters.key_responses_sent++
    this.#encoder.send(output, from, { type: 'key-response', publicKeys })
  }

  /** Caches each requested key of a KEY_RESPONSE and hands its parked envelopes to `release`. */
  acceptResponse(
    publicKeys: readonly Uint8Array[],
    release: (parked: ParkedEnvelope, publicKey: Uint8Array) => void,
  ): void {
    for (const publicKey of publicKeys) {
      const origin = agentIdFromPublicKey(publicKey)
      if (!this.directory.wasRequested(origin)) {
        this.#counters.unsolicited_keys++
        continue
      }
      const owned = publicKey.slice()
      this.directory.set(origin, owned)
      for (const parked of this.directory.release(origin)) release(parked, owned)
    }
  }

  /** Drops parked envelopes whose key did not come in time; anti-entropy brings them back. */
  expire(now: number): void {
    for (const _ of this.directory.expire(now)) {
      this.#counters.key_unavailable++
      this.#stats.decode_to_delivery_drops++
    }
  }

  #park(output: PubsubOutput, entry: ParkedEnvelope, now: number): void {
    this.#counters.key_parked++
    if (this.directory.park(entry) !== undefined) {
      this.#counters.parked_dropped++
      this.#stats.decode_to_delivery_drops++
    }
    if (!this.directory.shouldRequest(entry.envelope.origin, now)) return
    this.#counters.key_requests_sent++
    this.#encoder.send(output, entry.from, {
      type: 'key-request',
      origins: [entry.envelope.origin],
    })
  }
}
