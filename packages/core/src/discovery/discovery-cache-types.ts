// The records, options and interface of the discovery cache (API.md §1.5 shapes, camelCase).
import type { ComponentLogger, Clock } from '@x0x/base'
import type { AgentId, MachineId, UserId } from '@x0x/pqc'
import type { CoreDatabase } from '../store/database.js'

/** x0x `identity_ttl_secs`: an agent not heard from for 900 s is expired. */
export const DEFAULT_DISCOVERY_TTL_MS = 900_000
/** Agents remembered at most; when full the least recently seen is evicted. */
export const DEFAULT_MAX_DISCOVERED_AGENTS = 10_000
/** Addresses kept per agent; an announcement carries at most 16 (`MAX_ANNOUNCED_ADDRESSES`). */
export const MAX_ADDRESSES_PER_AGENT = 16
/**
 * Expired records are kept for this many TTLs before `prune` drops them, so that
 * `?unfiltered=true` still shows agents that went quiet a while ago.
 */
export const DISCOVERY_PRUNE_TTL_FACTOR = 4

/** What an announcement (or an imported card) told us about an agent. Times in Unix seconds. */
export interface DiscoveredAgentRecord {
  readonly agentId: AgentId
  readonly machineId: MachineId
  readonly userId: UserId | null
  /** `ip:port` strings, as announced. */
  readonly addresses: readonly string[]
  readonly announcedAt: number
  readonly lastSeen: number
  /** Null for a record seeded from an unsigned card. */
  readonly agentPublicKey: Uint8Array | null
  readonly kemPublicKey: Uint8Array | null
}

/** A machine, derived from the agents announced on it. Times in Unix seconds. */
export interface DiscoveredMachineRecord {
  readonly machineId: MachineId
  /** Its agents' addresses, most recently seen agent first, without duplicates. */
  readonly addresses: readonly string[]
  readonly announcedAt: number
  readonly lastSeen: number
  /** Reachability facts: announcements do not carry them yet, so null. */
  readonly natType: string | null
  readonly canReceiveDirect: boolean | null
  readonly isRelay: boolean | null
  readonly isCoordinator: boolean | null
  readonly agentIds: readonly AgentId[]
  readonly userIds: readonly UserId[]
}

/** Whether a lookup also returns entries whose `lastSeen` is older than the TTL. */
export interface DiscoveryQueryOptions {
  /** Default: false. */
  includeExpired?: boolean
}

/** Options of `createDiscoveryCache`. */
export interface DiscoveryCacheOptions {
  /** Entries not seen for this long are expired. Default: 900,000 ms. */
  ttlMs?: number
  /** Default: 10,000; when full the least recently seen agent is evicted. */
  maxAgents?: number
  /** Persist here (load at creation, write through). Default: memory only. */
  database?: CoreDatabase
  /** Default: `systemClock`. */
  clock?: Clock
  /** Default: `silentLogger`. */
  logger?: ComponentLogger
}

/** The discovery cache; see the module comment. */
export interface DiscoveryCache {
  /** Agents held, expired ones included. */
  readonly size: number
  readonly ttlMs: number
  /**
   * Stores a verified announcement. A record announced earlier than the one held is ignored
   * (gossip can deliver an old announcement late); a signed record always replaces a seeded one.
   * Returns whether the record was stored.
   */
  upsertAgent(record: DiscoveredAgentRecord): boolean
  /** Stores a record from an unsigned card unless a signed record is held. */
  seedAgent(record: DiscoveredAgentRecord): boolean
  getAgent(agentId: AgentId, options?: DiscoveryQueryOptions): DiscoveredAgentRecord | undefined
  /** Most recently stored first (announcements arrive in time order, so: most recently seen). */
  listAgents(options?: DiscoveryQueryOptions): DiscoveredAgentRecord[]
  getMachine(
    machineId: MachineId,
    options?: DiscoveryQueryOptions,
  ): DiscoveredMachineRecord | undefined
  listMachines(options?: DiscoveryQueryOptions): DiscoveredMachineRecord[]
  agentsOfUser(userId: UserId, options?: DiscoveryQueryOptions): DiscoveredAgentRecord[]
  machinesOfUser(userId: UserId, options?: DiscoveryQueryOptions): DiscoveredMachineRecord[]
  removeAgent(agentId: AgentId): boolean
  /** Drops entries older than `DISCOVERY_PRUNE_TTL_FACTOR` TTLs; returns how many. */
  prune(): number
}
