// Opt-in asynchronous verification for `MessageIngest` (docs/protocols/pubsub.md "Verification
// workers"): envelopes verify on a `VerifyPool` and their outcome is applied later, inside the
// owner's `complete` callback, with a fresh output and the owner's clock. Bounded: at most
// `maxInFlight` envelopes verify at once; past it `submit` refuses and the caller verifies on its
// own thread (back-pressure on the reader). Copies of an envelope in flight with the very same
// signature bytes wait for its outcome instead of verifying again; a copy with other signature
// bytes (a re-signature, or a forgery of the body) verifies on its own, so a forgery in flight
// can never hold back or suppress the real message. A pool failure (full, crashed, closed) falls
// back to verifying on the caller's thread: nothing is dropped for it, and a verification the
// pool has not answered within `ASYNC_VERIFICATION_TIMEOUT_MS` (a hung worker) falls back too.
// Waiting copies are remembered once per neighbour: a neighbour repeating a copy while it
// verifies cannot grow the list.
import { equalBytes } from '@x0x/base'
import { DEFAULT_MAX_ASYNC_VERIFICATIONS, DEFAULT_MAX_NEIGHBOURS } from './constants.js'
import type { PeerId } from './plumtree-state.js'
import type { PubsubOutput } from './pubsub-output.js'
import { PUBSUB_SIGNING_CONTEXT, type MessageId, type SignedEnvelope } from './signed-envelope.js'
import type { VerifyPool } from './verify-pool.js'

/** How long a verification may wait on the pool before the caller verifies it itself. */
export const ASYNC_VERIFICATION_TIMEOUT_MS = 5_000

/** Options of the asynchronous verification path of `MessageIngest`. */
export interface AsyncVerificationInit {
  /** Where signatures verify (a `createVerifyPool`). */
  readonly pool: Pick<VerifyPool, 'verify'>
  /**
   * Called once per finished verification: the owner runs `finish` with a fresh output and the
   * current time, then sends and delivers that output, as it does with `receive`'s.
   */
  readonly complete: (finish: (output: PubsubOutput, now: number) => void) => void
  /** Envelopes verifying at once. Default `DEFAULT_MAX_ASYNC_VERIFICATIONS` (1,024). */
  readonly maxInFlight?: number
}

/** A copy of an in-flight envelope that arrived while it was verifying. */
export interface WaitingCopy {
  readonly from: PeerId
  readonly hops: number
  /** Its frame's forward-only flag: its duplicate must not PRUNE the link. */
  readonly forwardOnly: boolean
}

/** One envelope (one exact signature) verifying on the pool. */
export interface PendingVerification {
  readonly envelope: SignedEnvelope
  /** The origin's key it verifies under (kept: the directory may evict it meanwhile). */
  readonly publicKey: Uint8Array
  readonly from: PeerId
  readonly hops: number
  /** The frame's forward-only flag, handed to the sink with the outcome. */
  readonly forwardOnly: boolean
  readonly waiting: WaitingCopy[]
}

/** Applies an outcome: `valid` undefined when the pool failed and the caller must verify. */
export type FinishVerification = (
  output: PubsubOutput,
  pending: PendingVerification,
  valid: boolean | undefined,
  now: number,
) => void

export class AsyncVerification {
  readonly #init: AsyncVerificationInit
  readonly #maxInFlight: number
  readonly #finish: FinishVerification
  /** By message id, one entry per distinct signature in flight. */
  readonly #inFlight = new Map<MessageId, PendingVerification[]>()
  #size = 0

  constructor(init: AsyncVerificationInit, finish: FinishVerification) {
    this.#init = init
    this.#maxInFlight = init.maxInFlight ?? DEFAULT_MAX_ASYNC_VERIFICATIONS
    this.#finish = finish
  }

  /** Envelopes verifying now. */
  get size(): number {
    return this.#size
  }

  /**
   * Whether a copy with the same id and the same signature bytes is verifying; if so this copy
   * waits for its outcome (reported as a duplicate once the envelope is accepted).
   */
  join(envelope: SignedEnvelope, from: PeerId, hops: number, forwardOnly: boolean): boolean {
    const pending = this.#inFlight
      .get(envelope.id)
      ?.find((entry) => equalBytes(entry.envelope.signature, envelope.signature))
    if (pending === undefined) return false
    // One copy per neighbour decides that link's duplicate handling; further ones add nothing.
    const known = pending.from === from || pending.waiting.some((copy) => copy.from === from)
    if (!known && pending.waiting.length < DEFAULT_MAX_NEIGHBOURS)
      pending.waiting.push({ from, hops, forwardOnly })
    return true
  }

  /** Starts verifying `envelope`; false when `maxInFlight` are verifying (verify it yourself). */
  submit(
    envelope: SignedEnvelope,
    publicKey: Uint8Array,
    from: PeerId,
    hops: number,
    forwardOnly: boolean,
  ): boolean {
    if (this.#size >= this.#maxInFlight) return false
    const pending: PendingVerification = {
      envelope,
      publicKey,
      from,
      hops,
      forwardOnly,
      waiting: [],
    }
    const entries = this.#inFlight.get(envelope.id)
    if (entries === undefined) this.#inFlight.set(envelope.id, [pending])
    else entries.push(pending)
    this.#size++
    const job = {
      publicKey,
      message: envelope.signedBody,
      signature: envelope.signature,
      context: PUBSUB_SIGNING_CONTEXT,
    }
    const settle = (valid: boolean | undefined): void => {
      this.#init.complete((output, now) => {
        this.#remove(pending)
        this.#finish(output, pending, valid, now)
      })
    }
    this.#init.pool
      .verify(job, { signal: AbortSignal.timeout(ASYNC_VERIFICATION_TIMEOUT_MS) })
      .then(settle, () => {
        settle(undefined)
      })
    return true
  }

  #remove(pending: PendingVerification): void {
    const { id } = pending.envelope
    const entries = this.#inFlight.get(id)
    if (entries === undefined) return
    const remaining = entries.filter((entry) => entry !== pending)
    if (remaining.length === 0) this.#inFlight.delete(id)
    else this.#inFlight.set(id, remaining)
    this.#size--
  }
}
