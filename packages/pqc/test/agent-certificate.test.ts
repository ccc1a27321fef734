import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AGENT_CERTIFICATE_BYTES,
  decodeAgentCertificate,
  encodeAgentCertificate,
  issueAgentCertificate,
  verifyAgentCertificate,
  type AgentCertificate,
} from '../src/agent-certificate.js'
import { agentIdFromPublicKey, userIdFromPublicKey } from '../src/ids.js'
import { signingContext } from '../src/key-material.js'
import { flipBit, native, noble, sequence } from './fixtures.js'

const user = native.mlDsa65KeyPairFromSeed(sequence(32, 0x30))
const otherUser = native.mlDsa65KeyPairFromSeed(sequence(32, 0x31))
const agentId = agentIdFromPublicKey(native.mlDsa65KeyPairFromSeed(sequence(32, 0x40)).publicKey)
const otherAgentId = agentIdFromPublicKey(otherUser.publicKey)
const userId = userIdFromPublicKey(user.publicKey)
const issuedAt = 1_700_000_000_000
const expiresAt = issuedAt + 86_400_000
const certificate = issueAgentCertificate({ user, agentId, issuedAt, expiresAt })
const now = issuedAt + 1000

describe('agent certificates', () => {
  it('verify within the window, naming the user and agent, on both backends', () => {
    for (const backend of [native, noble]) {
      expect(verifyAgentCertificate(certificate, { now, agentId, userId, backend })).toEqual({
        userId,
        agentId,
        issuedAt,
        expiresAt,
      })
    }
  })

  it('round-trip through the canonical encoding', () => {
    const bytes = encodeAgentCertificate(certificate)
    expect(bytes).toHaveLength(AGENT_CERTIFICATE_BYTES)
    expect(AGENT_CERTIFICATE_BYTES).toBe(1 + 1952 + 32 + 8 + 8 + 3309)
    const decoded = decodeAgentCertificate(bytes)
    expect(decoded).toEqual(certificate)
    expect(encodeAgentCertificate(decoded)).toEqual(bytes)
    expect(verifyAgentCertificate(decoded, { now }).userId).toBe(userId)
  })

  it('are valid from issuedAt inclusive to expiresAt exclusive', () => {
    expect(() => verifyAgentCertificate(certificate, { now: issuedAt })).not.toThrow()
    expect(() => verifyAgentCertificate(certificate, { now: issuedAt - 1 })).toThrow(
      expect.objectContaining({ name: 'CertificateNotYetValidError' }),
    )
    expect(() => verifyAgentCertificate(certificate, { now: expiresAt - 1 })).not.toThrow()
    expect(() => verifyAgentCertificate(certificate, { now: expiresAt })).toThrow(
      expect.objectContaining({ name: 'CertificateExpiredError' }),
    )
  })

  it('are rejected for another agent or another user', () => {
    expect(() => verifyAgentCertificate(certificate, { now, agentId: otherAgentId })).toThrow(
      expect.objectContaining({ name: 'CertificateMismatchError' }),
    )
    const otherUserId = userIdFromPublicKey(otherUser.publicKey)
    expect(() => verifyAgentCertificate(certificate, { now, userId: otherUserId })).toThrow(
      expect.objectContaining({ name: 'CertificateMismatchError' }),
    )
  })

  it.each<[string, (certificate: AgentCertificate) => AgentCertificate]>([
    ['agent id', (c) => ({ ...c, agentId: otherAgentId })],
    ['issued at', (c) => ({ ...c, issuedAt: c.issuedAt - 1 })],
    ['expires at', (c) => ({ ...c, expiresAt: c.expiresAt + 1 })],
    ['signature', (c) => ({ ...c, signature: flipBit(c.signature, 7) })],
    ['user key swapped', (c) => ({ ...c, userPublicKey: otherUser.publicKey })],
    ['user key truncated', (c) => ({ ...c, userPublicKey: c.userPublicKey.subarray(1) })],
  ])('are rejected when the %s is tampered with', (_label, tamper) => {
    expect(() => verifyAgentCertificate(tamper(certificate), { now })).toThrow(
      expect.objectContaining({ name: 'CertificateSignatureError' }),
    )
  })

  it('are not forged by a signature made under another context', () => {
    const bytes = encodeAgentCertificate(certificate)
    const signed = bytes.subarray(0, bytes.length - 3309)
    const wrongContext = user.sign(signed, signingContext('x0x/something-else/v1'))
    const forged = { ...certificate, signature: wrongContext }
    expect(() => verifyAgentCertificate(forged, { now })).toThrow(
      expect.objectContaining({ name: 'CertificateSignatureError' }),
    )
  })

  it('cannot be issued with an empty or negative window', () => {
    for (const [start, end] of [
      [issuedAt, issuedAt],
      [-1, issuedAt],
      [issuedAt, issuedAt - 5],
      [0.5, 2],
    ] as const) {
      expect(() =>
        issueAgentCertificate({ user, agentId, issuedAt: start, expiresAt: end }),
      ).toThrow(expect.objectContaining({ name: 'InvalidArgumentError' }))
    }
  })

  it('decoding rejects wrong lengths, versions and windows with DecodeError', () => {
    const bytes = encodeAgentCertificate(certificate)
    const badVersion = new Uint8Array(bytes)
    badVersion[0] = 2
    const hugeTime = new Uint8Array(bytes)
    hugeTime.fill(0xff, 1985, 1993)
    for (const input of [bytes.subarray(1), Uint8Array.of(...bytes, 0), badVersion, hugeTime]) {
      expect(() => decodeAgentCertificate(input)).toThrow(
        expect.objectContaining({ name: 'DecodeError' }),
      )
    }
  })

  it('decoding random bytes throws only DecodeError', () => {
    const template = encodeAgentCertificate(certificate)
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 64 }),
          fc.uint8Array({ minLength: 0, maxLength: 40 }).map((noise) => {
            const bytes = new Uint8Array(template)
            bytes.set(noise, 1980)
            return bytes
          }),
        ),
        (bytes) => {
          try {
            decodeAgentCertificate(bytes)
          } catch (error) {
            expect((error as Error).name).toBe('DecodeError')
          }
        },
      ),
      { seed: 11, numRuns: 200 },
    )
  })
})
