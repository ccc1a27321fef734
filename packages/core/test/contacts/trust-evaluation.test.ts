import type { MachineId } from '@x0x/pqc'
import { describe, expect, it } from 'vitest'
import { createContactBook } from '../../src/contacts/contact-book.js'
import type { TrustLevel } from '../../src/contacts/contact-types.js'
import { openMemoryDatabase } from '../../src/store/database.js'
import { testAgentId, testMachineId } from '../store/temporary-directory.js'

const alice = testAgentId(0xa11ce)
const recorded = testMachineId(0x1)
const pinned = testMachineId(0x2)
const stranger = testMachineId(0x3)

interface Setup {
  trust?: TrustLevel
  machines?: 'none' | 'recorded' | 'recorded+pinned'
  revoked?: boolean
}

function evaluate(setup: Setup, machineId: MachineId) {
  const contacts = createContactBook(openMemoryDatabase())
  if (setup.trust !== undefined) {
    contacts.add(alice, { trustLevel: setup.trust })
    if (setup.machines !== 'none') contacts.addMachine(alice, recorded)
    if (setup.machines === 'recorded+pinned') contacts.addMachine(alice, pinned, { pinned: true })
  }
  if (setup.revoked === true) contacts.revoke(alice, 'revoked')
  return contacts.evaluateTrust(alice, machineId)
}

describe('ContactBook.evaluateTrust', () => {
  it.each([
    ['no contact', {}, stranger, 'unknown'],
    ['revoked stranger', { revoked: true }, stranger, 'reject_blocked'],
    ['revoked trusted contact', { trust: 'trusted', revoked: true }, recorded, 'reject_blocked'],
    ['blocked, recorded machine', { trust: 'blocked' }, recorded, 'reject_blocked'],
    [
      'blocked, pinned machine',
      { trust: 'blocked', machines: 'recorded+pinned' },
      pinned,
      'reject_blocked',
    ],
    ['known, recorded machine', { trust: 'known' }, recorded, 'accept'],
    ['trusted, recorded machine', { trust: 'trusted' }, recorded, 'accept'],
    ['known, unrecorded machine', { trust: 'known' }, stranger, 'accept_with_flag'],
    ['trusted, no machines', { trust: 'trusted', machines: 'none' }, stranger, 'accept_with_flag'],
    [
      'trusted, pinned machine',
      { trust: 'trusted', machines: 'recorded+pinned' },
      pinned,
      'accept',
    ],
    [
      'trusted, unpinned recorded machine while one is pinned',
      { trust: 'trusted', machines: 'recorded+pinned' },
      recorded,
      'reject_machine_mismatch',
    ],
    [
      'known, stranger machine while one is pinned',
      { trust: 'known', machines: 'recorded+pinned' },
      stranger,
      'reject_machine_mismatch',
    ],
    [
      'unknown, stranger machine while one is pinned',
      { trust: 'unknown', machines: 'recorded+pinned' },
      stranger,
      'reject_machine_mismatch',
    ],
    [
      'unknown, pinned machine',
      { trust: 'unknown', machines: 'recorded+pinned' },
      pinned,
      'unknown',
    ],
    ['unknown, recorded machine', { trust: 'unknown' }, recorded, 'unknown'],
  ] satisfies [string, Setup, MachineId, string][])(
    '%s → %s',
    (_name, setup, machineId, decision) => {
      expect(evaluate(setup, machineId)).toBe(decision)
    },
  )

  it('accepts with a flag again once the only pin is removed', () => {
    const contacts = createContactBook(openMemoryDatabase())
    contacts.add(alice, { trustLevel: 'known' })
    contacts.addMachine(alice, pinned, { pinned: true })
    expect(contacts.evaluateTrust(alice, stranger)).toBe('reject_machine_mismatch')
    contacts.unpinMachine(alice, pinned)
    expect(contacts.evaluateTrust(alice, stranger)).toBe('accept_with_flag')
    expect(contacts.evaluateTrust(alice, pinned)).toBe('accept')
  })
})
