// The contact book (API.md §1.8): contacts, their machines, trust and revocations, in the core
// database. Every mutating call is one synchronous SQLite transaction, committed before it
// returns, so whatever a call acknowledged survives a kill -9 (see store/database.ts). Trust
// levels and revocations are mirrored in memory (both are bounded by the book's limits) and kept
// in step after every committed mutation, so the per-message lookup `trustLevelOf` costs no query.
import { systemClock, type Clock } from '@x0x/base'
import { parseAgentId, parseMachineId, type AgentId, type MachineId } from '@x0x/pqc'
import type { TrustDecision } from '../direct/direct-types.js'
import type { CoreDatabase } from '../store/database.js'
import * as sql from './contact-rows.js'
import {
  DEFAULT_MAX_CONTACTS,
  DEFAULT_MAX_MACHINES_PER_CONTACT,
  DEFAULT_MAX_REVOCATIONS,
  type AddContactOptions,
  type AddMachineOptions,
  type Contact,
  type ContactBook,
  type ContactBookOptions,
  type ContactMachine,
  type IdentityType,
  type Revocation,
  type TrustLevel,
} from './contact-types.js'
import { ContactLimitError, RevocationLimitError } from './errors.js'
import { decideTrust } from './trust-evaluation.js'

export type {
  AddContactOptions,
  AddMachineOptions,
  Contact,
  ContactBook,
  ContactBookOptions,
  ContactMachine,
  IdentityType,
  Revocation,
  TrustLevel,
} from './contact-types.js'

/** A contact book over `database` (whose schema `openDatabase` migrated). */
export function createContactBook(
  database: CoreDatabase,
  options: ContactBookOptions = {},
): ContactBook {
  return new SqliteContactBook(database, options)
}

function raisesIdentity(level: TrustLevel): boolean {
  return level === 'known' || level === 'trusted'
}

class SqliteContactBook implements ContactBook {
  readonly #database: CoreDatabase
  readonly #clock: Clock
  readonly #maxContacts: number
  readonly #maxMachines: number
  readonly #maxRevocations: number
  /** Committed trust level of every contact (at most `maxContacts`). */
  readonly #trust = new Map<AgentId, TrustLevel>()
  /** Every revoked agent (at most `maxRevocations`). */
  readonly #revoked = new Set<AgentId>()

  constructor(database: CoreDatabase, options: ContactBookOptions) {
    this.#database = database
    this.#clock = options.clock ?? systemClock
    this.#maxContacts = options.maxContacts ?? DEFAULT_MAX_CONTACTS
    this.#maxMachines = options.maxMachinesPerContact ?? DEFAULT_MAX_MACHINES_PER_CONTACT
    this.#maxRevocations = options.maxRevocations ?? DEFAULT_MAX_REVOCATIONS
    for (const contact of this.list()) this.#trust.set(contact.agentId, contact.trustLevel)
    for (const revocation of this.revocations()) this.#revoked.add(revocation.agentId)
  }

  get size(): number {
    return sql.countFromRow(this.#database.statement(sql.COUNT_CONTACTS).get())
  }

  list(): Contact[] {
    return this.#database.statement(sql.SELECT_CONTACTS).all().map(sql.contactFromRow)
  }

  get(agentId: AgentId): Contact | undefined {
    const row = this.#database.statement(sql.SELECT_CONTACT).get(agentId)
    return row === undefined ? undefined : sql.contactFromRow(row)
  }

  add(agentId: AgentId, options: AddContactOptions = {}): Contact {
    parseAgentId(agentId)
    return this.#mirrored(
      agentId,
      this.#database.transaction(() => {
        const contact = this.#applyTrust(agentId, options.trustLevel ?? 'known')
        if (options.label === undefined || options.label === contact.label) return contact
        return this.#write({ ...contact, label: options.label })
      }),
    )
  }

  setTrust(agentId: AgentId, level: TrustLevel): Contact {
    parseAgentId(agentId)
    return this.#mirrored(
      agentId,
      this.#database.transaction(() => this.#applyTrust(agentId, level)),
    )
  }

  update(
    agentId: AgentId,
    changes: { trustLevel?: TrustLevel; identityType?: IdentityType },
  ): Contact | undefined {
    parseAgentId(agentId)
    return this.#mirrored(
      agentId,
      this.#database.transaction(() => {
        const contact =
          changes.trustLevel === undefined
            ? this.get(agentId)
            : this.#applyTrust(agentId, changes.trustLevel)
        if (contact === undefined || changes.identityType === undefined) return contact
        return this.#write({ ...contact, identityType: changes.identityType })
      }),
    )
  }

  remove(agentId: AgentId): boolean {
    // Machines go with the contact (ON DELETE CASCADE); revocations deliberately stay.
    const removed = this.#database.statement(sql.DELETE_CONTACT).run(agentId).changes > 0
    this.#trust.delete(agentId)
    return removed
  }

  revoke(agentId: AgentId, reason: string, revokerId: AgentId | null = null): Revocation {
    parseAgentId(agentId)
    if (revokerId !== null) parseAgentId(revokerId)
    const revocation = { agentId, reason, timestamp: this.#nowSeconds(), revokerId }
    this.#database.transaction(() => {
      if (!this.isRevoked(agentId)) {
        const count = sql.countFromRow(this.#database.statement(sql.COUNT_REVOCATIONS).get())
        if (count >= this.#maxRevocations) {
          throw new RevocationLimitError(`${this.#maxRevocations} agents are revoked already`)
        }
      }
      this.#database
        .statement(sql.UPSERT_REVOCATION)
        .run(agentId, reason, revocation.timestamp, revokerId)
      this.#database.statement(sql.UPDATE_CONTACT_TRUST).run('blocked', agentId)
    })
    this.#revoked.add(agentId)
    if (this.#trust.has(agentId)) this.#trust.set(agentId, 'blocked')
    return revocation
  }

  revocations(): Revocation[] {
    return this.#database.statement(sql.SELECT_REVOCATIONS).all().map(sql.revocationFromRow)
  }

  isRevoked(agentId: AgentId): boolean {
    return this.#revoked.has(agentId)
  }

  trustLevelOf(agentId: AgentId): TrustLevel | null {
    if (this.#revoked.has(agentId)) return 'blocked'
    return this.#trust.get(agentId) ?? null
  }

  touch(agentId: AgentId, seenAt = this.#nowSeconds()): boolean {
    return this.#database.statement(sql.TOUCH_CONTACT).run(seenAt, agentId).changes > 0
  }

  listMachines(agentId: AgentId): ContactMachine[] {
    return this.#database.statement(sql.SELECT_MACHINES).all(agentId).map(sql.machineFromRow)
  }

  addMachine(
    agentId: AgentId,
    machineId: MachineId,
    options: AddMachineOptions = {},
  ): { machine: ContactMachine; created: boolean } {
    parseAgentId(agentId)
    parseMachineId(machineId)
    const result = this.#database.transaction(() => {
      if (this.get(agentId) === undefined) this.#applyTrust(agentId, 'unknown')
      const existing = this.#machine(agentId, machineId)
      if (existing === undefined) {
        this.#assertMachineRoom(agentId)
        const now = this.#nowSeconds()
        const machine = {
          machineId,
          label: options.label ?? null,
          firstSeen: now,
          lastSeen: now,
          pinned: options.pinned === true,
        }
        this.#database
          .statement(sql.INSERT_MACHINE)
          .run(agentId, machineId, machine.label, now, now, machine.pinned ? 1 : 0)
        return { machine, created: true }
      }
      const machine = {
        ...existing,
        label: options.label ?? existing.label,
        pinned: existing.pinned || options.pinned === true,
      }
      this.#database
        .statement(sql.UPDATE_MACHINE)
        .run(machine.label, machine.pinned ? 1 : 0, agentId, machineId)
      return { machine, created: false }
    })
    if (!this.#trust.has(agentId)) this.#mirrored(agentId, this.get(agentId))
    return result
  }

  removeMachine(agentId: AgentId, machineId: MachineId): boolean {
    return this.#database.statement(sql.DELETE_MACHINE).run(agentId, machineId).changes > 0
  }

  pinMachine(agentId: AgentId, machineId: MachineId): boolean {
    return this.#database.statement(sql.SET_MACHINE_PINNED).run(1, agentId, machineId).changes > 0
  }

  unpinMachine(agentId: AgentId, machineId: MachineId): boolean {
    return this.#database.statement(sql.SET_MACHINE_PINNED).run(0, agentId, machineId).changes > 0
  }

  recordMachineSeen(agentId: AgentId, machineId: MachineId, seenAt = this.#nowSeconds()): boolean {
    return this.#database.transaction(() => {
      if (!this.touch(agentId, seenAt)) return false
      const statement = this.#database.statement(sql.TOUCH_MACHINE)
      if (statement.run(seenAt, agentId, machineId).changes > 0) return true
      if (this.#machineCount(agentId) >= this.#maxMachines) return false
      parseMachineId(machineId)
      this.#database.statement(sql.INSERT_MACHINE).run(agentId, machineId, null, seenAt, seenAt, 0)
      return true
    })
  }

  evaluateTrust(agentId: AgentId, machineId: MachineId): TrustDecision {
    const contact = this.get(agentId)
    return decideTrust(
      {
        contact,
        machines: contact === undefined ? [] : this.listMachines(agentId),
        revoked: this.isRevoked(agentId),
      },
      machineId,
    )
  }

  /** Records the committed trust level of `contact` (returned unchanged) in the mirror. */
  #mirrored<T extends Contact | undefined>(agentId: AgentId, contact: T): T {
    if (contact === undefined) this.#trust.delete(agentId)
    else this.#trust.set(agentId, contact.trustLevel)
    return contact
  }

  /** The trust setter shared by add, setTrust and update; call inside a transaction. */
  #applyTrust(agentId: AgentId, requested: TrustLevel): Contact {
    const trustLevel = this.isRevoked(agentId) ? 'blocked' : requested
    const existing = this.get(agentId)
    if (existing === undefined) {
      const count = sql.countFromRow(this.#database.statement(sql.COUNT_CONTACTS).get())
      if (count >= this.#maxContacts) {
        throw new ContactLimitError(`the contact book is full (${this.#maxContacts} contacts)`)
      }
      const contact: Contact = {
        agentId,
        trustLevel,
        label: null,
        addedAt: this.#nowSeconds(),
        lastSeen: null,
        identityType: raisesIdentity(trustLevel) ? 'known' : 'anonymous',
      }
      this.#database
        .statement(sql.INSERT_CONTACT)
        .run(agentId, trustLevel, null, contact.addedAt, contact.identityType)
      return contact
    }
    const identityType =
      existing.identityType === 'anonymous' && raisesIdentity(trustLevel)
        ? 'known'
        : existing.identityType
    return this.#write({ ...existing, trustLevel, identityType })
  }

  #write(contact: Contact): Contact {
    this.#database
      .statement(sql.UPDATE_CONTACT)
      .run(contact.trustLevel, contact.label, contact.identityType, contact.agentId)
    return contact
  }

  #machine(agentId: AgentId, machineId: MachineId): ContactMachine | undefined {
    const row = this.#database.statement(sql.SELECT_MACHINE).get(agentId, machineId)
    return row === undefined ? undefined : sql.machineFromRow(row)
  }

  #machineCount(agentId: AgentId): number {
    return sql.countFromRow(this.#database.statement(sql.COUNT_MACHINES).get(agentId))
  }

  #assertMachineRoom(agentId: AgentId): void {
    if (this.#machineCount(agentId) >= this.#maxMachines) {
      throw new ContactLimitError(
        `contact ${agentId} has ${this.#maxMachines} machines, the most it may have`,
      )
    }
  }

  #nowSeconds(): number {
    return Math.floor(this.#clock.now() / 1000)
  }
}
