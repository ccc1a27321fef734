// API.md §1.3 network, peers and diagnostics. NAT traversal and relays are not built yet, so
// their figures are honest zeros and `nat_type` is "Unknown".
import { parseHex32 } from '@x0x/api'
import { advertisedAddresses } from '@x0x/core'
import type { MachineId } from '@x0x/pqc'
import { formatPeerAddress } from '@x0x/transport'
import { HttpError, uptimeSeconds, type DaemonContext } from './handler-types.js'
import type { HandlerTable } from './handler-table.js'

function localAddress(context: DaemonContext): string | null {
  const first = context.agent.transport.listenAddresses[0]
  return first === undefined ? null : formatPeerAddress(first)
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

export function networkHandlers(context: DaemonContext): HandlerTable {
  const { agent } = context
  const counts = () => {
    const connected = agent.connections().length
    return { connected }
  }
  return {
    'peers.list': () => ({
      ok: true,
      peers: agent.connections().map((connection) => ({ id: connection.remoteMachineId })),
    }),
    'network.status': () => {
      const { connected } = counts()
      return {
        ok: true,
        local_addr: localAddress(context),
        external_addrs: advertisedAddresses(agent.transport.listenAddresses),
        nat_type: 'Unknown',
        has_global_address: false,
        can_receive_direct: null,
        connected_peers: connected,
        direct_connections: connected,
        relayed_connections: 0,
        hole_punch_success_rate: 0,
        is_relaying: false,
        relay_sessions: 0,
        is_coordinating: false,
        coordination_sessions: 0,
        avg_rtt_ms: 0,
        uptime_secs: uptimeSeconds(context),
      }
    },
    'network.bootstrapCache': () => {
      const entries = context.node.peerCache.entries()
      return {
        ok: true,
        connection_count: agent.connections().length,
        connected_peers: entries.map(
          (entry) =>
            `CachedPeer { machine_id: ${entry.machineId}, addresses: [${entry.addresses.map((address) => formatPeerAddress(address)).join(', ')}], score: ${entry.score.toFixed(3)} }`,
        ),
      }
    },
    'diagnostics.connectivity': () => {
      const { connected } = counts()
      const mdns = agent.networkJoin.mdns
      return {
        ok: true,
        peer_id: agent.machineId,
        local_addr: localAddress(context),
        external_addrs: advertisedAddresses(agent.transport.listenAddresses),
        nat_type: 'Unknown',
        can_receive_direct: null,
        direct_reachability_scope: null,
        has_global_address: false,
        port_mapping: { active: false, external_addr: null },
        mdns: {
          browsing: mdns?.browsing ?? false,
          advertising: mdns?.advertising ?? false,
          discovered_peers: mdns?.peers().length ?? 0,
        },
        services: { relay_enabled: false, coordinator_enabled: false, bootstrap_enabled: true },
        connections: {
          connected_peers: connected,
          active: connected,
          direct: connected,
          relayed: 0,
          hole_punch_success_rate: 0,
        },
        relay: { is_relaying: false, sessions: 0, bytes_forwarded: 0 },
        coordinator: { is_coordinating: false, sessions: 0 },
        avg_rtt_ms: 0,
        uptime_s: uptimeSeconds(context),
      }
    },
    'diagnostics.gossip': () => {
      const stats = agent.gossipStats()
      return {
        ok: true,
        // Local deliveries lost to slow consumers: the agent's subscriber queues plus the SSE and
        // WebSocket clients of this daemon that fell behind (each of them was told).
        stats: {
          ...stats.stats,
          slow_subscriber_dropped: stats.stats.slow_subscriber_dropped + context.streamDrops.total,
        },
        pubsub_stages: stats.pubsub_stages,
        dispatcher: { pubsub_service: stats.pubsub_service },
        recv_pump: {},
      }
    },
    'diagnostics.dm': () => {
      const stats = agent.directStats()
      return {
        ok: true,
        stats: {
          outgoing_send_total: stats.outgoing_send_total,
          outgoing_send_succeeded: stats.outgoing_send_succeeded,
          outgoing_send_failed: stats.outgoing_send_failed,
          outgoing_path_loopback: stats.outgoing_path_loopback,
          outgoing_path_raw_quic: stats.outgoing_path_raw_quic,
          outgoing_path_gossip_inbox: stats.outgoing_path_gossip_inbox,
          incoming_envelopes_total: stats.incoming_envelopes_total,
          incoming_decode_failed: stats.incoming_decode_failed,
          incoming_signature_failed: stats.incoming_signature_failed,
          incoming_trust_rejected: stats.incoming_trust_rejected,
          incoming_delivered_to_subscribe: stats.incoming_delivered_to_subscribe,
          subscriber_events_evicted: context.direct.evicted,
          subscriber_channel_lagged: 0,
          subscriber_channel_closed: 0,
        },
        per_peer: {},
        subscriber_count: context.direct.fanout.size,
        subscriber_capacity: context.direct.capacity,
      }
    },
    'peers.probe': async ({ params, query, signal }) => {
      const machineId = parseHex32(params['peer_id'] ?? '') as MachineId
      const timeoutMs = clamp(Number(query['timeout_ms'] ?? 2_000), 100, 30_000)
      const connection = agent.transport.getConnection(machineId)
      if (connection === undefined) throw new HttpError(503, 'peer not connected')
      const started = performance.now()
      try {
        await connection.ping({ signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) })
      } catch {
        throw new HttpError(503, 'probe failed')
      }
      const elapsed = performance.now() - started
      return {
        ok: true,
        rtt_ms: Math.round(elapsed),
        rtt_us: Math.round(elapsed * 1000),
        timeout_ms: timeoutMs,
      }
    },
    'peers.health': ({ params }) => {
      const machineId = parseHex32(params['peer_id'] ?? '') as MachineId
      const connection = agent.transport.getConnection(machineId)
      const record = context.peerEvents.record(machineId)
      const now = Date.now()
      return {
        ok: true,
        peer_id: machineId,
        health:
          connection === undefined ? (record === undefined ? 'Unknown' : 'Closed') : 'Healthy',
        snapshot: {
          connected: connection !== undefined,
          generation: record?.generation ?? 0,
          reader_task_active: connection !== undefined,
          last_received_ms_ago: null,
          last_sent_ms_ago: null,
          idle_ms: connection === undefined ? null : now - connection.openedAt,
          close_reason: record?.closeReason ?? null,
        },
      }
    },
  }
}
