// Known-answer tests for ML-DSA-65 and ML-KEM-768.
//
// Where the vectors come from: NIST's ACVP files cannot be fetched on this network, so the pinned
// digests below were computed once with @noble/post-quantum 0.7.1 (from the fixed seeds and
// inputs shown) and are cross-checked here against OpenSSL 3.5 through node:crypto, an
// independent implementation: both must derive the same public keys from the same seeds, the
// native backend must accept noble's deterministic signatures and must decapsulate noble's
// fixed-randomness ciphertext to the pinned secret. A wrong implementation on either side fails.
import { createHash } from 'node:crypto'
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js'
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js'
import { describe, expect, it } from 'vitest'
import { agentIdFromPublicKey } from '../src/ids.js'
import { backends, encoder, hex, native, sequence } from './fixtures.js'

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

const DSA_SEED = sequence(32) // 00 01 02 … 1f
const DSA_PUBLIC_KEY_SHA256 = 'd666806e11cee19a7c989f7445f90dd419cf4d2d51db8c0fdb4c0f0a542238c9'
const MESSAGE = encoder.encode('x0x known-answer test message')
const CONTEXT = encoder.encode('x0x/known-answer/v1')
// FIPS 204 deterministic variant (rnd = 0^32), pure ML-DSA, empty and non-empty context.
const SIGNATURE_SHA256 = '2d8c4d5566eceeb68f206a8e7ef80573cec0b77b3e093b896d9284847137d8f3'
const SIGNATURE_WITH_CONTEXT_SHA256 =
  '23f2a7f5e465bbb75204f4e96255343e52b8210d63d571cf6e82bfafd4a8edc8'
const AGENT_ID = '654980fe02a7b4e55168e5f4650ecb1c073d4b26acfff790f111313f4a217de7'

const KEM_SEED = sequence(64, 0x40) // d ‖ z = 40 41 … 7f
const KEM_PUBLIC_KEY_SHA256 = '9af96e00098351ae9c790abe15d80d96e294dbca80f99039d9320f3152e5cdbf'
const KEM_MESSAGE = new Uint8Array(32).fill(0xa5) // encapsulation randomness m
const KEM_CIPHERTEXT_SHA256 = 'a94a81d7f72bb30188294c54ec5c7d86c66a66f112c91b2ea0e44eb773f5b434'
const KEM_SHARED_SECRET = '589773fa5dc34c8026764811734dc4b0de4e96204a44ff16c23190280cc477fd'

describe('ML-DSA-65 known answers', () => {
  it.each(backends)('$name derives the pinned public key from the fixed seed', (backend) => {
    const keyPair = backend.mlDsa65KeyPairFromSeed(DSA_SEED)
    expect(sha256Hex(keyPair.publicKey)).toBe(DSA_PUBLIC_KEY_SHA256)
  })

  it('deterministic signatures match the pinned digests and verify natively', () => {
    const { secretKey, publicKey } = ml_dsa65.keygen(DSA_SEED)
    const plain = ml_dsa65.sign(MESSAGE, secretKey, { extraEntropy: false })
    const withContext = ml_dsa65.sign(MESSAGE, secretKey, { extraEntropy: false, context: CONTEXT })
    expect(sha256Hex(plain)).toBe(SIGNATURE_SHA256)
    expect(sha256Hex(withContext)).toBe(SIGNATURE_WITH_CONTEXT_SHA256)
    expect(native.verifyMlDsa65(publicKey, MESSAGE, plain)).toBe(true)
    expect(native.verifyMlDsa65(publicKey, MESSAGE, withContext, CONTEXT)).toBe(true)
    expect(native.verifyMlDsa65(publicKey, MESSAGE, withContext)).toBe(false)
  })

  it('the agent id of the fixed key is the pinned id', () => {
    const keyPair = native.mlDsa65KeyPairFromSeed(DSA_SEED)
    expect(agentIdFromPublicKey(keyPair.publicKey)).toBe(AGENT_ID)
  })
})

describe('ML-KEM-768 known answers', () => {
  it.each(backends)('$name derives the pinned public key from the fixed seed', (backend) => {
    const keyPair = backend.mlKem768KeyPairFromSeed(KEM_SEED)
    expect(sha256Hex(keyPair.publicKey)).toBe(KEM_PUBLIC_KEY_SHA256)
  })

  it.each(backends)('$name decapsulates the fixed-randomness ciphertext', (backend) => {
    const { publicKey } = ml_kem768.keygen(KEM_SEED)
    const { cipherText, sharedSecret } = ml_kem768.encapsulate(publicKey, KEM_MESSAGE)
    expect(sha256Hex(cipherText)).toBe(KEM_CIPHERTEXT_SHA256)
    expect(hex(sharedSecret)).toBe(KEM_SHARED_SECRET)
    const keyPair = backend.mlKem768KeyPairFromSeed(KEM_SEED)
    expect(hex(keyPair.decapsulate(cipherText))).toBe(KEM_SHARED_SECRET)
  })
})
