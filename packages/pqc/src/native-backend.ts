// The `node:crypto` backend (OpenSSL 3.5 in Node 24): ML-DSA-65 and ML-KEM-768 in native code.
import {
  createPrivateKey,
  createPublicKey,
  decapsulate,
  encapsulate,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto'
import { InvalidArgumentError, LruCache } from '@x0x/base'
import { bufferView, ownedBytes } from './bytes.js'
import {
  DEFAULT_PUBLIC_KEY_CACHE_SIZE,
  ML_DSA_65_PUBLIC_KEY_BYTES,
  ML_DSA_65_SEED_BYTES,
  ML_DSA_65_SIGNATURE_BYTES,
  ML_KEM_768_CIPHERTEXT_BYTES,
  ML_KEM_768_PUBLIC_KEY_BYTES,
  ML_KEM_768_SEED_BYTES,
} from './constants.js'
import { InvalidKeyError } from './errors.js'
import { SeededKeyPair, assertContext, assertKeyLength } from './key-material.js'
import type {
  MlDsa65KeyPair,
  MlKem768Encapsulation,
  MlKem768KeyPair,
  PqcBackend,
  PqcBackendInit,
} from './pqc-backend.js'

type NativeKeyType = 'ml-dsa-65' | 'ml-kem-768'

// Keys cross the native boundary in their FIPS encodings through Node's raw key formats:
// `raw-seed` is ξ (FIPS 204) or d ‖ z (FIPS 203), `raw-public` the standard public key.

/** Imports a seed as a native private key; OpenSSL runs the FIPS key generation from it. */
function privateKeyFromSeed(keyType: NativeKeyType, seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: bufferView(seed), format: 'raw-seed', asymmetricKeyType: keyType })
}

interface NativeKey {
  readonly seed: Uint8Array
  readonly privateKey: KeyObject
  readonly publicKey: Uint8Array
}

/** A fresh native key (OpenSSL's FIPS key generation and DRBG) with its seed. */
function generateKey(keyType: NativeKeyType): NativeKey {
  const { privateKey, publicKey } =
    keyType === 'ml-dsa-65' ? generateKeyPairSync(keyType) : generateKeyPairSync(keyType)
  return {
    seed: ownedBytes(privateKey.export({ format: 'raw-seed' })),
    privateKey,
    publicKey: ownedBytes(publicKey.export({ format: 'raw-public' })),
  }
}

/** The native key of a seed; OpenSSL runs the FIPS key generation from it. */
function keyFromSeed(keyType: NativeKeyType, seed: Uint8Array): NativeKey {
  const privateKey = privateKeyFromSeed(keyType, seed)
  const publicKey = ownedBytes(createPublicKey(privateKey).export({ format: 'raw-public' }))
  return { seed, privateKey, publicKey }
}

class NativeMlDsa65KeyPair extends SeededKeyPair implements MlDsa65KeyPair {
  readonly algorithm = 'ML-DSA-65'
  readonly #privateKey: KeyObject

  constructor(key: NativeKey) {
    super(key.seed, key.publicKey, 'native')
    this.#privateKey = key.privateKey
  }

  sign(message: Uint8Array, context?: Uint8Array): Uint8Array {
    assertContext(context)
    const key = context === undefined ? this.#privateKey : { key: this.#privateKey, context }
    return ownedBytes(sign(null, message, key))
  }
}

class NativeMlKem768KeyPair extends SeededKeyPair implements MlKem768KeyPair {
  readonly algorithm = 'ML-KEM-768'
  readonly #privateKey: KeyObject

  constructor(key: NativeKey) {
    super(key.seed, key.publicKey, 'native')
    this.#privateKey = key.privateKey
  }

  decapsulate(ciphertext: Uint8Array): Uint8Array {
    if (ciphertext.length !== ML_KEM_768_CIPHERTEXT_BYTES) {
      throw new InvalidArgumentError(
        `ML-KEM-768 ciphertext must be ${ML_KEM_768_CIPHERTEXT_BYTES} bytes, got ${ciphertext.length}`,
      )
    }
    return ownedBytes(decapsulate(this.#privateKey, ciphertext))
  }
}

interface CachedPublicKey {
  readonly publicKey: Uint8Array
  readonly key: KeyObject
}

type PublicKeyCache = LruCache<number, CachedPublicKey>

class NativePqcBackend implements PqcBackend {
  readonly name = 'native'
  // Parsing a public key costs a sizeable fraction of a verification: peers' keys stay parsed.
  // Policy when full: the least recently used key is dropped (and parsed again if it returns).
  readonly #signingKeys: PublicKeyCache | undefined
  readonly #kemKeys: PublicKeyCache | undefined

  constructor(init: PqcBackendInit) {
    const capacity = init.publicKeyCacheSize ?? DEFAULT_PUBLIC_KEY_CACHE_SIZE
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new InvalidArgumentError(
        `publicKeyCacheSize must be a non-negative integer, got ${capacity}`,
      )
    }
    this.#signingKeys = capacity === 0 ? undefined : new LruCache({ capacity })
    this.#kemKeys = capacity === 0 ? undefined : new LruCache({ capacity })
  }

  generateMlDsa65KeyPair(): MlDsa65KeyPair {
    const key = generateKey('ml-dsa-65')
    try {
      return new NativeMlDsa65KeyPair(key)
    } finally {
      key.seed.fill(0)
    }
  }

  mlDsa65KeyPairFromSeed(seed: Uint8Array): MlDsa65KeyPair {
    assertKeyLength(seed, ML_DSA_65_SEED_BYTES, 'ML-DSA-65 seed')
    return new NativeMlDsa65KeyPair(keyFromSeed('ml-dsa-65', seed))
  }

  verifyMlDsa65(
    publicKey: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
    context?: Uint8Array,
  ): boolean {
    assertContext(context)
    if (publicKey.length !== ML_DSA_65_PUBLIC_KEY_BYTES) return false
    if (signature.length !== ML_DSA_65_SIGNATURE_BYTES) return false
    // Node recognises `{ key, context }` only after probing it as a KeyObject and as a CryptoKey,
    // each probe throwing and catching an internal error. Capturing their stack traces cost
    // ~2 × 25 µs per call here (~10% of a verification, more in deeper call stacks); no error
    // escapes this method, so none needs a stack. Synchronous: nothing else runs before the reset.
    const stackTraceLimit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    try {
      const key = this.#publicKey(this.#signingKeys, 'ml-dsa-65', publicKey)
      return verify(null, message, context === undefined ? key : { key, context }, signature)
    } catch {
      return false
    } finally {
      Error.stackTraceLimit = stackTraceLimit
    }
  }

  generateMlKem768KeyPair(): MlKem768KeyPair {
    const key = generateKey('ml-kem-768')
    try {
      return new NativeMlKem768KeyPair(key)
    } finally {
      key.seed.fill(0)
    }
  }

  mlKem768KeyPairFromSeed(seed: Uint8Array): MlKem768KeyPair {
    assertKeyLength(seed, ML_KEM_768_SEED_BYTES, 'ML-KEM-768 seed')
    return new NativeMlKem768KeyPair(keyFromSeed('ml-kem-768', seed))
  }

  encapsulateMlKem768(publicKey: Uint8Array): MlKem768Encapsulation {
    assertKeyLength(publicKey, ML_KEM_768_PUBLIC_KEY_BYTES, 'ML-KEM-768 public key')
    let key: KeyObject
    try {
      key = this.#publicKey(this.#kemKeys, 'ml-kem-768', publicKey)
    } catch (error) {
      // FIPS 203 §7.2 modulus check: coefficients must be below q.
      throw new InvalidKeyError('ML-KEM-768 public key is not a valid encoding', { cause: error })
    }
    const { sharedKey, ciphertext } = encapsulate(key)
    return { ciphertext: ownedBytes(ciphertext), sharedSecret: ownedBytes(sharedKey) }
  }

  #publicKey(
    cache: PublicKeyCache | undefined,
    keyType: NativeKeyType,
    publicKey: Uint8Array,
  ): KeyObject {
    const view = bufferView(publicKey)
    // Slot: 48 bits of the key (ML-DSA's ρ; ML-KEM's t̂ encoding), pseudorandom for honest keys.
    // A hit still compares all bytes, so a crafted collision only evicts, never substitutes.
    const slot = view.readUIntLE(0, 6)
    const cached = cache?.get(slot)
    if (cached !== undefined && view.equals(cached.publicKey)) return cached.key
    const key = createPublicKey({ key: view, format: 'raw-public', asymmetricKeyType: keyType })
    cache?.set(slot, { publicKey: new Uint8Array(publicKey), key })
    return key
  }
}

/** Whether this Node's `node:crypto` has ML-DSA-65 and ML-KEM-768 with raw key formats (Node 24). */
export function isNativePqcSupported(): boolean {
  try {
    privateKeyFromSeed('ml-dsa-65', new Uint8Array(ML_DSA_65_SEED_BYTES))
    privateKeyFromSeed('ml-kem-768', new Uint8Array(ML_KEM_768_SEED_BYTES))
    return true
  } catch {
    return false
  }
}

/** The `node:crypto` backend. Call only where `isNativePqcSupported()` holds. */
export function createNativeBackend(init: PqcBackendInit): PqcBackend {
  return new NativePqcBackend(init)
}
