import { DecodeError } from '@x0x/base'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeFrame,
  encodeFrame,
  encodeMessageFrame,
  resolveFrameLimits,
  withForwardOnlyFlag,
} from '../src/pubsub-frame.js'
import {
  controlFrameArbitrary,
  messageIdArbitrary,
  topicArbitrary,
} from '../src/testing/arbitraries.js'

const limits = resolveFrameLimits()

describe('pub/sub frame codec', () => {
  it('round-trips every control frame', () => {
    fc.assert(
      fc.property(controlFrameArbitrary, (frame) => {
        expect(decodeFrame(encodeFrame(frame, limits), limits)).toEqual(frame)
      }),
      { seed: 1, numRuns: 500 },
    )
  })

  it('round-trips a MESSAGE with and without an attached key, as views', () => {
    const envelope = Uint8Array.from({ length: 4_000 }, (_, index) => index & 0xff)
    const key = new Uint8Array(1952).fill(9)
    expect(decodeFrame(encodeMessageFrame(3, envelope), limits)).toEqual({
      type: 'message',
      hops: 3,
      publicKey: undefined,
      forwardOnly: false,
      envelope,
    })
    expect(decodeFrame(encodeMessageFrame(70_000, envelope, key), limits)).toEqual({
      type: 'message',
      hops: 0xffff,
      publicKey: key,
      forwardOnly: false,
      envelope,
    })
  })

  it('round-trips the forward-only flag of a MESSAGE, alone and with a key', () => {
    const envelope = Uint8Array.from({ length: 300 }, (_, index) => index & 0xff)
    const key = new Uint8Array(1952).fill(7)
    for (const publicKey of [undefined, key]) {
      const frame = { type: 'message', hops: 4, publicKey, forwardOnly: true, envelope } as const
      const encoded = encodeFrame(frame, limits)
      expect(encoded[4]).toBe(publicKey === undefined ? 0b10 : 0b11)
      expect(decodeFrame(encoded, limits)).toEqual(frame)
      expect(encodeMessageFrame(4, envelope, publicKey, true)).toEqual(encoded)
    }
    const plain = encodeMessageFrame(4, envelope)
    const flagged = withForwardOnlyFlag(plain)
    expect(decodeFrame(flagged, limits)).toMatchObject({ forwardOnly: true, hops: 4 })
    expect(decodeFrame(plain, limits)).toMatchObject({ forwardOnly: false }) // a copy was flagged
  })

  it('throws only DecodeError on garbage and on truncated or extended frames', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        controlFrameArbitrary,
        fc.nat(),
        (garbage, frame, cut) => {
          const encoded = encodeFrame(frame, limits)
          const candidates = [
            garbage,
            Uint8Array.of(1, ...garbage),
            encoded.subarray(0, cut % encoded.length),
            Uint8Array.of(...encoded, 0),
          ]
          for (const candidate of candidates) {
            try {
              decodeFrame(candidate, limits)
            } catch (error) {
              expect(error).toBeInstanceOf(DecodeError)
            }
          }
          expect(() => decodeFrame(Uint8Array.of(...encoded, 0), limits)).toThrow(DecodeError)
        },
      ),
      { seed: 2, numRuns: 300 },
    )
  })

  it('enforces element-count limits while decoding', () => {
    const ids = fc.sample(messageIdArbitrary, { seed: 3, numRuns: 5 })
    const topic = fc.sample(topicArbitrary, { seed: 3, numRuns: 1 })[0]!
    const graft = encodeFrame({ type: 'graft', topic, ids }, limits)
    expect(() => decodeFrame(graft, resolveFrameLimits({ maxIdsPerFrame: 4 }))).toThrow(DecodeError)
    expect(decodeFrame(graft, resolveFrameLimits({ maxIdsPerFrame: 5 }))).toMatchObject({ ids })
    const request = encodeFrame(
      { type: 'key-request', origins: ids.map((id) => id as string as never) },
      limits,
    )
    expect(() => decodeFrame(request, resolveFrameLimits({ maxKeysPerFrame: 3 }))).toThrow(
      DecodeError,
    )
    const message = encodeMessageFrame(1, new Uint8Array(5_000))
    expect(() => decodeFrame(message, resolveFrameLimits({ maxEnvelopeBytes: 4_999 }))).toThrow(
      DecodeError,
    )
  })

  it('rejects an unknown version, type or flag', () => {
    expect(() => decodeFrame(Uint8Array.of(2, 4, 1, 0x61), limits)).toThrow(DecodeError)
    expect(() => decodeFrame(Uint8Array.of(1, 99), limits)).toThrow(DecodeError)
    // MESSAGE flags: bits 0 (key) and 1 (forward-only) are known, any other is rejected.
    for (const flags of [0b100, 0b1000_0000, 0b111])
      expect(() => decodeFrame(Uint8Array.of(1, 1, 0, 1, flags, 0), limits)).toThrow(DecodeError)
    expect(decodeFrame(Uint8Array.of(1, 1, 0, 1, 0b10, 0), limits)).toMatchObject({
      forwardOnly: true,
    })
  })
})
