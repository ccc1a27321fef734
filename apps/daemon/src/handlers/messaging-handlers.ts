// API.md §1.6 pub/sub and §1.7 direct messaging (the JSON routes; streams are in
// stream-handlers.ts).
import { decodeBase64 } from '@x0x/api'
import type { AgentId, MachineId } from '@x0x/pqc'
import { HttpError, type DaemonContext } from './handler-types.js'
import type { HandlerTable } from './handler-table.js'

/** x0x's status for each direct-send failure kind (API.md §1.7). */
const DIRECT_FAILURE_STATUS: Readonly<Record<string, number>> = {
  recipient_rejected: 403,
  recipient_key_unavailable: 404,
  timeout: 504,
  peer_likely_offline: 502,
  peer_disconnected: 502,
  local_gossip_unavailable: 503,
  envelope_construction: 400,
  payload_too_large: 413,
  no_connectivity: 503,
  publish_failed: 500,
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

function directFailure(error: unknown): never {
  if (error instanceof Error && error.name === 'DirectSendError') {
    const kind = (error as Error & { kind: string }).kind
    throw new HttpError(DIRECT_FAILURE_STATUS[kind] ?? 500, kind, { detail: error.message })
  }
  if (error instanceof Error && error.name === 'DirectPayloadTooLargeError') {
    throw new HttpError(413, 'payload_too_large', { detail: error.message })
  }
  if (error instanceof Error && error.name === 'AgentBlockedError') {
    throw new HttpError(403, 'agent is blocked')
  }
  throw error
}

export function messagingHandlers(context: DaemonContext): HandlerTable {
  const { agent } = context
  return {
    publish: async ({ body }) => {
      const request = body as { topic: string; payload: string }
      await agent.publish(request.topic, decodeBase64(request.payload))
      return { ok: true }
    },
    subscribe: async ({ body }) => {
      const request = body as { topic: string }
      const id = await context.subscriptions.subscribe(request.topic)
      return { ok: true, subscription_id: id }
    },
    unsubscribe: ({ params }) => {
      if (!context.subscriptions.unsubscribe(params['id'] ?? '')) {
        throw new HttpError(404, 'subscription not found')
      }
      return { ok: true }
    },
    'agents.connect': async ({ body, signal }) => {
      const { agent_id } = body as { agent_id: string }
      const result = await agent.connectAgent(agent_id as AgentId, { signal })
      return { ok: true, outcome: result.outcome, addr: result.address }
    },
    'machines.connect': async ({ body, signal }) => {
      const { machine_id } = body as { machine_id: string }
      const result = await agent.connectMachine(machine_id as MachineId, { signal })
      return { ok: true, outcome: result.outcome, addr: result.address }
    },
    'direct.send': async ({ body, signal }) => {
      const request = body as { agent_id: string; payload: string; require_ack_ms?: number }
      let result
      try {
        result = await agent.sendDirect(
          request.agent_id as AgentId,
          decodeBase64(request.payload),
          {
            signal,
          },
        )
      } catch (error) {
        directFailure(error)
      }
      return {
        ok: true,
        path: result.path,
        retries_used: result.retriesUsed,
        request_id: result.requestId,
        require_ack:
          request.require_ack_ms === undefined
            ? null
            : await probeAfterSend(context, request.agent_id as AgentId, request.require_ack_ms),
      }
    },
    'direct.connections': () => ({
      ok: true,
      connections: agent
        .directConnections()
        .map(({ agentId, machineId }) => ({ agent_id: agentId, machine_id: machineId })),
    }),
    'ws.sessions': () => context.sessions(),
  }
}

/** `require_ack_ms`: a liveness probe of the recipient's machine after the send (x0x's meaning). */
async function probeAfterSend(
  context: DaemonContext,
  agentId: AgentId,
  requireAckMs: number,
): Promise<{ ok: true; rtt_ms: number } | { ok: false; error: string }> {
  const timeoutMs = clamp(requireAckMs, 100, 30_000)
  if (agentId === context.agent.agentId) return { ok: true, rtt_ms: 0 }
  const record = context.agent.discovery.getAgent(agentId, { includeExpired: true })
  const connection =
    record === undefined ? undefined : context.agent.transport.getConnection(record.machineId)
  if (connection === undefined) return { ok: false, error: 'no live connection to probe' }
  try {
    const rtt = await connection.ping({ signal: AbortSignal.timeout(timeoutMs) })
    return { ok: true, rtt_ms: Math.round(rtt) }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}
