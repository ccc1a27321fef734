// The pure-JavaScript backend (@noble/post-quantum): runs anywhere, about 8× slower than native.
import { randomBytes } from 'node:crypto'
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js'
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js'
import { InvalidArgumentError } from '@x0x/base'
import {
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
} from './pqc-backend.js'

class NobleMlDsa65KeyPair extends SeededKeyPair implements MlDsa65KeyPair {
  readonly algorithm = 'ML-DSA-65'
  // The expanded FIPS 204 secret key (4032 bytes), derived once from the seed.
  readonly #secretKey: Uint8Array

  constructor(seed: Uint8Array) {
    const { publicKey, secretKey } = ml_dsa65.keygen(seed)
    super(seed, publicKey, 'noble')
    this.#secretKey = secretKey
  }

  sign(message: Uint8Array, context?: Uint8Array): Uint8Array {
    assertContext(context)
    // Hedged signing (FIPS 204 §3.4): noble draws the 32-byte `rnd` itself.
    return context === undefined
      ? ml_dsa65.sign(message, this.#secretKey)
      : ml_dsa65.sign(message, this.#secretKey, { context })
  }
}

class NobleMlKem768KeyPair extends SeededKeyPair implements MlKem768KeyPair {
  readonly algorithm = 'ML-KEM-768'
  // The expanded FIPS 203 decapsulation key (2400 bytes), derived once from the seed.
  readonly #secretKey: Uint8Array

  constructor(seed: Uint8Array) {
    const { publicKey, secretKey } = ml_kem768.keygen(seed)
    super(seed, publicKey, 'noble')
    this.#secretKey = secretKey
  }

  decapsulate(ciphertext: Uint8Array): Uint8Array {
    if (ciphertext.length !== ML_KEM_768_CIPHERTEXT_BYTES) {
      throw new InvalidArgumentError(
        `ML-KEM-768 ciphertext must be ${ML_KEM_768_CIPHERTEXT_BYTES} bytes, got ${ciphertext.length}`,
      )
    }
    return ml_kem768.decapsulate(ciphertext, this.#secretKey)
  }
}

class NoblePqcBackend implements PqcBackend {
  readonly name = 'noble'

  generateMlDsa65KeyPair(): MlDsa65KeyPair {
    return this.mlDsa65KeyPairFromSeed(randomBytes(ML_DSA_65_SEED_BYTES))
  }

  mlDsa65KeyPairFromSeed(seed: Uint8Array): MlDsa65KeyPair {
    assertKeyLength(seed, ML_DSA_65_SEED_BYTES, 'ML-DSA-65 seed')
    return new NobleMlDsa65KeyPair(seed)
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
    try {
      return context === undefined
        ? ml_dsa65.verify(signature, message, publicKey)
        : ml_dsa65.verify(signature, message, publicKey, { context })
    } catch {
      return false
    }
  }

  generateMlKem768KeyPair(): MlKem768KeyPair {
    return this.mlKem768KeyPairFromSeed(randomBytes(ML_KEM_768_SEED_BYTES))
  }

  mlKem768KeyPairFromSeed(seed: Uint8Array): MlKem768KeyPair {
    assertKeyLength(seed, ML_KEM_768_SEED_BYTES, 'ML-KEM-768 seed')
    return new NobleMlKem768KeyPair(seed)
  }

  encapsulateMlKem768(publicKey: Uint8Array): MlKem768Encapsulation {
    assertKeyLength(publicKey, ML_KEM_768_PUBLIC_KEY_BYTES, 'ML-KEM-768 public key')
    let result: { cipherText: Uint8Array; sharedSecret: Uint8Array }
    try {
      result = ml_kem768.encapsulate(publicKey)
    } catch (error) {
      // FIPS 203 §7.2 modulus check: coefficients must be below q.
      throw new InvalidKeyError('ML-KEM-768 public key is not a valid encoding', { cause: error })
    }
    return { ciphertext: result.cipherText, sharedSecret: result.sharedSecret }
  }
}

/** The @noble/post-quantum backend. */
export function createNobleBackend(): PqcBackend {
  return new NoblePqcBackend()
}
