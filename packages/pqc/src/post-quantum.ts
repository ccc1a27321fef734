// The post-quantum primitives on the default backend (native when available, else noble).
import { defaultPqcBackend } from './create-pqc-backend.js'
import type {
  MlDsa65KeyPair,
  MlKem768Encapsulation,
  MlKem768KeyPair,
  PqcBackend,
} from './pqc-backend.js'

/** A fresh ML-DSA-65 key pair (FIPS 204) from a random 32-byte seed. */
export function generateMlDsa65KeyPair(backend: PqcBackend = defaultPqcBackend()): MlDsa65KeyPair {
  return backend.generateMlDsa65KeyPair()
}

/**
 * The ML-DSA-65 key pair of a 32-byte seed: the same seed gives the same key pair on every backend.
 *
 * @throws InvalidKeyError when the seed is not 32 bytes.
 */
export function mlDsa65KeyPairFromSeed(
  seed: Uint8Array,
  backend: PqcBackend = defaultPqcBackend(),
): MlDsa65KeyPair {
  return backend.mlDsa65KeyPairFromSeed(seed)
}

/**
 * Whether `signature` is a valid ML-DSA-65 signature of `message` under `publicKey` and `context`
 * (FIPS 204 Algorithm 3). A public key or signature of the wrong length gives `false`.
 *
 * @throws InvalidArgumentError when `context` is longer than 255 bytes (a local mistake).
 */
export function verifyMlDsa65(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  context?: Uint8Array,
): boolean {
  return defaultPqcBackend().verifyMlDsa65(publicKey, message, signature, context)
}

/** A fresh ML-KEM-768 key pair (FIPS 203) from a random 64-byte seed. */
export function generateMlKem768KeyPair(
  backend: PqcBackend = defaultPqcBackend(),
): MlKem768KeyPair {
  return backend.generateMlKem768KeyPair()
}

/**
 * The ML-KEM-768 key pair of a 64-byte seed `d ‖ z`, the same on every backend.
 *
 * @throws InvalidKeyError when the seed is not 64 bytes.
 */
export function mlKem768KeyPairFromSeed(
  seed: Uint8Array,
  backend: PqcBackend = defaultPqcBackend(),
): MlKem768KeyPair {
  return backend.mlKem768KeyPairFromSeed(seed)
}

/**
 * A fresh shared secret and the ciphertext that carries it to the owner of `publicKey`.
 *
 * @throws InvalidKeyError when the public key has the wrong length or fails the FIPS 203 §7.2
 *   modulus check.
 */
export function encapsulateMlKem768(
  publicKey: Uint8Array,
  backend: PqcBackend = defaultPqcBackend(),
): MlKem768Encapsulation {
  return backend.encapsulateMlKem768(publicKey)
}
