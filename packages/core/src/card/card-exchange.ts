// Exporting this agent's card and importing someone else's (API.md §1.2 `/agent/card`,
// `/agent/card/import`). An imported card adds a contact and seeds the discovery cache so that
// direct messages can be sent before the agent's own announcement arrives; a later signed
// announcement replaces what the unsigned card claimed.
import type { AgentId } from '@x0x/pqc'
import type { Agent } from '../agent.js'
import type { TrustLevel } from '../contacts/contact-book.js'
import { advertisedAddresses } from '../identity/identity-service.js'
import {
  createAgentCard,
  encodeAgentCardLink,
  parseAgentCardLink,
  type AgentCard,
} from './agent-card.js'

/** This agent's card and its link. */
export function exportAgentCard(
  agent: Agent,
  displayName: string,
  now: number,
): { card: AgentCard; link: string } {
  const card = createAgentCard({
    displayName,
    agentId: agent.agentId,
    machineId: agent.machineId,
    userId: agent.identity.userId,
    addresses: advertisedAddresses(agent.transport.listenAddresses),
    createdAt: Math.floor(now / 1000),
    kemPublicKey: agent.identity.agentKem.publicKey,
  })
  return { card, link: encodeAgentCardLink(card) }
}

/** What an import did. */
export interface ImportedCard {
  readonly agentId: AgentId
  readonly displayName: string
  readonly trustLevel: TrustLevel
  readonly groups: number
  readonly stores: number
}

/**
 * Imports a card link: adds (or updates) the contact with `trustLevel` and seeds discovery.
 *
 * @throws InvalidAgentCardError
 */
export function importAgentCard(
  agent: Agent,
  link: string,
  trustLevel: TrustLevel,
  now: number,
): ImportedCard {
  const card = parseAgentCardLink(link)
  agent.contacts.add(card.agent_id, {
    trustLevel,
    label: card.display_name === '' ? null : card.display_name,
  })
  if (card.agent_id !== agent.agentId) {
    const kem = card.dm_capabilities?.kem_public_key
    agent.discovery.seedAgent({
      agentId: card.agent_id,
      machineId: card.machine_id,
      userId: card.user_id ?? null,
      addresses: [...card.addresses],
      announcedAt: card.created_at,
      lastSeen: Math.floor(now / 1000),
      agentPublicKey: null,
      kemPublicKey: kem === undefined ? null : Uint8Array.from(kem),
    })
  }
  return {
    agentId: card.agent_id,
    displayName: card.display_name,
    trustLevel,
    groups: card.groups?.length ?? 0,
    stores: card.stores?.length ?? 0,
  }
}
