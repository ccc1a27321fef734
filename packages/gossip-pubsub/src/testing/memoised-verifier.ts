// A verification cache for large simulations (PERF.md B3/B4). In a broadcast every node verifies
// the very same signed bytes, so a 10,000-node run would spend ~10,000 ML-DSA-65 verifications
// (~4 s of one core here) per broadcast measuring nothing the tree protocol does. Wrapping the
// backend with this verifier verifies each distinct (key, message, signature, context) once and
// answers the repeats from memory. Per-node verification cost is measured separately (B2), and
// results produced with it must say so (`verification: "memoised"`). Never use it in a node.
import { hash } from 'node:crypto'
import type { PqcBackend } from '@x0x/pqc'

/** Options of `createMemoisedVerifier`. */
export interface MemoisedVerifierInit {
  /** Distinct signed messages remembered; the oldest is forgotten past it. Default 4,096. */
  readonly maxEntries?: number
}

/** A backend whose `verifyMlDsa65` answers repeats of one verification from memory. */
export interface MemoisedVerifier extends PqcBackend {
  /** Verifications answered from memory. */
  readonly hits: number
  /** Verifications computed by the wrapped backend. */
  readonly misses: number
}

interface Verified {
  readonly publicKey: Uint8Array
  readonly signature: Uint8Array
  readonly context: Uint8Array | undefined
  readonly valid: boolean
}

const sameBytes = (left: Uint8Array | undefined, right: Uint8Array | undefined): boolean =>
  left === right || (left !== undefined && right !== undefined && Buffer.compare(left, right) === 0)

/**
 * Wraps `backend`: a verification is looked up by the SHA-256 of the signed message and reused
 * only when the public key, signature and context are byte-for-byte the ones verified, so a
 * forged or tampered copy is still verified (and rejected) on its own.
 */
export function createMemoisedVerifier(
  backend: PqcBackend,
  init: MemoisedVerifierInit = {},
): MemoisedVerifier {
  const maxEntries = init.maxEntries ?? 4_096
  const verified = new Map<string, Verified>()
  const counts = { hits: 0, misses: 0 }
  return {
    name: backend.name,
    get hits() {
      return counts.hits
    },
    get misses() {
      return counts.misses
    },
    generateMlDsa65KeyPair: () => backend.generateMlDsa65KeyPair(),
    mlDsa65KeyPairFromSeed: (seed) => backend.mlDsa65KeyPairFromSeed(seed),
    generateMlKem768KeyPair: () => backend.generateMlKem768KeyPair(),
    mlKem768KeyPairFromSeed: (seed) => backend.mlKem768KeyPairFromSeed(seed),
    encapsulateMlKem768: (publicKey) => backend.encapsulateMlKem768(publicKey),
    verifyMlDsa65(publicKey, message, signature, context) {
      const key = hash('sha256', message, 'base64')
      const entry = verified.get(key)
      if (
        entry !== undefined &&
        sameBytes(entry.signature, signature) &&
        sameBytes(entry.publicKey, publicKey) &&
        sameBytes(entry.context, context)
      ) {
        counts.hits++
        return entry.valid
      }
      counts.misses++
      const valid = backend.verifyMlDsa65(publicKey, message, signature, context)
      verified.delete(key)
      if (verified.size >= maxEntries) {
        const oldest = verified.keys().next()
        if (oldest.done !== true) verified.delete(oldest.value)
      }
      // Copies: the caller's views may share a frame buffer that it reuses or keeps alive.
      verified.set(key, {
        publicKey: publicKey.slice(),
        signature: signature.slice(),
        context: context?.slice(),
        valid,
      })
      return valid
    },
  }
}
