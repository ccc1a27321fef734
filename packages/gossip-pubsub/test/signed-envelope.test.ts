import { DecodeError } from '@x0x/base'
import { agentIdFromPublicKey } from '@x0x/pqc'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PayloadTooLargeError, InvalidTopicError } from '../src/errors.js'
import {
  decodeEnvelope,
  messageIdOf,
  resolveEnvelopeLimits,
  signEnvelope,
  verifyEnvelope,
  type EnvelopeContent,
} from '../src/signed-envelope.js'
import { agentKey, backend, encoder } from './fixtures.js'

const signer = agentKey('alice')
const origin = agentIdFromPublicKey(signer.publicKey)
const limits = resolveEnvelopeLimits()
const content: EnvelopeContent = {
  origin,
  topic: 'news',
  epoch: 1_700_000_000_000,
  firstSequence: 7,
  timestamp: 1_700_000_000_123,
  payloads: [encoder.encode('one'), encoder.encode('two'), new Uint8Array(0)],
}

describe('signEnvelope / decodeEnvelope', () => {
  const envelope = signEnvelope(content, signer, limits)

  it('round-trips every field of a batch under one signature that verifies', () => {
    const decoded = decodeEnvelope(envelope.bytes.slice(), limits)
    expect(decoded).toMatchObject({
      origin,
      topic: 'news',
      epoch: content.epoch,
      firstSequence: 7,
      timestamp: content.timestamp,
    })
    expect(decoded.payloads.map((payload) => new TextDecoder().decode(payload))).toEqual([
      'one',
      'two',
      '',
    ])
    expect(decoded.id).toBe(messageIdOf(decoded.signedBody))
    expect(decoded.signature).toHaveLength(3309)
    expect(verifyEnvelope(decoded, signer.publicKey, backend)).toBe(true)
  })

  it('fails verification when any signed byte changes, and under another key', () => {
    const tampered = envelope.bytes.slice()
    tampered[1 + 32 + 8 + 8 + 7]! ^= 1 // the low byte of the timestamp
    expect(verifyEnvelope(decodeEnvelope(tampered, limits), signer.publicKey, backend)).toBe(false)
    expect(verifyEnvelope(envelope, agentKey('mallory').publicKey, backend)).toBe(false)
  })

  it('keeps the id when the same body is signed again (ML-DSA is randomised)', () => {
    const again = signEnvelope(content, signer, limits)
    expect(again.id).toBe(envelope.id)
    expect(again.signature).not.toEqual(envelope.signature)
  })

  it('rejects a local topic, payload or batch over its limit', () => {
    const small = resolveEnvelopeLimits({
      maxTopicBytes: 4,
      maxPayloadBytes: 5,
      maxBatchMessages: 2,
    })
    expect(() =>
      signEnvelope({ ...content, topic: 'topic', payloads: [] }, signer, small),
    ).toThrow()
    expect(() =>
      signEnvelope(
        { ...content, topic: 'toolong', payloads: [encoder.encode('a')] },
        signer,
        small,
      ),
    ).toThrow(InvalidTopicError)
    expect(() =>
      signEnvelope(
        { ...content, topic: 'ok', payloads: [encoder.encode('sixsix')] },
        signer,
        small,
      ),
    ).toThrow(PayloadTooLargeError)
  })

  it('rejects received envelopes over distinct limits with DecodeError', () => {
    const tight = (overrides: Parameters<typeof resolveEnvelopeLimits>[0]) => () =>
      decodeEnvelope(envelope.bytes, resolveEnvelopeLimits(overrides))
    expect(tight({ maxTopicBytes: 3 })).toThrow(DecodeError)
    expect(tight({ maxPayloadBytes: 2 })).toThrow(DecodeError)
    expect(tight({ maxBatchMessages: 2 })).toThrow(DecodeError)
    expect(tight({ maxEnvelopeBytes: envelope.bytes.length - 1 })).toThrow(DecodeError)
    expect(tight({ maxBatchMessages: 3, maxPayloadBytes: 3, maxTopicBytes: 4 })).not.toThrow()
  })

  it('throws only DecodeError on garbage, truncations and bit flips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4_000 }), fc.nat(), fc.nat(), (garbage, cut, flip) => {
        const candidates = [garbage, envelope.bytes.subarray(0, cut % envelope.bytes.length)]
        const flipped = envelope.bytes.slice()
        flipped[flip % envelope.signedBody.length]! ^= 0x80
        candidates.push(flipped)
        for (const candidate of candidates) {
          try {
            decodeEnvelope(candidate, limits)
          } catch (error) {
            expect(error).toBeInstanceOf(DecodeError)
          }
        }
      }),
      { seed: 7, numRuns: 300 },
    )
  })
})
