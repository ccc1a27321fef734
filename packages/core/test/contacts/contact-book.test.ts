import { VirtualClock } from '@x0x/base'
import type { AgentId, MachineId } from '@x0x/pqc'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createContactBook,
  type ContactBook,
  type ContactBookOptions,
} from '../../src/contacts/contact-book.js'
import { parseIdentityType, parseTrustLevel } from '../../src/contacts/contact-types.js'
import { openMemoryDatabase } from '../../src/store/database.js'
import { testAgentId, testMachineId } from '../store/temporary-directory.js'

const START_MS = 1_700_000_000_500
const START_S = 1_700_000_000
const alice = testAgentId(0xa11ce)
const bob = testAgentId(0xb0b)
const laptop = testMachineId(0x1a)
const server = testMachineId(0x5e)

function book(options: ContactBookOptions = {}) {
  const clock = new VirtualClock({ startTime: START_MS })
  return { clock, contacts: createContactBook(openMemoryDatabase(), { clock, ...options }) }
}

describe('parseTrustLevel', () => {
  it('accepts every level in any case', () => {
    expect(parseTrustLevel('Trusted')).toBe('trusted')
    expect(parseTrustLevel('BLOCKED')).toBe('blocked')
    expect(parseTrustLevel('unknown')).toBe('unknown')
    expect(parseTrustLevel('kNoWn')).toBe('known')
  })

  it("rejects anything else with x0x's message", () => {
    expect(() => parseTrustLevel('friend')).toThrow(
      expect.objectContaining({
        name: 'InvalidTrustLevelError',
        message: 'invalid trust level: friend (valid values: blocked, unknown, known, trusted)',
      }),
    )
    expect(() => parseTrustLevel('')).toThrow('invalid trust level:  (valid values:')
  })

  it('has a sibling for identity types', () => {
    expect(parseIdentityType('Pinned')).toBe('pinned')
    expect(() => parseIdentityType('friend')).toThrow(
      expect.objectContaining({ name: 'InvalidIdentityTypeError' }),
    )
  })
})

describe('ContactBook contacts', () => {
  it('adds a contact as known by default, with times in seconds', () => {
    const { contacts } = book()
    expect(contacts.add(alice)).toEqual({
      agentId: alice,
      trustLevel: 'known',
      label: null,
      addedAt: START_S,
      lastSeen: null,
      identityType: 'known',
    })
    expect(contacts.get(alice)).toEqual(contacts.add(alice))
    expect(contacts.list()).toHaveLength(1)
    expect(contacts.size).toBe(1)
  })

  it('adds an unknown contact as anonymous', () => {
    const { contacts } = book()
    expect(contacts.add(alice, { trustLevel: 'unknown' }).identityType).toBe('anonymous')
  })

  it('upserts: keeps added_at, replaces trust, sets or clears or keeps the label', () => {
    const { contacts, clock } = book()
    contacts.add(alice, { trustLevel: 'unknown', label: 'Alice' })
    clock.advance(60_000)
    expect(contacts.add(alice, { trustLevel: 'trusted' })).toMatchObject({
      trustLevel: 'trusted',
      label: 'Alice',
      addedAt: START_S,
    })
    expect(contacts.add(alice, { label: 'A.' }).label).toBe('A.')
    expect(contacts.add(alice, { label: null }).label).toBeNull()
    expect(contacts.list()).toHaveLength(1)
  })

  it('lists contacts oldest first', () => {
    const { contacts, clock } = book()
    contacts.add(bob)
    clock.advance(1_000)
    contacts.add(alice)
    expect(contacts.list().map((contact) => contact.agentId)).toEqual([bob, alice])
  })

  it('setTrust creates an absent contact', () => {
    const { contacts } = book()
    expect(contacts.setTrust(alice, 'blocked')).toMatchObject({
      trustLevel: 'blocked',
      identityType: 'anonymous',
      addedAt: START_S,
    })
  })

  it('raising to known or trusted turns anonymous into known, and only anonymous', () => {
    const { contacts } = book()
    contacts.add(alice, { trustLevel: 'unknown' })
    expect(contacts.setTrust(alice, 'blocked').identityType).toBe('anonymous')
    expect(contacts.setTrust(alice, 'trusted').identityType).toBe('known')
    contacts.update(alice, { identityType: 'pinned' })
    expect(contacts.setTrust(alice, 'known').identityType).toBe('pinned')
    expect(contacts.setTrust(alice, 'unknown')).toMatchObject({
      trustLevel: 'unknown',
      identityType: 'pinned',
    })
  })

  it('forces a revoked agent to blocked through every trust setter', () => {
    const { contacts } = book()
    contacts.revoke(alice, 'key leaked')
    expect(contacts.setTrust(alice, 'trusted').trustLevel).toBe('blocked')
    expect(contacts.add(alice, { trustLevel: 'trusted' }).trustLevel).toBe('blocked')
    expect(contacts.update(alice, { trustLevel: 'known' })?.trustLevel).toBe('blocked')
    expect(contacts.get(alice)?.identityType).toBe('anonymous')
  })

  it('update creates the contact only when a trust level is given', () => {
    const { contacts } = book()
    expect(contacts.update(alice, { identityType: 'trusted' })).toBeUndefined()
    expect(contacts.get(alice)).toBeUndefined()
    expect(
      contacts.update(alice, { trustLevel: 'unknown', identityType: 'trusted' }),
    ).toMatchObject({ trustLevel: 'unknown', identityType: 'trusted' })
    expect(contacts.update(alice, { identityType: 'anonymous' })?.identityType).toBe('anonymous')
    expect(contacts.update(alice, {})?.trustLevel).toBe('unknown')
  })

  it('remove reports whether the contact existed, and takes its machines', () => {
    const { contacts } = book()
    contacts.add(alice)
    contacts.addMachine(alice, laptop)
    expect(contacts.remove(alice)).toBe(true)
    expect(contacts.remove(alice)).toBe(false)
    expect(contacts.listMachines(alice)).toEqual([])
    contacts.add(alice)
    expect(contacts.listMachines(alice)).toEqual([])
  })

  it('touch records last_seen, never backwards, and only for contacts', () => {
    const { contacts, clock } = book()
    expect(contacts.touch(alice)).toBe(false)
    expect(contacts.get(alice)).toBeUndefined()
    contacts.add(alice)
    clock.advance(5_000)
    expect(contacts.touch(alice)).toBe(true)
    expect(contacts.get(alice)?.lastSeen).toBe(START_S + 5)
    contacts.touch(alice, START_S)
    expect(contacts.get(alice)?.lastSeen).toBe(START_S + 5)
  })

  it('refuses ids that are not 64 lowercase hex characters', () => {
    const { contacts } = book()
    expect(() => contacts.add('ABC' as AgentId)).toThrow(
      expect.objectContaining({ name: 'InvalidIdError' }),
    )
    expect(() => contacts.addMachine(alice, 'nope' as MachineId)).toThrow(
      expect.objectContaining({ name: 'InvalidIdError' }),
    )
    expect(contacts.size).toBe(0)
  })
})

describe('ContactBook revocations', () => {
  it('records the revocation and blocks the contact', () => {
    const { contacts } = book()
    contacts.add(alice, { trustLevel: 'trusted' })
    expect(contacts.revoke(alice, 'compromised', bob)).toEqual({
      agentId: alice,
      reason: 'compromised',
      timestamp: START_S,
      revokerId: bob,
    })
    expect(contacts.get(alice)?.trustLevel).toBe('blocked')
    expect(contacts.isRevoked(alice)).toBe(true)
    expect(contacts.isRevoked(bob)).toBe(false)
  })

  it('returns every revocation; a second revoke replaces the first', () => {
    const { contacts, clock } = book()
    contacts.revoke(alice, 'first')
    clock.advance(2_000)
    contacts.revoke(bob, 'other')
    contacts.revoke(alice, 'second')
    expect(contacts.revocations()).toEqual([
      { agentId: bob, reason: 'other', timestamp: START_S + 2, revokerId: null },
      { agentId: alice, reason: 'second', timestamp: START_S + 2, revokerId: null },
    ])
  })

  it('does not add a revoked stranger to the contacts, and survives removing the contact', () => {
    const { contacts } = book()
    contacts.revoke(alice, 'spam')
    expect(contacts.get(alice)).toBeUndefined()
    contacts.add(bob)
    contacts.revoke(bob, 'spam')
    contacts.remove(bob)
    expect(contacts.isRevoked(bob)).toBe(true)
  })
})

describe('ContactBook limits', () => {
  it('refuses a contact beyond maxContacts but still updates existing ones', () => {
    const { contacts } = book({ maxContacts: 2 })
    contacts.add(alice)
    contacts.setTrust(bob, 'known')
    const carol = testAgentId(0xca)
    expect(() => contacts.add(carol)).toThrow(
      expect.objectContaining({ name: 'ContactLimitError' }),
    )
    expect(() => contacts.setTrust(carol, 'trusted')).toThrow(
      expect.objectContaining({ name: 'ContactLimitError' }),
    )
    expect(() => contacts.addMachine(carol, laptop)).toThrow(
      expect.objectContaining({ name: 'ContactLimitError' }),
    )
    expect(contacts.add(alice, { trustLevel: 'trusted' }).trustLevel).toBe('trusted')
    expect(contacts.size).toBe(2)
  })

  it('refuses a machine beyond maxMachinesPerContact; recordMachineSeen skips it', () => {
    const { contacts } = book({ maxMachinesPerContact: 2 })
    contacts.add(alice)
    contacts.addMachine(alice, laptop)
    contacts.addMachine(alice, server)
    const third = testMachineId(0x3)
    expect(() => contacts.addMachine(alice, third)).toThrow(
      expect.objectContaining({ name: 'ContactLimitError' }),
    )
    expect(contacts.recordMachineSeen(alice, third)).toBe(false)
    expect(contacts.addMachine(alice, laptop).created).toBe(false)
    expect(contacts.recordMachineSeen(alice, laptop)).toBe(true)
    expect(contacts.listMachines(alice)).toHaveLength(2)
    contacts.add(bob)
    expect(contacts.addMachine(bob, third).created).toBe(true) // the bound is per contact
  })

  it('refuses a revocation beyond maxRevocations but re-revokes a revoked agent', () => {
    const { contacts } = book({ maxRevocations: 1 })
    contacts.revoke(alice, 'one')
    expect(() => contacts.revoke(bob, 'two')).toThrow(
      expect.objectContaining({ name: 'RevocationLimitError' }),
    )
    expect(contacts.revoke(alice, 'again').reason).toBe('again')
    expect(contacts.isRevoked(bob)).toBe(false)
  })
})

describe('ContactBook machines', () => {
  it('adds a machine once, reporting whether it was created', () => {
    const { contacts, clock } = book()
    contacts.add(alice)
    const first = contacts.addMachine(alice, laptop, { label: 'laptop' })
    expect(first).toEqual({
      created: true,
      machine: {
        machineId: laptop,
        label: 'laptop',
        firstSeen: START_S,
        lastSeen: START_S,
        pinned: false,
      },
    })
    clock.advance(10_000)
    const again = contacts.addMachine(alice, laptop, { label: null })
    expect(again).toEqual({ created: false, machine: first.machine })
    expect(contacts.listMachines(alice)).toEqual([first.machine])
  })

  it('creates an absent contact with trust unknown', () => {
    const { contacts } = book()
    contacts.addMachine(alice, laptop)
    expect(contacts.get(alice)).toMatchObject({ trustLevel: 'unknown', identityType: 'anonymous' })
  })

  it('pins through addMachine but never unpins through it', () => {
    const { contacts } = book()
    contacts.addMachine(alice, laptop, { pinned: true })
    expect(contacts.addMachine(alice, laptop, { pinned: false }).machine.pinned).toBe(true)
    expect(contacts.addMachine(alice, server).machine.pinned).toBe(false)
    expect(contacts.addMachine(alice, server, { pinned: true }).machine.pinned).toBe(true)
  })

  it('pin, unpin and remove report whether the machine exists', () => {
    const { contacts } = book()
    contacts.addMachine(alice, laptop)
    expect(contacts.pinMachine(alice, laptop)).toBe(true)
    expect(contacts.listMachines(alice)[0]?.pinned).toBe(true)
    expect(contacts.unpinMachine(alice, laptop)).toBe(true)
    expect(contacts.listMachines(alice)[0]?.pinned).toBe(false)
    expect(contacts.pinMachine(alice, server)).toBe(false)
    expect(contacts.unpinMachine(bob, laptop)).toBe(false)
    expect(contacts.removeMachine(alice, laptop)).toBe(true)
    expect(contacts.removeMachine(alice, laptop)).toBe(false)
  })

  it('recordMachineSeen updates both last_seen times and records a new machine', () => {
    const { contacts, clock } = book()
    expect(contacts.recordMachineSeen(alice, laptop)).toBe(false)
    expect(contacts.get(alice)).toBeUndefined()
    contacts.add(alice)
    clock.advance(3_000)
    expect(contacts.recordMachineSeen(alice, laptop)).toBe(true)
    expect(contacts.listMachines(alice)).toEqual([
      {
        machineId: laptop,
        label: null,
        firstSeen: START_S + 3,
        lastSeen: START_S + 3,
        pinned: false,
      },
    ])
    clock.advance(4_000)
    contacts.recordMachineSeen(alice, laptop)
    expect(contacts.listMachines(alice)[0]).toMatchObject({
      firstSeen: START_S + 3,
      lastSeen: START_S + 7,
    })
    expect(contacts.get(alice)?.lastSeen).toBe(START_S + 7)
  })
})

describe('trustLevelOf', () => {
  const agents = [alice, bob, testAgentId(0xca1)]
  const levels = ['blocked', 'unknown', 'known', 'trusted'] as const
  const agent = fc.constantFrom(...agents)
  const operation = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), agent, level: fc.constantFrom(...levels) }),
    fc.record({ kind: fc.constant('set' as const), agent, level: fc.constantFrom(...levels) }),
    fc.record({ kind: fc.constant('update' as const), agent, level: fc.constantFrom(...levels) }),
    fc.record({ kind: fc.constant('remove' as const), agent }),
    fc.record({ kind: fc.constant('revoke' as const), agent }),
    fc.record({ kind: fc.constant('machine' as const), agent }),
  )

  /** What the database itself says: a revoked agent is blocked, a stranger null. */
  function truth(contacts: ContactBook, agentId: AgentId) {
    if (contacts.revocations().some((revocation) => revocation.agentId === agentId)) {
      return 'blocked'
    }
    return contacts.get(agentId)?.trustLevel ?? null
  }

  it('answers from memory in step with every committed mutation, failed ones included', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
        const { contacts } = book({ maxContacts: 2, maxRevocations: 1, maxMachinesPerContact: 1 })
        for (const op of operations) {
          try {
            if (op.kind === 'add') contacts.add(op.agent, { trustLevel: op.level })
            if (op.kind === 'set') contacts.setTrust(op.agent, op.level)
            if (op.kind === 'update') contacts.update(op.agent, { trustLevel: op.level })
            if (op.kind === 'remove') contacts.remove(op.agent)
            if (op.kind === 'revoke') contacts.revoke(op.agent, 'test')
            if (op.kind === 'machine') contacts.addMachine(op.agent, testMachineId(op.kind.length))
          } catch (error) {
            // The limits above make some mutations fail; they must leave the mirror unchanged.
            expect((error as Error).name).toMatch(/^(ContactLimitError|RevocationLimitError)$/)
          }
          for (const agentId of agents) {
            expect(contacts.trustLevelOf(agentId)).toBe(truth(contacts, agentId))
            const revoked = contacts.revocations().some((entry) => entry.agentId === agentId)
            expect(contacts.isRevoked(agentId)).toBe(revoked)
          }
        }
      }),
      { numRuns: 200 },
    )
  })
})
