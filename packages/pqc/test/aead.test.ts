import { gcm } from '@noble/ciphers/aes.js'
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  openAes256Gcm,
  openChaCha20Poly1305,
  sealAes256Gcm,
  sealChaCha20Poly1305,
} from '../src/aead.js'
import { encoder, flipBit, fromHex, hex, sequence } from './fixtures.js'

const ciphers = [
  { name: 'ChaCha20-Poly1305', seal: sealChaCha20Poly1305, open: openChaCha20Poly1305 },
  { name: 'AES-256-GCM', seal: sealAes256Gcm, open: openAes256Gcm },
] as const

describe('ChaCha20-Poly1305', () => {
  it('matches RFC 8439 §2.8.2', () => {
    const key = sequence(32, 0x80)
    const nonce = fromHex('070000004041424344454647')
    const associatedData = fromHex('50515253c0c1c2c3c4c5c6c7')
    const plaintext = encoder.encode(
      "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
    )
    const sealed = sealChaCha20Poly1305(key, nonce, plaintext, associatedData)
    expect(hex(sealed)).toBe(
      'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b' +
        '1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc' +
        '3ff4def08e4b7a9de576d26586cec64b6116' +
        '1ae10b594f09e26a7e902ecbd0600691',
    )
    expect(openChaCha20Poly1305(key, nonce, sealed, associatedData)).toEqual(plaintext)
  })
})

describe('AES-256-GCM', () => {
  it('matches the GCM specification test cases 13 and 14', () => {
    const zeroKey = new Uint8Array(32)
    const zeroNonce = new Uint8Array(12)
    expect(hex(sealAes256Gcm(zeroKey, zeroNonce, new Uint8Array(0)))).toBe(
      '530f8afbc74536b9a963b4f1c4cb738b',
    )
    expect(hex(sealAes256Gcm(zeroKey, zeroNonce, new Uint8Array(16)))).toBe(
      'cea7403d4d606b6e074ec5d3baf39d18' + 'd0d1c8a799996bf0265b98b5d48ab919',
    )
  })
})

describe.each(ciphers)('$name', ({ name, seal, open }) => {
  const key = sequence(32, 1)
  const nonce = sequence(12, 2)
  const associatedData = encoder.encode('header')
  const plaintext = encoder.encode('attack at dawn')
  const sealed = seal(key, nonce, plaintext, associatedData)

  it('agrees with @noble/ciphers on random inputs', () => {
    const reference = name === 'AES-256-GCM' ? gcm : chacha20poly1305
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 40 }),
        (randomKey, randomNonce, data, extra) => {
          const ours = seal(randomKey, randomNonce, data, extra)
          expect(hex(ours)).toBe(hex(reference(randomKey, randomNonce, extra).encrypt(data)))
          expect(open(randomKey, randomNonce, ours, extra)).toEqual(data)
        },
      ),
      { seed: 3, numRuns: 40 },
    )
  })

  it('fails with DecryptionFailedError when any input is altered', () => {
    const failures = [
      () => open(key, nonce, flipBit(sealed, 0), associatedData),
      () => open(key, nonce, flipBit(sealed, sealed.length - 1), associatedData),
      () => open(flipBit(key, 5), nonce, sealed, associatedData),
      () => open(key, flipBit(nonce, 11), sealed, associatedData),
      () => open(key, nonce, sealed, flipBit(associatedData, 0)),
      () => open(key, nonce, sealed),
      () => open(key, nonce, sealed.subarray(0, sealed.length - 1), associatedData),
      () => open(key, nonce, new Uint8Array(15), associatedData),
    ]
    for (const failure of failures) {
      expect(failure).toThrow(expect.objectContaining({ name: 'DecryptionFailedError' }))
    }
  })

  it('rejects keys and nonces of the wrong length', () => {
    expect(() => seal(new Uint8Array(16), nonce, plaintext)).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
    expect(() => open(key, new Uint8Array(8), sealed)).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
  })
})
