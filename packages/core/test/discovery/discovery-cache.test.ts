import { join } from 'node:path'
import { VirtualClock } from '@x0x/base'
import type { AgentId } from '@x0x/pqc'
import { describe, expect, it } from 'vitest'
import {
  createDiscoveryCache,
  type DiscoveredAgentRecord,
  type DiscoveryCacheOptions,
} from '../../src/discovery/discovery-cache.js'
import { openDatabase, openMemoryDatabase } from '../../src/store/database.js'
import {
  testAgentId,
  testMachineId,
  testUserId,
  useTemporaryDirectory,
} from '../store/temporary-directory.js'

const START_S = 1_700_000_000
const TTL_MS = 60_000
const alice = testAgentId(0xa11ce)
const bob = testAgentId(0xb0b)
const carol = testAgentId(0xca201)
const machineA = testMachineId(0x1a)
const machineB = testMachineId(0x1b)
const user = testUserId(0x05e2)

function agent(
  agentId: AgentId,
  overrides: Partial<DiscoveredAgentRecord> = {},
): DiscoveredAgentRecord {
  return {
    agentId,
    machineId: machineA,
    userId: null,
    addresses: ['192.0.2.1:5483'],
    announcedAt: START_S,
    lastSeen: START_S,
    agentPublicKey: Uint8Array.of(1, 2, 3),
    kemPublicKey: Uint8Array.of(4, 5),
    ...overrides,
  }
}

function cache(options: DiscoveryCacheOptions = {}) {
  const clock = new VirtualClock({ startTime: START_S * 1000 })
  return { clock, discovery: createDiscoveryCache({ ttlMs: TTL_MS, clock, ...options }) }
}

describe('DiscoveryCache agents', () => {
  it('stores an agent and finds it by id', () => {
    const { discovery } = cache()
    expect(discovery.upsertAgent(agent(alice))).toBe(true)
    expect(discovery.getAgent(alice)).toEqual(agent(alice))
    expect(discovery.getAgent(bob)).toBeUndefined()
    expect(discovery.size).toBe(1)
  })

  it('keeps the newer announcement and ignores an older one delivered late', () => {
    const { discovery } = cache()
    discovery.upsertAgent(agent(alice, { announcedAt: START_S + 10, addresses: ['192.0.2.1:1'] }))
    const late = agent(alice, {
      announcedAt: START_S,
      addresses: ['192.0.2.9:9'],
      lastSeen: START_S + 20,
    })
    expect(discovery.upsertAgent(late)).toBe(false)
    expect(discovery.getAgent(alice)?.addresses).toEqual(['192.0.2.1:1'])
    const newer = agent(alice, { announcedAt: START_S + 30, addresses: ['192.0.2.2:2'] })
    expect(discovery.upsertAgent(newer)).toBe(true)
    expect(discovery.getAgent(alice)).toMatchObject({
      addresses: ['192.0.2.2:2'],
      lastSeen: START_S,
    })
  })

  it('never moves last_seen backwards', () => {
    const { discovery } = cache()
    discovery.upsertAgent(agent(alice, { lastSeen: START_S + 50 }))
    discovery.upsertAgent(agent(alice, { announcedAt: START_S + 1, lastSeen: START_S + 40 }))
    expect(discovery.getAgent(alice)?.lastSeen).toBe(START_S + 50)
  })

  it('lets a card seed an agent until a signed announcement replaces it', () => {
    const { discovery } = cache()
    const seeded = agent(alice, { agentPublicKey: null, announcedAt: START_S + 100 })
    expect(discovery.seedAgent(seeded)).toBe(true)
    expect(discovery.getAgent(alice)?.agentPublicKey).toBeNull()
    // Signed beats seeded even when the card claims a later time.
    expect(discovery.upsertAgent(agent(alice))).toBe(true)
    expect(discovery.getAgent(alice)?.agentPublicKey).toEqual(Uint8Array.of(1, 2, 3))
    expect(discovery.seedAgent({ ...seeded, announcedAt: START_S + 200 })).toBe(false)
    expect(discovery.getAgent(alice)?.announcedAt).toBe(START_S)
  })

  it('hides expired agents unless asked, and lists the most recently seen first', () => {
    const { discovery, clock } = cache()
    discovery.upsertAgent(agent(alice))
    clock.advance(30_000)
    discovery.upsertAgent(agent(bob, { lastSeen: START_S + 30 }))
    expect(discovery.listAgents().map((record) => record.agentId)).toEqual([bob, alice])
    clock.advance(TTL_MS - 30_000) // alice exactly at the TTL: still fresh
    expect(discovery.getAgent(alice)).toBeDefined()
    clock.advance(1_000)
    expect(discovery.getAgent(alice)).toBeUndefined()
    expect(discovery.getAgent(alice, { includeExpired: true })).toBeDefined()
    expect(discovery.listAgents().map((record) => record.agentId)).toEqual([bob])
    expect(discovery.listAgents({ includeExpired: true })).toHaveLength(2)
  })

  it('evicts the least recently seen agent beyond maxAgents', () => {
    const { discovery } = cache({ maxAgents: 2 })
    discovery.upsertAgent(agent(alice))
    discovery.upsertAgent(agent(bob))
    discovery.upsertAgent(agent(alice, { announcedAt: START_S + 1, lastSeen: START_S + 1 }))
    discovery.upsertAgent(agent(carol, { lastSeen: START_S + 2 }))
    expect(discovery.size).toBe(2)
    expect(discovery.getAgent(bob, { includeExpired: true })).toBeUndefined()
    expect(discovery.getMachine(machineA)?.agentIds).toEqual([carol, alice])
  })

  it('prunes entries older than four TTLs, and does so on its own', () => {
    const { discovery, clock } = cache()
    discovery.upsertAgent(agent(alice))
    clock.advance(4 * TTL_MS)
    expect(discovery.prune()).toBe(0)
    clock.advance(1_000)
    expect(discovery.prune()).toBe(1)
    expect(discovery.size).toBe(0)
    discovery.upsertAgent(agent(alice, { lastSeen: START_S + 241 }))
    clock.advance(5 * TTL_MS)
    discovery.upsertAgent(agent(bob, { lastSeen: Math.floor(clock.now() / 1000) }))
    expect(discovery.getAgent(alice, { includeExpired: true })).toBeUndefined()
  })

  it('removes an agent', () => {
    const { discovery } = cache()
    discovery.upsertAgent(agent(alice, { userId: user }))
    expect(discovery.removeAgent(alice)).toBe(true)
    expect(discovery.removeAgent(alice)).toBe(false)
    expect(discovery.getMachine(machineA, { includeExpired: true })).toBeUndefined()
    expect(discovery.agentsOfUser(user)).toEqual([])
  })
})

describe('DiscoveryCache machines and users', () => {
  it('derives a machine from the agents it hosts', () => {
    const { discovery } = cache()
    discovery.upsertAgent(agent(alice, { userId: user, announcedAt: START_S + 5 }))
    discovery.upsertAgent(
      agent(bob, { addresses: ['192.0.2.1:5483', '192.0.2.7:7'], lastSeen: START_S + 9 }),
    )
    expect(discovery.getMachine(machineA)).toEqual({
      machineId: machineA,
      addresses: ['192.0.2.1:5483', '192.0.2.7:7'],
      announcedAt: START_S + 5,
      lastSeen: START_S + 9,
      natType: null,
      canReceiveDirect: null,
      isRelay: null,
      isCoordinator: null,
      agentIds: [bob, alice],
      userIds: [user],
    })
    expect(discovery.getMachine(machineB)).toBeUndefined()
  })

  it('moves an agent to its newly announced machine', () => {
    const { discovery } = cache()
    discovery.upsertAgent(agent(alice))
    discovery.upsertAgent(agent(alice, { machineId: machineB, announcedAt: START_S + 1 }))
    expect(discovery.getMachine(machineA, { includeExpired: true })).toBeUndefined()
    expect(discovery.listMachines().map((machine) => machine.machineId)).toEqual([machineB])
  })

  it('hides a machine whose agents all expired', () => {
    const { discovery, clock } = cache()
    discovery.upsertAgent(agent(alice))
    clock.advance(TTL_MS + 1_000)
    expect(discovery.getMachine(machineA)).toBeUndefined()
    expect(discovery.listMachines()).toEqual([])
    expect(discovery.listMachines({ includeExpired: true })).toHaveLength(1)
  })

  it('indexes agents and machines by user', () => {
    const { discovery } = cache()
    discovery.upsertAgent(agent(alice, { userId: user }))
    discovery.upsertAgent(agent(bob, { userId: user, machineId: machineB, lastSeen: START_S + 1 }))
    discovery.upsertAgent(agent(carol))
    expect(discovery.agentsOfUser(user).map((record) => record.agentId)).toEqual([bob, alice])
    expect(discovery.machinesOfUser(user).map((machine) => machine.machineId)).toEqual([
      machineB,
      machineA,
    ])
    // The user's agent leaves the user: the index follows.
    discovery.upsertAgent(
      agent(bob, { userId: null, machineId: machineB, announcedAt: START_S + 1 }),
    )
    expect(discovery.agentsOfUser(user).map((record) => record.agentId)).toEqual([alice])
    expect(discovery.machinesOfUser(testUserId(0x0)).length).toBe(0)
  })
})

describe('DiscoveryCache persistence', () => {
  const directory = useTemporaryDirectory()

  it('writes through and loads back on creation', () => {
    const path = join(directory(), 'x0x.sqlite')
    const clock = new VirtualClock({ startTime: START_S * 1000 })
    const first = openDatabase(path)
    const before = createDiscoveryCache({ ttlMs: TTL_MS, clock, database: first })
    before.upsertAgent(agent(alice, { userId: user, kemPublicKey: null }))
    before.upsertAgent(agent(bob, { machineId: machineB, lastSeen: START_S + 1 }))
    before.seedAgent(agent(carol, { agentPublicKey: null }))
    before.removeAgent(carol)
    first.close()

    const second = openDatabase(path)
    const after = createDiscoveryCache({ ttlMs: TTL_MS, clock, database: second })
    expect(after.listAgents()).toEqual(before.listAgents())
    expect(after.getAgent(alice)?.agentPublicKey).toEqual(Uint8Array.of(1, 2, 3))
    expect(after.agentsOfUser(user).map((record) => record.agentId)).toEqual([alice])
    second.close()
  })

  it('loads only what is fresh enough and within maxAgents, least recently seen evicted first', () => {
    const database = openMemoryDatabase()
    const clock = new VirtualClock({ startTime: START_S * 1000 })
    const writer = createDiscoveryCache({ ttlMs: TTL_MS, clock, database })
    writer.upsertAgent(agent(alice, { lastSeen: START_S - 5 * 60 })) // beyond 4 TTLs
    writer.upsertAgent(agent(bob, { lastSeen: START_S - 60 }))
    writer.upsertAgent(agent(carol, { lastSeen: START_S }))
    const reader = createDiscoveryCache({ ttlMs: TTL_MS, clock, database, maxAgents: 1 })
    expect(reader.listAgents({ includeExpired: true }).map((record) => record.agentId)).toEqual([
      carol,
    ])
    expect(database.statement('SELECT agent_id FROM discovered_agents').all()).toEqual([
      { agent_id: carol },
    ])
    database.close()
  })

  it('skips rows that no longer parse', () => {
    const database = openMemoryDatabase()
    const clock = new VirtualClock({ startTime: START_S * 1000 })
    const writer = createDiscoveryCache({ ttlMs: TTL_MS, clock, database })
    writer.upsertAgent(agent(alice))
    writer.upsertAgent(agent(bob))
    database.statement("UPDATE discovered_agents SET addresses = '{' WHERE agent_id = ?").run(bob)
    const reader = createDiscoveryCache({ ttlMs: TTL_MS, clock, database })
    expect(reader.listAgents().map((record) => record.agentId)).toEqual([alice])
    database.close()
  })

  it('keeps working in memory when the database fails', () => {
    const database = openMemoryDatabase()
    const { discovery } = cache({ database })
    database.close()
    expect(discovery.upsertAgent(agent(alice))).toBe(true)
    expect(discovery.getAgent(alice)).toBeDefined()
  })
})
