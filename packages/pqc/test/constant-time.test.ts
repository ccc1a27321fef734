import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { constantTimeEqual } from '../src/constant-time.js'
import { flipBit, sequence } from './fixtures.js'

describe('constantTimeEqual', () => {
  it('is true only for identical bytes', () => {
    const secret = sequence(32)
    expect(constantTimeEqual(secret, new Uint8Array(secret))).toBe(true)
    expect(constantTimeEqual(secret, flipBit(secret, 31))).toBe(false)
    expect(constantTimeEqual(secret, flipBit(secret, 0))).toBe(false)
    expect(constantTimeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true)
  })

  it('is false, without throwing, for different lengths', () => {
    expect(constantTimeEqual(sequence(32), sequence(31))).toBe(false)
    expect(constantTimeEqual(new Uint8Array(0), sequence(1))).toBe(false)
  })

  it('agrees with plain equality on random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        const expected = a.length === b.length && a.every((byte, index) => byte === b[index])
        expect(constantTimeEqual(a, b)).toBe(expected)
      }),
      { seed: 1, numRuns: 200 },
    )
  })
})
