import type { AgentId, MlDsa65KeyPair } from '@x0x/pqc'
import {
  encodeTopic,
  signEnvelope,
  type ResolvedEnvelopeLimits,
  type SignedEnvelope,
} from './signed-envelope.js'

/**
 * Signs local messages. Sequences are contiguous per (topic, epoch) from 1, so anti-entropy can
 * describe a stream by two numbers; the epoch (default: the time of the first publish) keeps a
 * restarted publisher from reusing a sequence. Holds one counter per topic published (local
 * input, not remote, so it is bounded by what the application does).
 */
export class Publisher {
  readonly origin: AgentId
  readonly #signer: MlDsa65KeyPair
  readonly #limits: ResolvedEnvelopeLimits
  readonly #nextSequence = new Map<string, number>()
  #epoch: number | undefined

  constructor(
    signer: MlDsa65KeyPair,
    origin: AgentId,
    limits: ResolvedEnvelopeLimits,
    epoch?: number,
  ) {
    this.#signer = signer
    this.origin = origin
    this.#limits = limits
    this.#epoch = epoch
  }

  /** Envelopes for `payloads`, as few as `maxBatchMessages` allows, each under one signature. */
  sign(topic: string, payloads: readonly Uint8Array[], now: number): SignedEnvelope[] {
    encodeTopic(topic, this.#limits.maxTopicBytes)
    const epoch = (this.#epoch ??= now)
    const envelopes: SignedEnvelope[] = []
    for (let start = 0; start < payloads.length; start += this.#limits.maxBatchMessages) {
      const batch = payloads.slice(start, start + this.#limits.maxBatchMessages)
      const firstSequence = this.#nextSequence.get(topic) ?? 1
      const content = {
        origin: this.origin,
        topic,
        epoch,
        firstSequence,
        timestamp: now,
        payloads: batch,
      }
      envelopes.push(signEnvelope(content, this.#signer, this.#limits))
      this.#nextSequence.set(topic, firstSequence + batch.length)
    }
    return envelopes
  }
}
