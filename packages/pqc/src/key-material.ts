import { InvalidArgumentError } from '@x0x/base'
import { ML_DSA_65_MAX_CONTEXT_BYTES } from './constants.js'
import { InvalidKeyError } from './errors.js'
import type { PqcBackendName } from './pqc-backend.js'
import { utf8 } from './bytes.js'

/** Throws `InvalidKeyError` unless `bytes` is a `Uint8Array` of exactly `length` bytes. */
export function assertKeyLength(bytes: Uint8Array, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidKeyError(`${what} must be a Uint8Array`)
  }
  if (bytes.length !== length) {
    throw new InvalidKeyError(`${what} must be ${length} bytes, got ${bytes.length}`)
  }
}

/** Throws `InvalidArgumentError` for a context FIPS 204 §5.2 does not allow (over 255 bytes). */
export function assertContext(context: Uint8Array | undefined): void {
  if (context !== undefined && context.length > ML_DSA_65_MAX_CONTEXT_BYTES) {
    throw new InvalidArgumentError(
      `ML-DSA context must be at most ${ML_DSA_65_MAX_CONTEXT_BYTES} bytes, got ${context.length}`,
    )
  }
}

/**
 * The UTF-8 bytes of a protocol label, for use as an ML-DSA-65 signing context (FIPS 204 §5.2).
 * Each protocol that signs should have its own label, so that a signature lifted from one protocol
 * is never accepted by another.
 *
 * @throws InvalidArgumentError when the label is longer than 255 bytes.
 */
export function signingContext(label: string): Uint8Array {
  const bytes = utf8(label)
  assertContext(bytes)
  return bytes
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom')

/**
 * Base of every key pair class: holds the secret seed in a private field and keeps it out of
 * `util.inspect`, `JSON.stringify` and string conversion.
 */
export abstract class SeededKeyPair {
  readonly publicKey: Uint8Array
  readonly backend: PqcBackendName
  readonly #seed: Uint8Array

  constructor(seed: Uint8Array, publicKey: Uint8Array, backend: PqcBackendName) {
    this.#seed = new Uint8Array(seed)
    this.publicKey = publicKey
    this.backend = backend
  }

  abstract readonly algorithm: string

  exportSeed(): Uint8Array {
    return new Uint8Array(this.#seed)
  }

  toJSON(): { algorithm: string; backend: PqcBackendName } {
    return { algorithm: this.algorithm, backend: this.backend }
  }

  toString(): string {
    return `[${this.algorithm} key pair (${this.backend})]`
  }

  [inspectSymbol](): string {
    return this.toString()
  }
}
