import { createEphemeralIdentity, createPqcBackend } from '@x0x/pqc'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createAgentCard,
  decodeAnnouncement,
  decodeDirectFrame,
  encodeAgentCardLink,
  encodeAnnouncement,
  encodeDirectAck,
  encodeDirectMessage,
  parseAgentCardLink,
} from '../src/index.js'

const backend = createPqcBackend('native')
const alice = createEphemeralIdentity({ backend })
const bob = createEphemeralIdentity({ backend })

function announcementOf(identity = alice, machine = identity.machine) {
  return encodeAnnouncement(
    {
      agentPublicKey: identity.agent.publicKey,
      machinePublicKey: machine.publicKey,
      kemPublicKey: identity.agentKem.publicKey,
      addresses: ['127.0.0.1:5483', '[::1]:5483'],
      announcedAt: 1_700_000_000_000,
    },
    machine,
  )
}

describe('identity announcements', () => {
  it('round-trip and bind the agent to the machine that signed', () => {
    const decoded = decodeAnnouncement(announcementOf(), alice.agentId, backend, Date.now())
    expect(decoded.agentId).toBe(alice.agentId)
    expect(decoded.machineId).toBe(alice.machineId)
    expect(decoded.addresses).toEqual(['127.0.0.1:5483', '[::1]:5483'])
    expect(decoded.userId).toBeUndefined()
  })

  it('reject an announcement relayed under another agent as origin', () => {
    expect(() => decodeAnnouncement(announcementOf(), bob.agentId, backend, 0)).toThrow(
      expect.objectContaining({ name: 'InvalidAnnouncementError' }) as Error,
    )
  })

  it('reject a machine public key that did not sign the body', () => {
    const bytes = announcementOf()
    const forged = encodeAnnouncement(
      {
        agentPublicKey: alice.agent.publicKey,
        machinePublicKey: bob.machine.publicKey,
        kemPublicKey: alice.agentKem.publicKey,
        addresses: [],
        announcedAt: 1,
      },
      alice.machine,
    )
    expect(bytes.length).toBeGreaterThan(0)
    expect(() => decodeAnnouncement(forged, alice.agentId, backend, 0)).toThrow(/machine signature/)
  })

  it('reject any flipped byte', () => {
    const bytes = announcementOf()
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), (index) => {
        const tampered = bytes.slice()
        tampered[index] = (tampered[index] ?? 0) ^ 0x01
        expect(() => decodeAnnouncement(tampered, alice.agentId, backend, 0)).toThrow()
      }),
      { numRuns: 25 },
    )
  })

  it('reject garbage with the package error only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 9_000 }), (bytes) => {
        expect(() => decodeAnnouncement(bytes, alice.agentId, backend, 0)).toThrow(
          expect.objectContaining({ name: 'InvalidAnnouncementError' }) as Error,
        )
      }),
      { numRuns: 100 },
    )
  })
})

describe('direct message frames', () => {
  const init = {
    requestId: new Uint8Array(16).fill(7),
    sentAt: 1_700_000_000_000,
    recipient: bob.agentId,
    payload: new TextEncoder().encode('hi bob'),
  }

  it('carry a verifiable signature of the sender over every field', () => {
    const frame = decodeDirectFrame(encodeDirectMessage(init, alice.agent), backend)
    expect(frame).toMatchObject({ type: 'message', sender: alice.agentId, recipient: bob.agentId })
  })

  it('reject a tampered payload, recipient or time', () => {
    const bytes = encodeDirectMessage(init, alice.agent)
    for (const index of [20, 17 + 8 + 1952 + 3, bytes.length - 3_400]) {
      const tampered = bytes.slice()
      tampered[index] = (tampered[index] ?? 0) ^ 0x80
      expect(() => decodeDirectFrame(tampered, backend)).toThrow(
        expect.objectContaining({ name: 'DecodeError' }) as Error,
      )
    }
  })

  it('decode acknowledgements and refuse unknown frame types', () => {
    expect(decodeDirectFrame(encodeDirectAck(init.requestId, 'rejected'), backend)).toEqual({
      type: 'ack',
      requestId: init.requestId,
      status: 'rejected',
    })
    expect(() => decodeDirectFrame(Uint8Array.of(9, 1, 2), backend)).toThrow(/unknown/)
  })
})

describe('agent cards', () => {
  const card = createAgentCard({
    displayName: 'alice',
    agentId: alice.agentId,
    machineId: alice.machineId,
    addresses: ['192.0.2.1:5483'],
    createdAt: 1_700_000_000,
    kemPublicKey: alice.agentKem.publicKey,
  })

  it('round-trip through an x0x://agent/ link with x0x field order', () => {
    const link = encodeAgentCardLink(card)
    expect(link.startsWith('x0x://agent/')).toBe(true)
    const json = Buffer.from(link.slice('x0x://agent/'.length), 'base64url').toString()
    expect(Object.keys(JSON.parse(json) as object)).toEqual([
      'display_name',
      'agent_id',
      'machine_id',
      'addresses',
      'created_at',
      'dm_capabilities',
    ])
    expect(parseAgentCardLink(link)).toEqual(card)
    expect(parseAgentCardLink(link.slice('x0x://agent/'.length))).toEqual(card)
  })

  it('reject malformed links with an "invalid card" error', () => {
    for (const link of [
      '',
      'x0x://agent/!!',
      'x0x://agent/' + Buffer.from('[1]').toString('base64url'),
    ]) {
      expect(() => parseAgentCardLink(link)).toThrow(/^invalid card/)
    }
    const badId = encodeAgentCardLink({ ...card, agent_id: 'zz' as typeof card.agent_id })
    expect(() => parseAgentCardLink(badId)).toThrow('invalid card: agent_id')
  })
})
