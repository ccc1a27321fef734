import { join } from 'node:path'
import { VirtualClock } from '@x0x/base'
import { describe, expect, it } from 'vitest'
import { createContactBook } from '../../src/contacts/contact-book.js'
import { openDatabase } from '../../src/store/database.js'
import { testAgentId, testMachineId, useTemporaryDirectory } from '../store/temporary-directory.js'

const alice = testAgentId(0xa11ce)
const bob = testAgentId(0xb0b)
const laptop = testMachineId(0x1a)

describe('ContactBook persistence', () => {
  const directory = useTemporaryDirectory()

  it('keeps contacts, machines, pins and revocations across close and reopen', () => {
    const path = join(directory(), 'x0x.sqlite')
    const clock = new VirtualClock({ startTime: 1_700_000_000_000 })
    const first = openDatabase(path)
    const before = createContactBook(first, { clock })
    before.add(alice, { trustLevel: 'trusted', label: 'Alice' })
    before.addMachine(alice, laptop, { label: 'laptop', pinned: true })
    before.touch(alice, 1_700_000_123)
    before.add(bob)
    before.revoke(bob, 'spam', alice)
    const contacts = before.list()
    const machines = before.listMachines(alice)
    const revocations = before.revocations()
    first.close()

    const second = openDatabase(path)
    const after = createContactBook(second, { clock })
    expect(after.list()).toEqual(contacts)
    expect(after.listMachines(alice)).toEqual(machines)
    expect(after.revocations()).toEqual(revocations)
    expect(after.get(bob)?.trustLevel).toBe('blocked')
    expect(after.trustLevelOf(alice)).toBe('trusted')
    expect(after.trustLevelOf(bob)).toBe('blocked')
    expect(after.isRevoked(bob)).toBe(true)
    expect(after.get(alice)?.lastSeen).toBe(1_700_000_123)
    expect(after.evaluateTrust(alice, laptop)).toBe('accept')
    expect(after.evaluateTrust(bob, laptop)).toBe('reject_blocked')
    second.close()
  })

  it('leaves nothing of a mutation that failed halfway', () => {
    const path = join(directory(), 'x0x.sqlite')
    const database = openDatabase(path)
    const contacts = createContactBook(database, { maxMachinesPerContact: 0 })
    // addMachine creates the contact first, then hits the machine limit: all or nothing.
    expect(() => contacts.addMachine(alice, laptop)).toThrow(
      expect.objectContaining({ name: 'ContactLimitError' }),
    )
    database.close()
    const reopened = openDatabase(path)
    expect(contacts.trustLevelOf(alice)).toBeNull()
    expect(createContactBook(reopened).get(alice)).toBeUndefined()
    reopened.close()
  })
})
