// The duplicate fast path (PERF.md B2: duplicates ≥ 100,000/s). Hashing the signed body for the
// message id costs more than everything else a duplicate needs, so verified envelopes are also
// remembered by their signature's challenge c̃ (FIPS 204 §5.2: the first λ/4 = 48 bytes of an
// ML-DSA-65 signature, a hash binding the public key and the message), read straight from the
// frame bytes without hashing or copying.
// Security invariant: only verified envelopes enter this filter. A frame whose c̃ matches is
// either a copy of a verified message or a forgery reusing its signature; dropping either as a
// duplicate is safe, and no forged frame can make an unseen message look seen. A frame that
// misses (a re-signature of the same body) falls back to the message id.
import { ML_DSA_65_SIGNATURE_BYTES } from '@x0x/pqc'
import type { MessageId } from './signed-envelope.js'

/** Bytes of the ML-DSA-65 challenge c̃ at the start of a signature (λ = 192, FIPS 204 Table 1). */
const CHALLENGE_BYTES = 48

/** Message ids of verified envelopes by signature challenge; oldest forgotten past `capacity`. */
export class DuplicateFilter {
  readonly #capacity: number
  readonly #ids = new Map<string, MessageId>()

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  /** The challenge of the signature ending `envelope`, as a map key; undefined if too short. */
  static fingerprintOf(envelope: Uint8Array): string | undefined {
    if (envelope.length <= ML_DSA_65_SIGNATURE_BYTES) return undefined
    const start = envelope.byteOffset + envelope.length - ML_DSA_65_SIGNATURE_BYTES
    return Buffer.from(envelope.buffer, start, CHALLENGE_BYTES).toString('latin1')
  }

  /** The id of a verified envelope with this fingerprint, if remembered. */
  get(fingerprint: string): MessageId | undefined {
    return this.#ids.get(fingerprint)
  }

  /** Remembers a verified envelope's fingerprint (`fingerprintOf` its bytes). */
  add(fingerprint: string | undefined, id: MessageId): void {
    if (fingerprint === undefined) return
    if (this.#ids.size >= this.#capacity) {
      const oldest = this.#ids.keys().next()
      if (oldest.done !== true) this.#ids.delete(oldest.value)
    }
    this.#ids.set(fingerprint, id)
  }
}
