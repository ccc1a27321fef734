// The agents and machines this node learned from signed identity announcements (API.md §1.5),
// and from imported agent cards until the agent's own announcement arrives. Machines are derived
// from agent records: one machine can host several agents. The in-memory maps are authoritative;
// with a database every accepted record is also written through, so a restart does not start
// discovery from nothing.
import { silentLogger, systemClock, type Clock, type Logger } from '@x0x/base'
import type { AgentId, MachineId, UserId } from '@x0x/pqc'
import {
  DEFAULT_DISCOVERY_TTL_MS,
  DEFAULT_MAX_DISCOVERED_AGENTS,
  DISCOVERY_PRUNE_TTL_FACTOR,
  MAX_ADDRESSES_PER_AGENT,
  type DiscoveredAgentRecord,
  type DiscoveredMachineRecord,
  type DiscoveryCache,
  type DiscoveryCacheOptions,
  type DiscoveryQueryOptions,
} from './discovery-cache-types.js'
import { createDiscoveryStore, type DiscoveryStore } from './discovery-store.js'

export type {
  DiscoveredAgentRecord,
  DiscoveredMachineRecord,
  DiscoveryCache,
  DiscoveryCacheOptions,
  DiscoveryQueryOptions,
} from './discovery-cache-types.js'

/** A discovery cache; with `database`, loaded from it now and written through from now on. */
export function createDiscoveryCache(options: DiscoveryCacheOptions = {}): DiscoveryCache {
  return new MemoryDiscoveryCache(options)
}

class MemoryDiscoveryCache implements DiscoveryCache {
  readonly ttlMs: number
  readonly #maxAgents: number
  readonly #clock: Clock
  readonly #log: Logger
  readonly #store: DiscoveryStore | undefined
  /** Insertion order is update order, so the first entry is the least recently seen. */
  readonly #agents = new Map<AgentId, DiscoveredAgentRecord>()
  // Both indexes hold only agents in `#agents`, so they are bounded by `maxAgents`.
  readonly #agentsByMachine = new Map<MachineId, Set<AgentId>>()
  readonly #agentsByUser = new Map<UserId, Set<AgentId>>()
  #lastPruneAt: number

  constructor(options: DiscoveryCacheOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_DISCOVERY_TTL_MS
    this.#maxAgents = options.maxAgents ?? DEFAULT_MAX_DISCOVERED_AGENTS
    this.#clock = options.clock ?? systemClock
    this.#log = (options.logger ?? silentLogger).forComponent('x0x:discovery')
    this.#lastPruneAt = this.#clock.now()
    this.#store =
      options.database === undefined ? undefined : createDiscoveryStore(options.database)
    const oldest = Math.floor(this.#pruneCutoffMs() / 1000)
    for (const record of this.#store?.load(this.#maxAgents, oldest) ?? []) this.#insert(record)
  }

  get size(): number {
    return this.#agents.size
  }

  upsertAgent(record: DiscoveredAgentRecord): boolean {
    const existing = this.#agents.get(record.agentId)
    const replacesSeed = existing?.agentPublicKey === null && record.agentPublicKey !== null
    if (existing !== undefined && !replacesSeed && record.announcedAt < existing.announcedAt) {
      return false
    }
    const lastSeen = Math.max(record.lastSeen, existing?.lastSeen ?? 0)
    this.#accept({ ...record, lastSeen }, existing)
    return true
  }

  seedAgent(record: DiscoveredAgentRecord): boolean {
    const existing = this.#agents.get(record.agentId)
    if (existing !== undefined && existing.agentPublicKey !== null) return false
    this.#accept(record, existing)
    return true
  }

  getAgent(
    agentId: AgentId,
    options: DiscoveryQueryOptions = {},
  ): DiscoveredAgentRecord | undefined {
    const record = this.#agents.get(agentId)
    return record !== undefined && this.#visible(record, options) ? record : undefined
  }

  listAgents(options: DiscoveryQueryOptions = {}): DiscoveredAgentRecord[] {
    return [...this.#agents.values()].filter((record) => this.#visible(record, options)).reverse()
  }

  getMachine(
    machineId: MachineId,
    options: DiscoveryQueryOptions = {},
  ): DiscoveredMachineRecord | undefined {
    return this.#machine(machineId, options)
  }

  listMachines(options: DiscoveryQueryOptions = {}): DiscoveredMachineRecord[] {
    return this.#machines(this.#agentsByMachine.keys(), options)
  }

  agentsOfUser(userId: UserId, options: DiscoveryQueryOptions = {}): DiscoveredAgentRecord[] {
    return this.#visibleAgents(this.#agentsByUser.get(userId) ?? [], options)
  }

  machinesOfUser(userId: UserId, options: DiscoveryQueryOptions = {}): DiscoveredMachineRecord[] {
    const machineIds = new Set<MachineId>()
    for (const agentId of this.#agentsByUser.get(userId) ?? []) {
      const record = this.#agents.get(agentId)
      if (record !== undefined && this.#visible(record, options)) machineIds.add(record.machineId)
    }
    return this.#machines(machineIds, options)
  }

  removeAgent(agentId: AgentId): boolean {
    const record = this.#agents.get(agentId)
    if (record === undefined) return false
    this.#remove(record)
    this.#persist((store) => {
      store.delete([agentId])
    })
    return true
  }

  prune(): number {
    const now = this.#clock.now()
    this.#lastPruneAt = now
    const cutoff = this.#pruneCutoffMs()
    const stale = [...this.#agents.values()].filter((record) => record.lastSeen * 1000 < cutoff)
    for (const record of stale) this.#remove(record)
    if (stale.length > 0) {
      this.#persist((store) => {
        store.delete(stale.map((record) => record.agentId))
      })
    }
    return stale.length
  }

  #accept(record: DiscoveredAgentRecord, existing: DiscoveredAgentRecord | undefined): void {
    if (this.#clock.now() - this.#lastPruneAt >= this.ttlMs) this.prune()
    const stored = { ...record, addresses: record.addresses.slice(0, MAX_ADDRESSES_PER_AGENT) }
    if (existing !== undefined) this.#remove(existing)
    const evicted: AgentId[] = []
    for (const oldest of this.#agents.values()) {
      if (this.#agents.size < this.#maxAgents) break
      this.#remove(oldest)
      evicted.push(oldest.agentId)
    }
    this.#insert(stored)
    this.#persist((store) => {
      if (evicted.length > 0) store.delete(evicted)
      store.save(stored)
    })
  }

  #insert(record: DiscoveredAgentRecord): void {
    this.#agents.set(record.agentId, record)
    addToIndex(this.#agentsByMachine, record.machineId, record.agentId)
    if (record.userId !== null) addToIndex(this.#agentsByUser, record.userId, record.agentId)
  }

  #remove(record: DiscoveredAgentRecord): void {
    this.#agents.delete(record.agentId)
    removeFromIndex(this.#agentsByMachine, record.machineId, record.agentId)
    if (record.userId !== null) removeFromIndex(this.#agentsByUser, record.userId, record.agentId)
  }

  #persist(write: (store: DiscoveryStore) => void): void {
    if (this.#store === undefined) return
    try {
      write(this.#store)
    } catch (error) {
      // The cache stays authoritative in memory: a full disk costs discovery after a restart,
      // never the announcement being processed now.
      this.#log.warn('cannot persist the discovery cache: %s', String(error))
    }
  }

  #visible(record: DiscoveredAgentRecord, options: DiscoveryQueryOptions): boolean {
    return options.includeExpired === true || !this.#expired(record)
  }

  #expired(record: DiscoveredAgentRecord): boolean {
    return record.lastSeen * 1000 + this.ttlMs < this.#clock.now()
  }

  #pruneCutoffMs(): number {
    return this.#clock.now() - this.ttlMs * DISCOVERY_PRUNE_TTL_FACTOR
  }

  /** The visible records among `agentIds`, most recently seen first. */
  #visibleAgents(
    agentIds: Iterable<AgentId>,
    options: DiscoveryQueryOptions,
  ): DiscoveredAgentRecord[] {
    const records: DiscoveredAgentRecord[] = []
    for (const agentId of agentIds) {
      const record = this.#agents.get(agentId)
      if (record !== undefined && this.#visible(record, options)) records.push(record)
    }
    return records.sort((left, right) => right.lastSeen - left.lastSeen)
  }

  #machines(
    machineIds: Iterable<MachineId>,
    options: DiscoveryQueryOptions,
  ): DiscoveredMachineRecord[] {
    const machines: DiscoveredMachineRecord[] = []
    for (const machineId of machineIds) {
      const machine = this.#machine(machineId, options)
      if (machine !== undefined) machines.push(machine)
    }
    return machines.sort((left, right) => right.lastSeen - left.lastSeen)
  }

  #machine(
    machineId: MachineId,
    options: DiscoveryQueryOptions,
  ): DiscoveredMachineRecord | undefined {
    const agents = this.#visibleAgents(this.#agentsByMachine.get(machineId) ?? [], options)
    const newest = agents[0]
    if (newest === undefined) return undefined
    const userIds = agents.flatMap((record) => (record.userId === null ? [] : [record.userId]))
    return {
      machineId,
      addresses: [...new Set(agents.flatMap((record) => record.addresses))],
      announcedAt: Math.max(...agents.map((record) => record.announcedAt)),
      lastSeen: newest.lastSeen,
      natType: null,
      canReceiveDirect: null,
      isRelay: null,
      isCoordinator: null,
      agentIds: agents.map((record) => record.agentId),
      userIds: [...new Set(userIds)],
    }
  }
}

function addToIndex<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let values = index.get(key)
  if (values === undefined) {
    values = new Set()
    index.set(key, values)
  }
  values.add(value)
}

function removeFromIndex<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const values = index.get(key)
  if (values === undefined) return
  values.delete(value)
  if (values.size === 0) index.delete(key)
}
