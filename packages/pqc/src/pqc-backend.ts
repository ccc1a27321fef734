/** Which implementation performs the post-quantum operations. */
export type PqcBackendName = 'native' | 'noble'

/**
 * An ML-DSA-65 key pair (FIPS 204) held in memory. The private key is the 32-byte seed `ξ`, kept in
 * a private field: it never appears in `util.inspect`, `JSON.stringify` or logs.
 */
export interface MlDsa65KeyPair {
  readonly algorithm: 'ML-DSA-65'
  /** The backend that signs with this key pair. */
  readonly backend: PqcBackendName
  /** The 1952-byte public key. Shared, not copied: treat it as read-only. */
  readonly publicKey: Uint8Array
  /**
   * A hedged (randomised) ML-DSA-65 signature of `message` (FIPS 204 Algorithm 2), 3309 bytes.
   * `context` (at most 255 bytes, default empty) separates protocols: a signature made under one
   * context never verifies under another.
   */
  sign(message: Uint8Array, context?: Uint8Array): Uint8Array
  /** A copy of the 32-byte seed: the whole private key. Write it only to a key file; never log it. */
  exportSeed(): Uint8Array
}

/** An ML-KEM-768 key pair (FIPS 203). The private key is the 64-byte seed `d ‖ z`, kept private. */
export interface MlKem768KeyPair {
  readonly algorithm: 'ML-KEM-768'
  readonly backend: PqcBackendName
  /** The 1184-byte encapsulation key. Shared, not copied: treat it as read-only. */
  readonly publicKey: Uint8Array
  /**
   * The 32-byte shared secret in a 1088-byte `ciphertext` (FIPS 203 Algorithm 18). A ciphertext
   * made for another key yields an unrelated secret (implicit rejection), never an error.
   */
  decapsulate(ciphertext: Uint8Array): Uint8Array
  /** A copy of the 64-byte seed: the whole private key. Never log it. */
  exportSeed(): Uint8Array
}

/** The result of encapsulating to an ML-KEM-768 public key. */
export interface MlKem768Encapsulation {
  /** 1088 bytes to send to the key's owner. */
  readonly ciphertext: Uint8Array
  /** 32 secret bytes; derive keys from it, never use it directly. */
  readonly sharedSecret: Uint8Array
}

/**
 * One implementation of the post-quantum primitives. Both backends use the standard encodings,
 * so keys, signatures and ciphertexts made by one are accepted by the other.
 */
export interface PqcBackend {
  readonly name: PqcBackendName
  /** A fresh ML-DSA-65 key pair from a random seed. */
  generateMlDsa65KeyPair(): MlDsa65KeyPair
  /** The ML-DSA-65 key pair of a 32-byte seed (FIPS 204 `ML-DSA.KeyGen_internal(ξ)`). */
  mlDsa65KeyPairFromSeed(seed: Uint8Array): MlDsa65KeyPair
  /**
   * Whether `signature` is a valid ML-DSA-65 signature of `message` under `publicKey` and
   * `context`. Input from a peer of the wrong length gives `false`, never an exception.
   */
  verifyMlDsa65(
    publicKey: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
    context?: Uint8Array,
  ): boolean
  /** A fresh ML-KEM-768 key pair from a random seed. */
  generateMlKem768KeyPair(): MlKem768KeyPair
  /** The ML-KEM-768 key pair of a 64-byte seed (FIPS 203 `ML-KEM.KeyGen_internal(d, z)`). */
  mlKem768KeyPairFromSeed(seed: Uint8Array): MlKem768KeyPair
  /** A fresh shared secret for the owner of `publicKey` (FIPS 203 Algorithm 17). */
  encapsulateMlKem768(publicKey: Uint8Array): MlKem768Encapsulation
}

/** Options of `createPqcBackend`. */
export interface PqcBackendInit {
  /**
   * How many peers' public keys the native backend keeps as parsed key objects, per algorithm
   * (least recently used evicted first); 0 disables the cache. Default
   * `DEFAULT_PUBLIC_KEY_CACHE_SIZE` (1024). Ignored by the noble backend.
   */
  readonly publicKeyCacheSize?: number
}
