import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DecodeError,
  assertByteLength,
  concatBytes,
  equalBytes,
  fromHex,
  toHex,
} from '../src/index.js'

describe('hex', () => {
  it('writes lowercase hex', () => {
    expect(toHex(Uint8Array.of(0, 1, 0xab, 0xff))).toBe('0001abff')
    expect(toHex(new Uint8Array())).toBe('')
    // A view reads only its own window of the underlying buffer.
    expect(toHex(Uint8Array.of(9, 0xca, 0xfe, 9).subarray(1, 3))).toBe('cafe')
  })

  it('reads either case', () => {
    expect([...fromHex('00ABcdFF')]).toEqual([0, 0xab, 0xcd, 0xff])
  })

  it('round-trips any bytes, and matches Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const hex = toHex(bytes)
        expect(hex).toBe(Buffer.from(bytes).toString('hex'))
        expect(fromHex(hex)).toEqual(bytes)
        expect(fromHex(hex.toUpperCase())).toEqual(bytes)
      }),
    )
  })

  it('rejects odd length, prefixes, whitespace and non-hex digits with DecodeError', () => {
    for (const bad of ['abc', '0x00', ' 00', '00 ', 'zz', '0g', 'éé', '+1']) {
      expect(() => fromHex(bad)).toThrow(DecodeError)
    }
  })

  it('throws nothing but DecodeError on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        try {
          fromHex(text)
        } catch (error) {
          expect(error).toBeInstanceOf(DecodeError)
        }
      }),
    )
  })
})

describe('concatBytes and equalBytes', () => {
  it('concatenates in order', () => {
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(), Uint8Array.of(2, 3))).toEqual(
      Uint8Array.of(1, 2, 3),
    )
    expect(concatBytes()).toEqual(new Uint8Array())
  })

  it('compares contents and lengths', () => {
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true)
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false)
    expect(equalBytes(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false)
  })
})

describe('assertByteLength', () => {
  it('accepts exactly the expected length', () => {
    expect(() => {
      assertByteLength(new Uint8Array(32), 32, 'public key')
    }).not.toThrow()
  })

  it('names the field and both lengths when the length is wrong', () => {
    expect(() => {
      assertByteLength(new Uint8Array(31), 32, 'public key')
    }).toThrow(new DecodeError('public key must be 32 bytes, got 31'))
  })

  it('rejects something that is not bytes', () => {
    expect(() => {
      assertByteLength('00'.repeat(32), 32, 'signature')
    }).toThrow(DecodeError)
  })
})
