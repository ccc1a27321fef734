import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  agentIdFromBytes,
  agentIdFromPublicKey,
  idToBytes,
  machineIdFromPublicKey,
  parseAgentId,
  parseMachineId,
  parseUserId,
  userIdFromPublicKey,
  type AgentId,
  type MachineId,
} from '../src/ids.js'
import { hex, native, sequence } from './fixtures.js'

const keyPair = native.mlDsa65KeyPairFromSeed(sequence(32))
const PINNED_ID = '654980fe02a7b4e55168e5f4650ecb1c073d4b26acfff790f111313f4a217de7'

describe('id derivation', () => {
  it('hashes the exact prefix "AUTONOMI_PEER_ID_V2:" before the public key', () => {
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from('AUTONOMI_PEER_ID_V2:', 'ascii'), keyPair.publicKey]))
      .digest('hex')
    expect(agentIdFromPublicKey(keyPair.publicKey)).toBe(expected)
    expect(expected).toBe(PINNED_ID)
  })

  it('gives the same digest for agent, machine and user roles', () => {
    const agent = agentIdFromPublicKey(keyPair.publicKey)
    expect(machineIdFromPublicKey(keyPair.publicKey)).toBe(agent)
    expect(userIdFromPublicKey(keyPair.publicKey)).toBe(agent)
    expect(agent).toMatch(/^[0-9a-f]{64}$/)
  })

  it('refuses a public key of the wrong length', () => {
    expect(() => agentIdFromPublicKey(keyPair.publicKey.subarray(0, 1951))).toThrow(
      expect.objectContaining({ name: 'InvalidKeyError' }),
    )
  })

  it('keeps the three id types apart at compile time', () => {
    expectTypeOf<AgentId>().not.toEqualTypeOf<MachineId>()
    expectTypeOf(parseAgentId(PINNED_ID)).toEqualTypeOf<AgentId>()
  })
})

describe('id parsing', () => {
  it('accepts 64 lowercase hex characters and round-trips through bytes', () => {
    const id = parseAgentId(PINNED_ID)
    expect(idToBytes(id)).toHaveLength(32)
    expect(agentIdFromBytes(idToBytes(id))).toBe(id)
  })

  it.each([
    ['too short', PINNED_ID.slice(1), /64 hex characters, got 63/],
    ['too long', `${PINNED_ID}0`, /64 hex characters, got 65/],
    ['uppercase', PINNED_ID.toUpperCase(), /lowercase hex: character "F" at index 6/],
    ['a non-hex letter', `${PINNED_ID.slice(0, 10)}g${PINNED_ID.slice(11)}`, /"g" at index 10/],
    ['empty', '', /got 0/],
  ])('rejects %s with a message saying what is wrong', (_label, text, message) => {
    expect(() => parseAgentId(text)).toThrow(message)
    expect(() => parseAgentId(text)).toThrow(expect.objectContaining({ name: 'InvalidIdError' }))
  })

  it('names the id kind in its errors', () => {
    expect(() => parseMachineId('x')).toThrow(/^machine id/)
    expect(() => parseUserId('x')).toThrow(/^user id/)
    expect(() => parseAgentId(42 as unknown as string)).toThrow(/must be a string, got number/)
  })

  it('rejects byte ids of the wrong length', () => {
    expect(() => agentIdFromBytes(new Uint8Array(31))).toThrow(
      expect.objectContaining({ name: 'InvalidIdError' }),
    )
    expect(() => idToBytes('zz' as AgentId)).toThrow(
      expect.objectContaining({ name: 'InvalidIdError' }),
    )
  })

  it('throws only InvalidIdError for any string, and accepts exactly the canonical form', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 70 }), (text) => {
        try {
          const id = parseAgentId(text)
          expect(hex(idToBytes(id))).toBe(text)
        } catch (error) {
          expect(error).toMatchObject({ name: 'InvalidIdError' })
        }
      }),
      { seed: 9, numRuns: 300 },
    )
  })
})
