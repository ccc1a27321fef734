// The records of the contact book (API.md §1.8). Times are Unix seconds, as x0x shows them.
import type { Clock } from '@x0x/base'
import type { AgentId, MachineId } from '@x0x/pqc'
import type { TrustDecision } from '../direct/direct-types.js'
import { InvalidIdentityTypeError, InvalidTrustLevelError } from './errors.js'

/** Every trust level, lowest first. */
export const TRUST_LEVELS = ['blocked', 'unknown', 'known', 'trusted'] as const

/** How much the local user trusts an agent. */
export type TrustLevel = (typeof TRUST_LEVELS)[number]

/** Every identity type. */
export const IDENTITY_TYPES = ['anonymous', 'known', 'trusted', 'pinned'] as const

/** How well the agent's identity is established (x0x `identity_type`). */
export type IdentityType = (typeof IDENTITY_TYPES)[number]

/** An agent in the contact book. */
export interface Contact {
  readonly agentId: AgentId
  readonly trustLevel: TrustLevel
  readonly label: string | null
  /** Unix seconds. */
  readonly addedAt: number
  /** Unix seconds of the last message or announcement seen, null before the first. */
  readonly lastSeen: number | null
  readonly identityType: IdentityType
}

/** A machine a contact was seen on or was declared to run on. */
export interface ContactMachine {
  readonly machineId: MachineId
  readonly label: string | null
  /** Unix seconds. */
  readonly firstSeen: number
  /** Unix seconds. */
  readonly lastSeen: number
  /** A pinned machine is the only kind the contact is accepted from (see `evaluateTrust`). */
  readonly pinned: boolean
}

/** A revoked agent: dropped at ingest forever. */
export interface Revocation {
  readonly agentId: AgentId
  readonly reason: string
  /** Unix seconds. */
  readonly timestamp: number
  /** The agent that revoked it, when known. */
  readonly revokerId: AgentId | null
}

/**
 * Parses a trust level, case-insensitively (x0x accepts `"Trusted"`).
 *
 * @throws InvalidTrustLevelError with x0x's message text
 */
export function parseTrustLevel(text: string): TrustLevel {
  const level = TRUST_LEVELS.find((candidate) => candidate === text.toLowerCase())
  if (level === undefined) {
    throw new InvalidTrustLevelError(
      `invalid trust level: ${text} (valid values: ${TRUST_LEVELS.join(', ')})`,
    )
  }
  return level
}

/**
 * Parses an identity type, case-insensitively.
 *
 * @throws InvalidIdentityTypeError
 */
export function parseIdentityType(text: string): IdentityType {
  const type = IDENTITY_TYPES.find((candidate) => candidate === text.toLowerCase())
  if (type === undefined) {
    throw new InvalidIdentityTypeError(
      `invalid identity type: ${text} (valid values: ${IDENTITY_TYPES.join(', ')})`,
    )
  }
  return type
}

/** Contacts kept at most; adding one more throws `ContactLimitError`. */
export const DEFAULT_MAX_CONTACTS = 10_000
/** Machines per contact at most; x0x users run an agent on a handful of machines. */
export const DEFAULT_MAX_MACHINES_PER_CONTACT = 64
/** Revoked agents at most; revocations are never evicted, so the next one is refused. */
export const DEFAULT_MAX_REVOCATIONS = 10_000

/** Options of `createContactBook`. */
export interface ContactBookOptions {
  /** Default: `systemClock`. Times are stored in Unix seconds. */
  clock?: Clock
  /** Default: 10,000. When full, adding a contact throws `ContactLimitError`. */
  maxContacts?: number
  /** Default: 64. When full, `addMachine` throws and `recordMachineSeen` records nothing. */
  maxMachinesPerContact?: number
  /** Default: 10,000. When full, `revoke` of a new agent throws `RevocationLimitError`. */
  maxRevocations?: number
}

/** Options of `add`. */
export interface AddContactOptions {
  /** Default: `known`. */
  trustLevel?: TrustLevel
  /** A string sets it, null clears it, absent keeps the current label. */
  label?: string | null
}

/** Options of `addMachine`. */
export interface AddMachineOptions {
  /** A string sets it; null or absent keeps the current label. */
  label?: string | null
  /** true pins the machine; false or absent never unpins one (use `unpinMachine`). */
  pinned?: boolean
}

/** What the local user knows and decided about other agents. */
export interface ContactBook {
  /** Contacts held. */
  readonly size: number
  /** Every contact, oldest first. */
  list(): Contact[]
  get(agentId: AgentId): Contact | undefined
  /**
   * Adds the contact or updates it (upsert) with the trust setter rules of `setTrust`.
   *
   * @throws ContactLimitError when it is new and the book is full
   */
  add(agentId: AgentId, options?: AddContactOptions): Contact
  /**
   * Sets the trust level, creating the contact when absent. A revoked agent is forced to
   * `blocked`; raising to `known`/`trusted` turns identity type `anonymous` into `known`.
   *
   * @throws ContactLimitError
   */
  setTrust(agentId: AgentId, level: TrustLevel): Contact
  /**
   * PATCH semantics: creates the contact only when `trustLevel` is given; an explicit
   * `identityType` is applied after the trust rules. Undefined when the contact is absent.
   *
   * @throws ContactLimitError
   */
  update(
    agentId: AgentId,
    changes: { trustLevel?: TrustLevel; identityType?: IdentityType },
  ): Contact | undefined
  /** Removes the contact and its machines; false when it was not a contact. Revocations stay. */
  remove(agentId: AgentId): boolean
  /**
   * Revokes the agent forever and blocks the contact if there is one.
   *
   * @throws RevocationLimitError
   */
  revoke(agentId: AgentId, reason: string, revokerId?: AgentId | null): Revocation
  /** Every revocation, oldest first (x0x returns all, whatever agent was asked about). */
  revocations(): Revocation[]
  isRevoked(agentId: AgentId): boolean
  /**
   * The sender's local trust level for per-message filtering: `blocked` for a revoked agent,
   * null for an agent that is not a contact. Answered from memory, without a query.
   */
  trustLevelOf(agentId: AgentId): TrustLevel | null
  /** Records that the contact was seen at `seenAt` (Unix seconds); false when not a contact. */
  touch(agentId: AgentId, seenAt?: number): boolean
  /** The contact's machines, first seen first; empty when not a contact. */
  listMachines(agentId: AgentId): ContactMachine[]
  /**
   * Records a machine of the contact, creating the contact with trust `unknown` when absent.
   *
   * @throws ContactLimitError when the machine is new and the contact (or the book) is full
   */
  addMachine(
    agentId: AgentId,
    machineId: MachineId,
    options?: AddMachineOptions,
  ): { machine: ContactMachine; created: boolean }
  /** false when the contact has no such machine. */
  removeMachine(agentId: AgentId, machineId: MachineId): boolean
  /** Pins the machine; false when the contact has no such machine. */
  pinMachine(agentId: AgentId, machineId: MachineId): boolean
  /** Unpins the machine; false when the contact has no such machine. */
  unpinMachine(agentId: AgentId, machineId: MachineId): boolean
  /**
   * The contact was seen on `machineId` at `seenAt` (Unix seconds): updates or records the
   * machine (unpinned) and the contact's last seen. Never throws for a full contact: it then
   * records nothing new and returns false. False too when the agent is not a contact.
   */
  recordMachineSeen(agentId: AgentId, machineId: MachineId, seenAt?: number): boolean
  /** The decision for a message from `agentId` on `machineId`; rules in `decideTrust`. */
  evaluateTrust(agentId: AgentId, machineId: MachineId): TrustDecision
}
