// API.md §1.1 system and §1.2 identity.
import { exportAgentCard, importAgentCard } from '@x0x/core'
import type { AgentId } from '@x0x/pqc'
import { buildOpenApiDocument, parseHex32 } from '@x0x/api'
import { advertisedAddresses } from '@x0x/core'
import { HttpError, uptimeSeconds, type DaemonContext } from './handler-types.js'
import type { HandlerTable } from './handler-table.js'

const TRUST_DEBUG = { blocked: 'Blocked', unknown: 'Unknown', known: 'Known', trusted: 'Trusted' }

/** x0x's introduction service catalogue, with the trust each needs. */
const SERVICES = [
  { name: 'presence', description: 'Presence beacons and discovery', min_trust: 'unknown' },
  { name: 'direct-message', description: 'Private direct messages', min_trust: 'known' },
  { name: 'mls-group', description: 'Encrypted group membership', min_trust: 'known' },
  { name: 'file-transfer', description: 'File transfer', min_trust: 'trusted' },
  { name: 'payment', description: 'Payments', min_trust: 'trusted' },
] as const
const TRUST_ORDER = ['blocked', 'unknown', 'known', 'trusted']

function statusOf(context: DaemonContext, peers: number): 'connected' | 'connecting' | 'isolated' {
  if (peers > 0) return 'connected'
  return uptimeSeconds(context) < 45 ? 'connecting' : 'isolated'
}

/** Four words standing for the agent id, for humans to compare (not a security check). */
function identityWords(agentId: string): string {
  const words = ['amber', 'birch', 'cedar', 'delta', 'ember', 'fable', 'grove', 'harbor']
  const more = ['iris', 'jade', 'koala', 'lotus', 'maple', 'nectar', 'opal', 'pearl']
  const all = [...words, ...more]
  return [0, 2, 4, 6]
    .map((index) => all[Number.parseInt(agentId.slice(index, index + 2), 16) % 16])
    .join('-')
}

export function systemIdentityHandlers(context: DaemonContext): HandlerTable {
  const { agent } = context
  return {
    health: () => ({
      ok: true,
      status: 'healthy',
      version: context.version,
      peers: agent.connections().length,
      uptime_secs: uptimeSeconds(context),
    }),
    status: () => {
      const peers = agent.connections().length
      return {
        ok: true,
        status: statusOf(context, peers),
        version: context.version,
        uptime_secs: uptimeSeconds(context),
        api_address: context.apiAddress(),
        external_addrs: advertisedAddresses(agent.transport.listenAddresses),
        agent_id: agent.agentId,
        peers,
        warnings: peers === 0 ? ['no peers connected'] : [],
      }
    },
    openapi: () => buildOpenApiDocument(),
    shutdown: () => {
      context.requestShutdown()
      return { ok: true, message: 'shutting down' }
    },
    'agent.get': () => ({
      ok: true,
      agent_id: agent.agentId,
      machine_id: agent.machineId,
      user_id: agent.identity.userId ?? null,
      kem_public_key_b64: Buffer.from(agent.identity.agentKem.publicKey).toString('base64'),
    }),
    'agent.userId': () => ({ ok: true, user_id: agent.identity.userId ?? null }),
    announce: async ({ body }) => {
      const request = (body ?? {}) as { include_user_identity?: boolean; human_consent?: boolean }
      try {
        const result = await agent.announce({
          includeUserIdentity: request.include_user_identity ?? false,
          humanConsent: request.human_consent ?? false,
        })
        return { ok: true, include_user_identity: result.includeUserIdentity }
      } catch (error) {
        if (error instanceof Error && error.name === 'UserIdentityUnavailableError') {
          throw new HttpError(400, error.message)
        }
        throw error
      }
    },
    'agent.card': ({ query }) => {
      const displayName = (query['display_name'] as string | undefined) ?? 'x0x agent'
      const { card, link } = exportAgentCard(agent, displayName, Date.now())
      return { ok: true, card, link }
    },
    'agent.importCard': ({ body }) => {
      const request = body as {
        card: string
        trust_level: 'blocked' | 'unknown' | 'known' | 'trusted'
      }
      try {
        const imported = importAgentCard(agent, request.card, request.trust_level, Date.now())
        return {
          ok: true,
          agent_id: imported.agentId,
          display_name: imported.displayName,
          trust_level: TRUST_DEBUG[imported.trustLevel],
          groups: imported.groups,
          stores: imported.stores,
        }
      } catch (error) {
        if (error instanceof Error && error.name === 'InvalidAgentCardError') {
          throw new HttpError(400, error.message)
        }
        throw error
      }
    },
    introduction: ({ query }) => {
      const peer = query['peer'] as string | undefined
      const level =
        peer === undefined
          ? 'unknown'
          : (agent.trustLevelOf(parseHex32(peer) as AgentId) ?? 'unknown')
      if (level === 'blocked') throw new HttpError(403, 'blocked', { bare: true })
      const rank = TRUST_ORDER.indexOf(level)
      const base = {
        ok: true,
        agent_id: agent.agentId,
        display_name: null,
        identity_words: identityWords(agent.agentId),
        services: SERVICES.filter((service) => TRUST_ORDER.indexOf(service.min_trust) <= rank),
      }
      if (rank < TRUST_ORDER.indexOf('known')) return base
      return {
        ...base,
        machine_id: agent.machineId,
        user_id: agent.identity.userId ?? null,
        signature: Buffer.from(agent.identity.agent.sign(new TextEncoder().encode(agent.agentId)))
          .subarray(0, 8)
          .toString('hex'),
      }
    },
  }
}
