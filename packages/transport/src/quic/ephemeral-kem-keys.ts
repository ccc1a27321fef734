import { generateMlKem768KeyPair, type MlKem768KeyPair } from '@x0x/pqc'

/**
 * The dialler's ephemeral ML-KEM-768 key pairs (transport.md §2), one made ahead of the next
 * dial so that key generation is off the connect path. Each pair serves one connection only
 * (forward secrecy): `take()` hands it over and forgets it. At most one spare is held.
 */
export class EphemeralKemKeys {
  #spare: MlKem768KeyPair | undefined
  #refill: NodeJS.Immediate | undefined
  #stopped = false

  /** A key pair no connection has used; a new spare is made after the current turn. */
  take(): MlKem768KeyPair {
    const pair = this.#spare ?? generateMlKem768KeyPair()
    this.#spare = undefined
    this.prepare()
    return pair
  }

  /** Makes the spare soon, if there is none (after the current turn of the event loop). */
  prepare(): void {
    if (this.#stopped || this.#spare !== undefined || this.#refill !== undefined) return
    this.#refill = setImmediate(() => {
      this.#refill = undefined
      if (!this.#stopped) this.#spare ??= generateMlKem768KeyPair()
    }).unref()
  }

  /** Drops the spare and makes no more. */
  stop(): void {
    this.#stopped = true
    if (this.#refill !== undefined) clearImmediate(this.#refill)
    this.#refill = undefined
    this.#spare = undefined
  }

  /** Whether a spare is ready (for tests). */
  get ready(): boolean {
    return this.#spare !== undefined
  }
}
