import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ByteReader,
  ByteWriter,
  DecodeError,
  InvalidArgumentError,
  type LengthPrefix,
} from '../src/index.js'

describe('ByteReader', () => {
  it('reads big-endian integers and tracks its offset', () => {
    const reader = new ByteReader(
      Uint8Array.of(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0xff),
    )
    expect(reader.uint8()).toBe(0x01)
    expect(reader.uint16()).toBe(0x0203)
    expect(reader.uint32()).toBe(0x04050607)
    expect(reader.uint64()).toBe(0x0100n)
    expect(reader.offset).toBe(15)
    expect(reader.remaining).toBe(1)
    expect(reader.uint8()).toBe(0xff)
    expect(() => {
      reader.end()
    }).not.toThrow()
  })

  it('reads from a view into a larger buffer at the right place', () => {
    const buffer = Uint8Array.of(9, 9, 0x12, 0x34, 9)
    expect(new ByteReader(buffer.subarray(2, 4)).uint16()).toBe(0x1234)
  })

  it('names the field, offset and shortfall on an overrun', () => {
    const reader = new ByteReader(Uint8Array.of(1, 2, 3))
    reader.uint8()
    expect(() => reader.uint32('frame length')).toThrow(
      new DecodeError('frame length needs 4 bytes at offset 1, but only 2 remain'),
    )
    expect(reader.offset).toBe(1)
  })

  it('refuses a length prefix above the limit before reading the bytes', () => {
    const reader = new ByteReader(Uint8Array.of(0, 5, 1, 2, 3, 4, 5))
    expect(() => reader.prefixedBytes('uint16', 4, 'payload')).toThrow(
      new DecodeError('payload length at offset 0 is 5, above the limit of 4'),
    )
    const ok = new ByteReader(Uint8Array.of(0, 5, 1, 2, 3, 4, 5))
    expect(ok.prefixedBytes('uint16', 5, 'payload')).toEqual(Uint8Array.of(1, 2, 3, 4, 5))
  })

  it('refuses an element count above the limit', () => {
    expect(() => new ByteReader(Uint8Array.of(0, 0, 1, 0)).count('uint32', 255, 'peers')).toThrow(
      DecodeError,
    )
    expect(new ByteReader(Uint8Array.of(255)).count('uint8', 255, 'peers')).toBe(255)
  })

  it('refuses a uint64 that a number cannot hold exactly', () => {
    const big = new ByteWriter().uint64(2n ** 53n).finish()
    expect(() => new ByteReader(big).uint64Number('timestamp')).toThrow(DecodeError)
    const safe = new ByteWriter().uint64(Number.MAX_SAFE_INTEGER).finish()
    expect(new ByteReader(safe).uint64Number()).toBe(Number.MAX_SAFE_INTEGER)
  })

  it('end() rejects trailing bytes', () => {
    const reader = new ByteReader(Uint8Array.of(1, 2))
    reader.uint8()
    expect(() => {
      reader.end('handshake')
    }).toThrow(new DecodeError('1 unexpected bytes after handshake at offset 1'))
  })

  it('rest() returns what is left and reaches the end', () => {
    const reader = new ByteReader(Uint8Array.of(1, 2, 3))
    reader.uint8()
    expect(reader.rest()).toEqual(Uint8Array.of(2, 3))
    expect(reader.remaining).toBe(0)
  })

  it('treats a bad limit or length as a programming error, not a decode error', () => {
    const reader = new ByteReader(Uint8Array.of(1))
    expect(() => reader.count('uint8', -1)).toThrow(InvalidArgumentError)
    expect(() => reader.bytes(-1)).toThrow(InvalidArgumentError)
  })

  it('throws nothing but DecodeError on arbitrary input and reads', () => {
    const read = fc.oneof(
      fc.constantFrom('uint8', 'uint16', 'uint32', 'uint64', 'uint64Number', 'rest', 'end'),
      fc.record({ bytes: fc.nat(20) }),
      fc.record({
        prefix: fc.constantFrom<LengthPrefix>('uint8', 'uint16', 'uint32'),
        max: fc.nat(300),
      }),
    )
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.array(read, { maxLength: 12 }),
        (input, reads) => {
          const reader = new ByteReader(input)
          try {
            for (const step of reads) {
              if (typeof step === 'string') reader[step]()
              else if ('bytes' in step) reader.bytes(step.bytes)
              else reader.prefixedBytes(step.prefix, step.max)
              expect(reader.offset).toBeLessThanOrEqual(input.length)
            }
          } catch (error) {
            expect(error).toBeInstanceOf(DecodeError)
          }
        },
      ),
    )
  })
})

describe('ByteWriter', () => {
  it('round-trips every field through ByteReader', () => {
    fc.assert(
      fc.property(
        fc.nat(0xff),
        fc.nat(0xffff),
        fc.nat(0xffff_ffff),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.uint8Array({ maxLength: 300 }),
        (u8, u16, u32, u64, payload) => {
          const bytes = new ByteWriter({ initialBytes: 1 })
            .uint8(u8)
            .uint16(u16)
            .uint32(u32)
            .uint64(u64)
            .prefixedBytes('uint16', payload)
            .bytes(payload)
            .finish()
          const reader = new ByteReader(bytes)
          expect(reader.uint8()).toBe(u8)
          expect(reader.uint16()).toBe(u16)
          expect(reader.uint32()).toBe(u32)
          expect(reader.uint64()).toBe(u64)
          expect(reader.prefixedBytes('uint16', 300)).toEqual(payload)
          expect(reader.bytes(payload.length)).toEqual(payload)
          reader.end()
        },
      ),
    )
  })

  it('refuses values out of range instead of truncating them, writing nothing', () => {
    const writer = new ByteWriter()
    expect(() => writer.uint8(256)).toThrow(InvalidArgumentError)
    expect(() => writer.uint16(-1)).toThrow(InvalidArgumentError)
    expect(() => writer.uint32(1.5)).toThrow(InvalidArgumentError)
    expect(() => writer.uint64(2n ** 64n)).toThrow(InvalidArgumentError)
    expect(() => writer.uint64(2 ** 60)).toThrow(InvalidArgumentError)
    expect(() => writer.prefixedBytes('uint8', new Uint8Array(256))).toThrow(InvalidArgumentError)
    expect(writer.length).toBe(0)
  })

  it('refuses to grow past maxBytes', () => {
    const writer = new ByteWriter({ initialBytes: 2, maxBytes: 6 })
    writer.uint32(1)
    expect(() => writer.uint32(2)).toThrow(InvalidArgumentError)
    writer.uint16(3)
    expect(writer.finish()).toEqual(Uint8Array.of(0, 0, 0, 1, 0, 3))
  })

  it('finish returns a copy, and the writer stays usable', () => {
    const writer = new ByteWriter().uint8(1)
    const first = writer.finish()
    writer.uint8(2)
    expect(first).toEqual(Uint8Array.of(1))
    expect(writer.finish()).toEqual(Uint8Array.of(1, 2))
  })
})
