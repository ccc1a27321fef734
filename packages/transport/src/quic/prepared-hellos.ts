import type { MlDsa65KeyPair } from '@x0x/pqc'
import { prepareHello, type PreparedHello } from './pq-session.js'
import type { PeerBounds } from './session-handshake.js'

/**
 * The dialler's signed HELLOs (transport.md §2), one made ahead of the next dial so that neither
 * the ephemeral ML-KEM-768 key generation nor the ML-DSA-65 signature is on the connect path.
 * Each serves one connection only (forward secrecy): `take()` hands it over and forgets it. At
 * most one spare is held; the dialler asks for the next with `prepare()` once its handshake is
 * over, so that making it does not compete with the handshake in progress.
 */
export class PreparedHellos {
  readonly #machineKey: MlDsa65KeyPair
  readonly #bounds: PeerBounds
  #spare: PreparedHello | undefined
  #refill: NodeJS.Immediate | undefined
  #stopped = false

  constructor(machineKey: MlDsa65KeyPair, bounds: PeerBounds) {
    this.#machineKey = machineKey
    this.#bounds = bounds
  }

  /** A HELLO no connection has used: the spare, or one made now. */
  take(): PreparedHello {
    const prepared = this.#spare ?? prepareHello(this.#machineKey, this.#bounds)
    this.#spare = undefined
    return prepared
  }

  /** Makes the spare soon, if there is none (after the current turn of the event loop). */
  prepare(): void {
    if (this.#stopped || this.#spare !== undefined || this.#refill !== undefined) return
    this.#refill = setImmediate(() => {
      this.#refill = undefined
      if (!this.#stopped) this.#spare ??= prepareHello(this.#machineKey, this.#bounds)
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
