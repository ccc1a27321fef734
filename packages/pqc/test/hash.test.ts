import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { blake3, hkdfSha256, sha256 } from '../src/hash.js'
import { encoder, fromHex, hex, sequence } from './fixtures.js'

describe('sha256', () => {
  it('matches FIPS 180-2 Appendix B.1 ("abc")', () => {
    expect(hex(sha256(encoder.encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })

  it('returns a plain Uint8Array that owns its memory and agrees with noble', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const digest = sha256(data)
        expect(digest.constructor).toBe(Uint8Array)
        expect(digest.buffer.byteLength).toBe(32)
        expect(hex(digest)).toBe(hex(nobleSha256(data)))
      }),
      { seed: 42, numRuns: 50 },
    )
  })
})

describe('blake3', () => {
  it('matches the official BLAKE3 vectors for "" and "abc"', () => {
    expect(hex(blake3(new Uint8Array(0)))).toBe(
      'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
    )
    expect(hex(blake3(encoder.encode('abc')))).toBe(
      '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85',
    )
  })

  it('extends output as an XOF and keys as a MAC', () => {
    const long = blake3(encoder.encode('abc'), { outputLength: 64 })
    expect(long).toHaveLength(64)
    expect(hex(long).startsWith(hex(blake3(encoder.encode('abc'))))).toBe(true)
    const keyed = blake3(encoder.encode('abc'), { key: sequence(32) })
    expect(hex(keyed)).not.toBe(hex(blake3(encoder.encode('abc'))))
    expect(() => blake3(new Uint8Array(1), { key: new Uint8Array(31) })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
    expect(() => blake3(new Uint8Array(1), { outputLength: 0 })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
  })
})

describe('hkdfSha256', () => {
  it('matches RFC 5869 test case 1', () => {
    const okm = hkdfSha256(new Uint8Array(22).fill(0x0b), sequence(13), sequence(10, 0xf0), 42)
    expect(hex(okm)).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    )
  })

  it('agrees with noble for random inputs', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.integer({ min: 1, max: 100 }),
        (ikm, salt, info, length) => {
          const ours = hkdfSha256(ikm, salt, info, length)
          expect(hex(ours)).toBe(hex(nobleHkdf(nobleSha256, ikm, salt, info, length)))
        },
      ),
      { seed: 7, numRuns: 50 },
    )
  })

  it('refuses lengths beyond RFC 5869 and info beyond node:crypto', () => {
    const ikm = fromHex('00')
    expect(() => hkdfSha256(ikm, ikm, ikm, 8161)).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
    expect(() => hkdfSha256(ikm, ikm, new Uint8Array(1025), 32)).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
  })
})
