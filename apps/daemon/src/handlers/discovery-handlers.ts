// API.md §1.5 discovery of agents, machines and users, from the agent's discovery cache (fed by
// signed announcements and imported cards).
import { parseHex32 } from '@x0x/api'
import type { DiscoveredAgentRecord, DiscoveredMachineRecord } from '@x0x/core'
import type { AgentId, MachineId, UserId } from '@x0x/pqc'
import { HttpError, type DaemonContext } from './handler-types.js'
import type { HandlerTable } from './handler-table.js'

/** How long `?wait=true` searches the network (x0x: up to ~10 s). */
const WAIT_FIND_MS = 10_000

export function agentJson(record: DiscoveredAgentRecord) {
  return {
    agent_id: record.agentId,
    machine_id: record.machineId,
    user_id: record.userId,
    addresses: [...record.addresses],
    announced_at: record.announcedAt,
    last_seen: record.lastSeen,
  }
}

export function machineJson(record: DiscoveredMachineRecord) {
  return {
    machine_id: record.machineId,
    addresses: [...record.addresses],
    announced_at: record.announcedAt,
    last_seen: record.lastSeen,
    nat_type: record.natType,
    can_receive_direct: record.canReceiveDirect,
    is_relay: record.isRelay,
    is_coordinator: record.isCoordinator,
    agent_ids: [...record.agentIds],
    user_ids: [...record.userIds],
  }
}

function agentParam(params: Readonly<Record<string, string>>): AgentId {
  return parseHex32(params['agent_id'] ?? '') as AgentId
}

export function discoveryHandlers(context: DaemonContext): HandlerTable {
  const { agent } = context
  const discovery = agent.discovery
  return {
    'agents.discovered': ({ query }) => ({
      ok: true,
      agents: discovery
        .listAgents({ includeExpired: query['unfiltered'] === true })
        .filter((record) => agent.trustLevelOf(record.agentId) !== 'blocked')
        .map(agentJson),
    }),
    'agents.get': async ({ params, query, signal }) => {
      const agentId = agentParam(params)
      const cached = discovery.getAgent(agentId, { includeExpired: true })
      if (cached !== undefined) return { ok: true, agent: agentJson(cached) }
      if (query['wait'] !== true) throw new HttpError(404, 'agent not found')
      const found = await agent.find(agentId, { timeoutMs: WAIT_FIND_MS, signal })
      if (found === undefined) throw new HttpError(404, 'agent not found within timeout')
      return { ok: true, agent: agentJson(found) }
    },
    'agents.machine': ({ params }) => {
      const agentId = agentParam(params)
      const record = discovery.getAgent(agentId, { includeExpired: true })
      const machine =
        record === undefined
          ? undefined
          : discovery.getMachine(record.machineId, { includeExpired: true })
      if (machine === undefined) throw new HttpError(404, 'agent machine not found')
      return { ok: true, agent_id: agentId, machine: machineJson(machine) }
    },
    'agents.find': async ({ params, signal }) => {
      const found = await agent.find(agentParam(params), { signal })
      return found === undefined
        ? { ok: true, found: false }
        : { ok: true, found: true, addresses: [...found.addresses] }
    },
    'agents.reachability': ({ params }) => {
      const record = discovery.getAgent(agentParam(params), { includeExpired: true })
      if (record === undefined) throw new HttpError(404, 'agent not in discovery cache')
      return {
        ok: true,
        likely_direct: record.addresses.length > 0,
        needs_coordination: false,
        is_relay: null,
        is_coordinator: null,
        addresses: [...record.addresses],
      }
    },
    'machines.discovered': ({ query }) => ({
      ok: true,
      machines: discovery
        .listMachines({ includeExpired: query['unfiltered'] === true })
        .map(machineJson),
    }),
    'machines.get': async ({ params, query, signal }) => {
      const machineId = parseHex32(params['machine_id'] ?? '') as MachineId
      let machine = discovery.getMachine(machineId, { includeExpired: true })
      if (machine === undefined && query['wait'] === true) {
        await waitFor(() => discovery.getMachine(machineId), WAIT_FIND_MS, signal)
        machine = discovery.getMachine(machineId, { includeExpired: true })
      }
      if (machine === undefined) throw new HttpError(404, 'machine not found')
      return { ok: true, machine: machineJson(machine) }
    },
    'users.agents': ({ params }) => {
      const userId = parseHex32(
        params['user_id'] ?? '',
        'invalid user_id: expected 64 hex characters',
      ) as UserId
      return { ok: true, user_id: userId, agents: discovery.agentsOfUser(userId).map(agentJson) }
    },
    'users.machines': ({ params }) => {
      const userId = parseHex32(
        params['user_id'] ?? '',
        'invalid user_id: expected 64 hex characters',
      ) as UserId
      return {
        ok: true,
        user_id: userId,
        machines: discovery.machinesOfUser(userId).map(machineJson),
      }
    },
  }
}

/** Polls `found` every 100 ms until it returns something, `timeoutMs` passes or `signal` aborts. */
async function waitFor(
  found: () => unknown,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (found() === undefined && Date.now() < deadline && !signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
