import { format, inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { isErrorNamed } from '@x0x/base'
import {
  ML_DSA_65_PUBLIC_KEY_BYTES,
  ML_DSA_65_SIGNATURE_BYTES,
  ML_KEM_768_CIPHERTEXT_BYTES,
  ML_KEM_768_PUBLIC_KEY_BYTES,
} from '../src/constants.js'
import {
  createPqcBackend,
  defaultPqcBackend,
  isNativePqcAvailable,
} from '../src/create-pqc-backend.js'
import { signingContext } from '../src/key-material.js'
import { encoder, flipBit, hex, native, noble, sequence } from './fixtures.js'

const message = encoder.encode('a 1 KiB-ish message for cross-backend checks'.repeat(20))
const context = signingContext('x0x/test/v1')
const otherContext = signingContext('x0x/test/v2')

// One key pair per backend from the same seed: the two must be interchangeable.
const seed = sequence(32, 0x11)
const nativeKeyPair = native.mlDsa65KeyPairFromSeed(seed)
const nobleKeyPair = noble.mlDsa65KeyPairFromSeed(seed)
const pairs = [
  { signer: 'native', verifier: 'noble', keyPair: nativeKeyPair, backend: noble },
  { signer: 'noble', verifier: 'native', keyPair: nobleKeyPair, backend: native },
] as const

describe('backend selection', () => {
  it('defaults to native on Node 24 and exposes both backends', () => {
    expect(isNativePqcAvailable()).toBe(true)
    expect(defaultPqcBackend().name).toBe('native')
    expect(createPqcBackend('noble').name).toBe('noble')
  })

  it('derives the same public key from the same seed on both backends', () => {
    expect(nativeKeyPair.publicKey).toEqual(nobleKeyPair.publicKey)
    expect(nativeKeyPair.publicKey).toHaveLength(ML_DSA_65_PUBLIC_KEY_BYTES)
  })
})

describe('generated keys', () => {
  it.each([native, noble])('$name exports the seed its key pair derives from', (backend) => {
    const signing = backend.generateMlDsa65KeyPair()
    const kem = backend.generateMlKem768KeyPair()
    const other = backend === native ? noble : native
    expect(other.mlDsa65KeyPairFromSeed(signing.exportSeed()).publicKey).toEqual(signing.publicKey)
    expect(other.mlKem768KeyPairFromSeed(kem.exportSeed()).publicKey).toEqual(kem.publicKey)
    expect(hex(backend.generateMlDsa65KeyPair().exportSeed())).not.toBe(hex(signing.exportSeed()))
  })
})

describe('ML-DSA-65 across backends', () => {
  it.each(pairs)('signed by $signer, verified by $verifier', ({ keyPair, backend }) => {
    const signature = keyPair.sign(message)
    expect(signature).toHaveLength(ML_DSA_65_SIGNATURE_BYTES)
    expect(backend.verifyMlDsa65(keyPair.publicKey, message, signature)).toBe(true)
    expect(backend.verifyMlDsa65(keyPair.publicKey, flipBit(message, 3), signature)).toBe(false)
  })

  it.each(pairs)('with a context: signed by $signer, verified by $verifier', (pair) => {
    const signature = pair.keyPair.sign(message, context)
    expect(pair.backend.verifyMlDsa65(pair.keyPair.publicKey, message, signature, context)).toBe(
      true,
    )
    expect(pair.backend.verifyMlDsa65(pair.keyPair.publicKey, message, signature)).toBe(false)
    expect(
      pair.backend.verifyMlDsa65(pair.keyPair.publicKey, message, signature, otherContext),
    ).toBe(false)
  })

  it('a signature without context does not verify under a context', () => {
    const signature = nativeKeyPair.sign(message)
    expect(native.verifyMlDsa65(nativeKeyPair.publicKey, message, signature, context)).toBe(false)
  })

  it('signing is hedged: two signatures of one message differ and both verify', () => {
    const first = nativeKeyPair.sign(message)
    const second = nativeKeyPair.sign(message)
    expect(hex(first)).not.toBe(hex(second))
    expect(native.verifyMlDsa65(nativeKeyPair.publicKey, message, second)).toBe(true)
  })

  it.each([native, noble])('$name returns false for peer input of the wrong length', (backend) => {
    const signature = nativeKeyPair.sign(message)
    const publicKey = nativeKeyPair.publicKey
    expect(backend.verifyMlDsa65(publicKey.subarray(1), message, signature)).toBe(false)
    expect(backend.verifyMlDsa65(publicKey, message, signature.subarray(1))).toBe(false)
    expect(backend.verifyMlDsa65(publicKey, message, new Uint8Array(0))).toBe(false)
    expect(backend.verifyMlDsa65(new Uint8Array(0), message, signature)).toBe(false)
  })

  it.each([native, noble])('$name rejects a signature under another key', (backend) => {
    const stranger = native.mlDsa65KeyPairFromSeed(sequence(32, 0x99))
    const signature = stranger.sign(message)
    expect(backend.verifyMlDsa65(nativeKeyPair.publicKey, message, signature)).toBe(false)
    expect(backend.verifyMlDsa65(stranger.publicKey, message, flipBit(signature, 100))).toBe(false)
  })

  it.each([native, noble])('$name refuses a context over 255 bytes (FIPS 204 §5.2)', (backend) => {
    const keyPair = backend.mlDsa65KeyPairFromSeed(seed)
    const tooLong = new Uint8Array(256)
    expect(() => keyPair.sign(message, tooLong)).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
    expect(() => backend.verifyMlDsa65(keyPair.publicKey, message, message, tooLong)).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
    expect(() => signingContext('x'.repeat(256))).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
  })

  it.each([native, noble])('$name rejects a seed of the wrong length', (backend) => {
    expect(() => backend.mlDsa65KeyPairFromSeed(new Uint8Array(31))).toThrow(
      expect.objectContaining({ name: 'InvalidKeyError' }),
    )
    expect(() => backend.mlKem768KeyPairFromSeed(new Uint8Array(32))).toThrow(
      expect.objectContaining({ name: 'InvalidKeyError' }),
    )
  })
})

describe('native public-key cache', () => {
  it('never lets a key that shares a cache slot stand in for another', () => {
    const backend = createPqcBackend('native')
    const signature = nativeKeyPair.sign(message)
    const lookalike = flipBit(nativeKeyPair.publicKey, 100) // same leading bytes
    expect(backend.verifyMlDsa65(nativeKeyPair.publicKey, message, signature)).toBe(true)
    expect(backend.verifyMlDsa65(lookalike, message, signature)).toBe(false)
    expect(backend.verifyMlDsa65(nativeKeyPair.publicKey, message, signature)).toBe(true)
  })

  it('refuses a negative size and works with the cache disabled', () => {
    expect(() => createPqcBackend('native', { publicKeyCacheSize: -1 })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
    const uncached = createPqcBackend('native', { publicKeyCacheSize: 0 })
    const signature = nativeKeyPair.sign(message)
    expect(uncached.verifyMlDsa65(nativeKeyPair.publicKey, message, signature)).toBe(true)
  })

  it('stays correct when keys outnumber its capacity', () => {
    const backend = createPqcBackend('native', { publicKeyCacheSize: 1 })
    const signers = [nativeKeyPair, native.mlDsa65KeyPairFromSeed(sequence(32, 0x55))]
    const signatures = signers.map((signer) => signer.sign(message))
    for (let round = 0; round < 3; round += 1) {
      for (const [index, signer] of signers.entries()) {
        expect(backend.verifyMlDsa65(signer.publicKey, message, signatures[index]!)).toBe(true)
        expect(backend.verifyMlDsa65(signer.publicKey, message, signatures[1 - index]!)).toBe(false)
      }
    }
  })
})

describe('ML-KEM-768 across backends', () => {
  const kemSeed = sequence(64, 0x22)
  const nativeKem = native.mlKem768KeyPairFromSeed(kemSeed)
  const nobleKem = noble.mlKem768KeyPairFromSeed(kemSeed)
  const kemPairs = [
    { encapsulator: native, decapsulator: nobleKem },
    { encapsulator: noble, decapsulator: nativeKem },
  ] as const

  it('derives the same public key from the same seed on both backends', () => {
    expect(nativeKem.publicKey).toEqual(nobleKem.publicKey)
    expect(nativeKem.publicKey).toHaveLength(ML_KEM_768_PUBLIC_KEY_BYTES)
  })

  it.each(kemPairs)(
    'encapsulated by $encapsulator.name, decapsulated by $decapsulator.backend',
    ({ encapsulator, decapsulator }) => {
      const { ciphertext, sharedSecret } = encapsulator.encapsulateMlKem768(decapsulator.publicKey)
      expect(ciphertext).toHaveLength(ML_KEM_768_CIPHERTEXT_BYTES)
      expect(sharedSecret).toHaveLength(32)
      expect(decapsulator.decapsulate(ciphertext)).toEqual(sharedSecret)
    },
  )

  it.each([nativeKem, nobleKem])(
    '$backend: a ciphertext for another key yields an unrelated secret (implicit rejection)',
    (keyPair) => {
      const other = native.mlKem768KeyPairFromSeed(sequence(64, 0x77))
      const { ciphertext, sharedSecret } = native.encapsulateMlKem768(other.publicKey)
      const rejected = keyPair.decapsulate(ciphertext)
      expect(rejected).toHaveLength(32)
      expect(hex(rejected)).not.toBe(hex(sharedSecret))
      expect(hex(keyPair.decapsulate(flipBit(ciphertext, 0)))).not.toBe(hex(sharedSecret))
    },
  )

  it.each([native, noble])('$name rejects malformed public keys and ciphertexts', (backend) => {
    const keyPair = backend.mlKem768KeyPairFromSeed(kemSeed)
    expect(() => backend.encapsulateMlKem768(keyPair.publicKey.subarray(1))).toThrow(
      expect.objectContaining({ name: 'InvalidKeyError' }),
    )
    // Every coefficient 0xfff > q = 3329: fails the FIPS 203 §7.2 modulus check.
    expect(() => backend.encapsulateMlKem768(new Uint8Array(1184).fill(0xff))).toThrow(
      expect.objectContaining({ name: 'InvalidKeyError' }),
    )
    expect(() => keyPair.decapsulate(new Uint8Array(1087))).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
  })
})

describe('key pairs keep their secrets', () => {
  it.each([nativeKeyPair, nobleKeyPair])('$backend key pair never shows its seed', (keyPair) => {
    const seedHex = hex(seed)
    const shown = [
      inspect(keyPair, { showHidden: true, depth: 5 }),
      JSON.stringify(keyPair),
      format('%s %o %O %j', keyPair, keyPair, keyPair, keyPair),
    ]
    for (const text of shown) expect(text).not.toContain(seedHex)
    expect(hex(keyPair.exportSeed())).toBe(seedHex)
  })

  it('exportSeed returns a copy', () => {
    nativeKeyPair.exportSeed().fill(0)
    expect(hex(nativeKeyPair.exportSeed())).toBe(hex(seed))
  })

  it('errors carry their name', () => {
    try {
      native.mlDsa65KeyPairFromSeed(new Uint8Array(1))
      expect.unreachable()
    } catch (error) {
      expect(isErrorNamed(error, 'InvalidKeyError')).toBe(true)
    }
  })
})
