// The ingest pipeline of a MESSAGE frame (docs/protocols/pubsub.md "Ingest"): drop duplicates on
// the signature challenge, then on the hash of the signed body, before anything else is spent;
// drop exact repeats of a known forgery; decode the envelope with limits; find the origin's key;
// verify once. Security invariant: only an envelope that verified reaches `accept` (and so the
// seen set, the cache, the tree and subscribers); a forged copy of a real body is remembered only
// by (id, signature), so it can never make the real message look seen.
import { DecodeError, equalBytes } from '@x0x/base'
import type { PqcBackend } from '@x0x/pqc'
import {
  AsyncVerification,
  type AsyncVerificationInit,
  type PendingVerification,
} from './async-verification.js'
import { DuplicateFilter } from './duplicate-filter.js'
import type { KeyExchange } from './key-exchange.js'
import type { PeerId } from './plumtree-state.js'
import type { PubsubOutput } from './pubsub-output.js'
import type { PubsubFrame, ResolvedFrameLimits } from './pubsub-frame.js'
import type { GossipStats, IngestCounters } from './pubsub-stats.js'
import {
  decodeEnvelope,
  messageIdOf,
  signedBodyOf,
  verifyEnvelope,
  type MessageId,
  type SignedEnvelope,
} from './signed-envelope.js'

/** What ingest takes of a MESSAGE frame (a decoded `message` frame is one). */
export type IncomingMessage = Omit<Extract<PubsubFrame, { type: 'message' }>, 'type'>

/**
 * Where ingest hands what it found: the node's seen set and tree. `forwardOnly` is the flag of
 * the frame the copy came in (docs/protocols/pubsub.md "Interest-scoped trees"), kept while the
 * envelope waits for its origin's key or its verification.
 */
export interface IngestSink {
  isSeen(id: MessageId, now: number): boolean
  /** A copy of a message already seen (Plumtree answers it with PRUNE unless forward-only). */
  duplicate(
    output: PubsubOutput,
    from: PeerId,
    hops: number,
    forwardOnly: boolean,
    id: MessageId,
    now: number,
  ): void
  /** A verified envelope seen for the first time, already remembered by ingest. */
  accept(
    output: PubsubOutput,
    from: PeerId,
    hops: number,
    forwardOnly: boolean,
    envelope: SignedEnvelope,
    now: number,
  ): void
}

/** What `MessageIngest` needs. */
export interface MessageIngestOptions {
  readonly backend: PqcBackend
  readonly limits: ResolvedFrameLimits
  readonly keys: KeyExchange
  readonly sink: IngestSink
  readonly counters: IngestCounters
  readonly stats: GossipStats
  /** Fingerprints of verified envelopes remembered (as many as seen ids). */
  readonly maxSeenMessages: number
  /** Ids of envelopes that failed verification, remembered with their signatures. */
  readonly maxRejectedEnvelopes: number
  /** Opt-in: verify fresh envelopes on a worker pool, applying each outcome later. Default: off. */
  readonly asyncVerification?: AsyncVerificationInit
}

export class MessageIngest {
  readonly #options: MessageIngestOptions
  readonly #duplicates: DuplicateFilter
  /** Signatures of envelopes that failed verification, by id; oldest forgotten first. */
  readonly #rejected = new Map<MessageId, Uint8Array>()
  readonly #async: AsyncVerification | undefined

  constructor(options: MessageIngestOptions) {
    this.#options = options
    this.#duplicates = new DuplicateFilter(options.maxSeenMessages)
    this.#async =
      options.asyncVerification === undefined
        ? undefined
        : new AsyncVerification(options.asyncVerification, (output, pending, valid, now) => {
            this.#finishAsync(output, pending, valid, now)
          })
  }

  /** Envelopes verifying on the pool right now (0 without `asyncVerification`). */
  get verifying(): number {
    return this.#async?.size ?? 0
  }

  /** One MESSAGE frame from `from`. */
  ingest(output: PubsubOutput, from: PeerId, message: IncomingMessage, now: number): void {
    const { sink, keys } = this.#options
    const { hops, envelope: bytes } = message
    const forwardOnly = message.forwardOnly === true
    const fingerprint = DuplicateFilter.fingerprintOf(bytes)
    const known = fingerprint === undefined ? undefined : this.#duplicates.get(fingerprint)
    if (known !== undefined && sink.isSeen(known, now)) {
      this.#options.counters.duplicates++
      sink.duplicate(output, from, hops, forwardOnly, known, now)
      return
    }
    const envelope = this.#decode(output, from, hops, forwardOnly, bytes, now)
    if (envelope === undefined) return
    if (this.#async?.join(envelope, from, hops, forwardOnly) === true) return
    const publicKey = keys.keyFor(output, from, hops, forwardOnly, envelope, message.publicKey, now)
    if (publicKey === undefined) return
    if (this.#async?.submit(envelope, publicKey, from, hops, forwardOnly) === true) return
    if (!this.#verify(envelope, publicKey)) return
    this.#duplicates.add(fingerprint, envelope.id)
    sink.accept(output, from, hops, forwardOnly, envelope, now)
  }

  /** A KEY_RESPONSE: verifies the envelopes parked for each requested key. */
  acceptKeys(output: PubsubOutput, publicKeys: readonly Uint8Array[], now: number): void {
    const { keys, sink } = this.#options
    keys.acceptResponse(publicKeys, ({ from, hops, forwardOnly, envelope }, publicKey) => {
      if (sink.isSeen(envelope.id, now) || !this.#verify(envelope, publicKey)) return
      this.remember(envelope)
      sink.accept(output, from, hops, forwardOnly, envelope, now)
    })
  }

  /** Remembers a verified (or locally signed) envelope for the fast duplicate path. */
  remember(envelope: SignedEnvelope): void {
    this.#duplicates.add(DuplicateFilter.fingerprintOf(envelope.bytes), envelope.id)
  }

  /** The envelope, unless it is a duplicate by id, a known forgery or malformed. */
  #decode(
    output: PubsubOutput,
    from: PeerId,
    hops: number,
    forwardOnly: boolean,
    bytes: Uint8Array,
    now: number,
  ): SignedEnvelope | undefined {
    const { sink, counters } = this.#options
    try {
      const id = messageIdOf(signedBodyOf(bytes))
      if (sink.isSeen(id, now)) {
        counters.duplicates++
        sink.duplicate(output, from, hops, forwardOnly, id, now)
        return undefined
      }
      const rejectedSignature = this.#rejected.get(id)
      if (
        rejectedSignature !== undefined &&
        equalBytes(rejectedSignature, bytes.subarray(bytes.length - rejectedSignature.length))
      ) {
        counters.rejected_repeat++
        return undefined
      }
      return decodeEnvelope(bytes, this.#options.limits, id)
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error
      this.#options.stats.incoming_decode_failed++
      return undefined
    }
  }

  /** Verifies on this thread, counting the outcome; a forgery is remembered. */
  #verify(envelope: SignedEnvelope, publicKey: Uint8Array): boolean {
    if (!verifyEnvelope(envelope, publicKey, this.#options.backend)) {
      this.#reject(envelope)
      return false
    }
    this.#options.counters.verified++
    return true
  }

  #reject(envelope: SignedEnvelope): void {
    const { counters, stats, maxRejectedEnvelopes } = this.#options
    counters.signature_failed++
    stats.decode_to_delivery_drops++
    if (this.#rejected.size >= maxRejectedEnvelopes)
      this.#rejected.delete(this.#rejected.keys().next().value as MessageId)
    this.#rejected.set(envelope.id, envelope.signature.slice())
  }

  /**
   * The outcome of a pool verification. Accepted once: a copy verified concurrently under
   * another signature may have been accepted first (then this one is a duplicate). Copies that
   * waited on it carry the same signature bytes, so they share its verdict.
   */
  #finishAsync(
    output: PubsubOutput,
    pending: PendingVerification,
    valid: boolean | undefined,
    now: number,
  ): void {
    const { backend, counters, sink } = this.#options
    const { envelope, publicKey, from, hops, forwardOnly, waiting } = pending
    const verdict = valid ?? verifyEnvelope(envelope, publicKey, backend)
    if (!verdict) {
      this.#reject(envelope)
      counters.rejected_repeat += waiting.length
      return
    }
    counters.verified++
    if (sink.isSeen(envelope.id, now)) {
      counters.duplicates++
      sink.duplicate(output, from, hops, forwardOnly, envelope.id, now)
    } else {
      this.remember(envelope)
      sink.accept(output, from, hops, forwardOnly, envelope, now)
    }
    for (const copy of waiting) {
      counters.duplicates++
      sink.duplicate(output, copy.from, copy.hops, copy.forwardOnly, envelope.id, now)
    }
  }
}
