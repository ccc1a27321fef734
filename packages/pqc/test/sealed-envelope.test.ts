import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { agentIdFromPublicKey, type AgentId } from '../src/ids.js'
import {
  SEALED_ENVELOPE_OVERHEAD_BYTES,
  openEnvelope,
  sealEnvelope,
} from '../src/sealed-envelope.js'
import { encoder, flipBit, native, noble, sequence } from './fixtures.js'

const idOf = (start: number): AgentId =>
  agentIdFromPublicKey(native.mlDsa65KeyPairFromSeed(sequence(32, start)).publicKey)

const senderId = idOf(1)
const recipientId = idOf(2)
const strangerId = idOf(3)
const recipient = native.mlKem768KeyPairFromSeed(sequence(64, 0x50))
const stranger = native.mlKem768KeyPairFromSeed(sequence(64, 0x60))
const purpose = 'x0x/test-message/v1'
const plaintext = encoder.encode('meet at the usual place')
const binding = { senderId, recipientId, purpose }
const envelope = sealEnvelope({
  ...binding,
  recipientKemPublicKey: recipient.publicKey,
  plaintext,
  backend: native,
})

const failsToOpen = (change: Partial<Parameters<typeof openEnvelope>[0]>) => () =>
  openEnvelope({ ...binding, recipient, envelope, ...change })

describe('sealed envelopes', () => {
  it('open to the plaintext for the recipient', () => {
    expect(envelope).toHaveLength(1 + 1088 + plaintext.length + 16)
    expect(envelope[0]).toBe(1)
    expect(openEnvelope({ ...binding, recipient, envelope })).toEqual(plaintext)
  })

  it('move between backends both ways', () => {
    const nobleRecipient = noble.mlKem768KeyPairFromSeed(sequence(64, 0x50))
    expect(openEnvelope({ ...binding, recipient: nobleRecipient, envelope })).toEqual(plaintext)
    const fromNoble = sealEnvelope({
      ...binding,
      recipientKemPublicKey: recipient.publicKey,
      plaintext,
      backend: noble,
    })
    expect(openEnvelope({ ...binding, recipient, envelope: fromNoble })).toEqual(plaintext)
  })

  it('are fresh each time', () => {
    const again = sealEnvelope({
      ...binding,
      recipientKemPublicKey: recipient.publicKey,
      plaintext,
    })
    expect(Buffer.from(again).equals(envelope)).toBe(false)
  })

  it('carry an empty plaintext', () => {
    const empty = sealEnvelope({
      ...binding,
      recipientKemPublicKey: recipient.publicKey,
      plaintext: new Uint8Array(0),
    })
    expect(empty).toHaveLength(SEALED_ENVELOPE_OVERHEAD_BYTES)
    expect(openEnvelope({ ...binding, recipient, envelope: empty })).toHaveLength(0)
  })

  it.each([
    ['the wrong recipient key', { recipient: stranger }],
    ['another sender id', { senderId: strangerId }],
    ['another recipient id', { recipientId: strangerId }],
    ['sender and recipient swapped', { senderId: recipientId, recipientId: senderId }],
    ['another purpose', { purpose: 'x0x/test-message/v2' }],
    ['a flipped KEM ciphertext bit', { envelope: flipBit(envelope, 1 + 500) }],
    ['a flipped AEAD ciphertext bit', { envelope: flipBit(envelope, 1 + 1088 + 3) }],
    ['a flipped tag bit', { envelope: flipBit(envelope, envelope.length - 1) }],
    ['a truncated tail', { envelope: envelope.subarray(0, envelope.length - 1) }],
  ])('fail with DecryptionFailedError for %s', (_label, change) => {
    expect(failsToOpen(change)).toThrow(expect.objectContaining({ name: 'DecryptionFailedError' }))
  })

  it('fail with DecodeError for another version or too few bytes', () => {
    const otherVersion = new Uint8Array(envelope)
    otherVersion[0] = 2
    for (const bad of [otherVersion, envelope.subarray(0, SEALED_ENVELOPE_OVERHEAD_BYTES - 1)]) {
      expect(failsToOpen({ envelope: bad })).toThrow(
        expect.objectContaining({ name: 'DecodeError' }),
      )
    }
  })

  it('refuse a purpose that is empty or over 255 bytes, and malformed ids', () => {
    const seal = (change: object) => () =>
      sealEnvelope({ ...binding, recipientKemPublicKey: recipient.publicKey, plaintext, ...change })
    expect(seal({ purpose: '' })).toThrow(expect.objectContaining({ name: 'InvalidArgumentError' }))
    expect(seal({ purpose: 'p'.repeat(256) })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
    expect(seal({ senderId: 'not-an-id' })).toThrow(
      expect.objectContaining({ name: 'InvalidIdError' }),
    )
    expect(seal({ recipientKemPublicKey: new Uint8Array(10) })).toThrow(
      expect.objectContaining({ name: 'InvalidKeyError' }),
    )
  })

  it('opening random bytes throws only DecodeError or DecryptionFailedError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 1200 }),
          fc.uint8Array({ minLength: 1105, maxLength: 1200 }).map((bytes) => {
            bytes[0] = 1
            return bytes
          }),
        ),
        (bytes) => {
          try {
            openEnvelope({ ...binding, recipient, envelope: bytes })
            expect.unreachable('random bytes opened')
          } catch (error) {
            expect(['DecodeError', 'DecryptionFailedError']).toContain((error as Error).name)
          }
        },
      ),
      { seed: 13, numRuns: 60 },
    )
  })
})
