// API.md §1.8 contacts, machines, trust and revocations, over the agent's contact book.
import { parseHex32 } from '@x0x/api'
import type { Contact, ContactMachine, TrustLevel } from '@x0x/core'
import type { AgentId, MachineId } from '@x0x/pqc'
import { HttpError, JsonAnswer, type DaemonContext } from './handler-types.js'
import type { HandlerTable } from './handler-table.js'

/** `/trust/evaluate` answers in Rust Debug casing; events use snake_case. */
const DECISION_DEBUG = {
  accept: 'Accept',
  accept_with_flag: 'AcceptWithFlag',
  reject_machine_mismatch: 'RejectMachineMismatch',
  reject_blocked: 'RejectBlocked',
  unknown: 'Unknown',
} as const

function contactJson(contact: Contact) {
  return {
    agent_id: contact.agentId,
    trust_level: contact.trustLevel,
    label: contact.label,
    added_at: contact.addedAt,
    last_seen: contact.lastSeen,
  }
}

function machineJson(machine: ContactMachine) {
  return {
    machine_id: machine.machineId,
    label: machine.label,
    first_seen: machine.firstSeen,
    last_seen: machine.lastSeen,
    pinned: machine.pinned,
  }
}

function agentParam(params: Readonly<Record<string, string>>): AgentId {
  return parseHex32(params['agent_id'] ?? '') as AgentId
}

function machineParam(params: Readonly<Record<string, string>>): MachineId {
  return parseHex32(params['machine_id'] ?? '') as MachineId
}

export function contactHandlers(context: DaemonContext): HandlerTable {
  const contacts = context.agent.contacts
  return {
    'contacts.list': () => ({ ok: true, contacts: contacts.list().map(contactJson) }),
    'contacts.add': ({ body }) => {
      const request = body as { agent_id: AgentId; trust_level: TrustLevel; label?: string }
      contacts.add(request.agent_id, {
        trustLevel: request.trust_level,
        label: request.label ?? null,
      })
      return { ok: true, agent_id: request.agent_id }
    },
    'contacts.setTrust': ({ body }) => {
      const request = body as { agent_id: AgentId; level: TrustLevel }
      contacts.setTrust(request.agent_id, request.level)
      return { ok: true }
    },
    'contacts.update': ({ params, body }) => {
      const request = body as {
        trust_level?: TrustLevel
        identity_type?: 'anonymous' | 'known' | 'trusted' | 'pinned'
      }
      contacts.update(agentParam(params), {
        ...(request.trust_level === undefined ? {} : { trustLevel: request.trust_level }),
        ...(request.identity_type === undefined ? {} : { identityType: request.identity_type }),
      })
      return { ok: true }
    },
    'contacts.remove': ({ params }) => {
      if (!contacts.remove(agentParam(params))) throw new HttpError(404, 'contact not found')
      return { ok: true }
    },
    'contacts.revoke': ({ params, body }) => {
      const { reason } = body as { reason: string }
      contacts.revoke(agentParam(params), reason, context.agent.agentId)
      return { ok: true }
    },
    'contacts.revocations': () => ({
      ok: true,
      revocations: contacts.revocations().map((revocation) => ({
        agent_id: revocation.agentId,
        reason: revocation.reason,
        timestamp: revocation.timestamp,
        revoker_id: revocation.revokerId,
      })),
    }),
    'contacts.machines': ({ params }) => ({
      ok: true,
      machines: contacts.listMachines(agentParam(params)).map(machineJson),
    }),
    'contacts.addMachine': ({ params, body }) => {
      const request = body as { machine_id: MachineId; label?: string; pinned: boolean }
      const { machine, created } = contacts.addMachine(agentParam(params), request.machine_id, {
        label: request.label ?? null,
        pinned: request.pinned,
      })
      return new JsonAnswer(created ? 201 : 200, { ok: true, machine: machineJson(machine) })
    },
    'contacts.removeMachine': ({ params }) => {
      if (!contacts.removeMachine(agentParam(params), machineParam(params))) {
        throw new HttpError(404, 'machine not found')
      }
      return new JsonAnswer(204, undefined)
    },
    'contacts.pinMachine': ({ params }) => ({
      ok: true,
      pinned: contacts.pinMachine(agentParam(params), machineParam(params)),
    }),
    'contacts.unpinMachine': ({ params }) => ({
      ok: true,
      unpinned: contacts.unpinMachine(agentParam(params), machineParam(params)),
    }),
    'trust.evaluate': ({ body }) => {
      const request = body as { agent_id: AgentId; machine_id: MachineId }
      const decision = context.agent.evaluateTrust(request.agent_id, request.machine_id)
      return { ok: true, decision: DECISION_DEBUG[decision] }
    },
  }
}
