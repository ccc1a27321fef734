import {
  array,
  boolean,
  hex32,
  integer,
  jsonValue,
  nullable,
  number,
  object,
  optional,
  record,
  string,
  type Infer,
} from '../schema/index.js'
import { okTrue } from './common.js'

// §1.3 Network, peers, diagnostics

const count = () => integer()

export const PeersResponseSchema = object('PeersResponse', {
  ok: okTrue,
  peers: array(object('Peer', { id: hex32({ description: 'machine id' }) })),
})

export const NetworkStatusResponseSchema = object('NetworkStatusResponse', {
  ok: okTrue,
  local_addr: nullable(string()),
  external_addrs: array(string()),
  nat_type: string({ description: 'Rust Debug text' }),
  has_global_address: boolean(),
  can_receive_direct: nullable(boolean()),
  connected_peers: count(),
  direct_connections: count(),
  relayed_connections: count(),
  hole_punch_success_rate: number(),
  is_relaying: boolean(),
  relay_sessions: count(),
  is_coordinating: boolean(),
  coordination_sessions: count(),
  avg_rtt_ms: number(),
  uptime_secs: count(),
})

export const BootstrapCacheResponseSchema = object('BootstrapCacheResponse', {
  ok: okTrue,
  connection_count: count(),
  connected_peers: array(string({ description: 'Rust Debug text' })),
})

export const ConnectivityDiagnosticsSchema = object('ConnectivityDiagnostics', {
  ok: okTrue,
  peer_id: hex32(),
  local_addr: nullable(string()),
  external_addrs: array(string()),
  nat_type: string(),
  can_receive_direct: nullable(boolean()),
  direct_reachability_scope: nullable(string()),
  has_global_address: boolean(),
  port_mapping: object('PortMapping', { active: boolean(), external_addr: nullable(string()) }),
  mdns: object('MdnsDiagnostics', {
    browsing: boolean(),
    advertising: boolean(),
    discovered_peers: count(),
  }),
  services: object('ServiceFlags', {
    relay_enabled: boolean(),
    coordinator_enabled: boolean(),
    bootstrap_enabled: boolean(),
  }),
  connections: object('ConnectionCounts', {
    connected_peers: count(),
    active: count(),
    direct: count(),
    relayed: count(),
    hole_punch_success_rate: number(),
  }),
  relay: object('RelayDiagnostics', {
    is_relaying: boolean(),
    sessions: count(),
    bytes_forwarded: count(),
  }),
  coordinator: object('CoordinatorDiagnostics', { is_coordinating: boolean(), sessions: count() }),
  avg_rtt_ms: number(),
  uptime_s: count(),
})

const GOSSIP_COUNTERS = [
  'publish_total',
  'publish_failed',
  'incoming_total',
  'incoming_decoded',
  'incoming_decode_failed',
  'delivered_to_subscriber',
  'slow_subscriber_dropped',
  'subscriber_channel_closed',
  'in_flight_decode',
  'decode_to_delivery_drops',
] as const

export const GossipDiagnosticsSchema = object('GossipDiagnostics', {
  ok: okTrue,
  stats: object(
    'GossipStats',
    Object.fromEntries(GOSSIP_COUNTERS.map((name) => [name, count()])) as Record<
      (typeof GOSSIP_COUNTERS)[number],
      ReturnType<typeof count>
    >,
  ),
  pubsub_stages: jsonValue({ description: 'per-stage counters (implementation-specific)' }),
  dispatcher: jsonValue({ description: 'per-stream dispatcher counters' }),
  recv_pump: jsonValue({ description: 'receive pump counters' }),
})

const DM_COUNTERS = [
  'outgoing_send_total',
  'outgoing_send_succeeded',
  'outgoing_send_failed',
  'outgoing_path_loopback',
  'outgoing_path_raw_quic',
  'outgoing_path_gossip_inbox',
  'incoming_envelopes_total',
  'incoming_decode_failed',
  'incoming_signature_failed',
  'incoming_trust_rejected',
  'incoming_delivered_to_subscribe',
  'subscriber_events_evicted',
  'subscriber_channel_lagged',
  'subscriber_channel_closed',
] as const

export const DmDiagnosticsSchema = object('DmDiagnostics', {
  ok: okTrue,
  stats: object(
    'DmStats',
    Object.fromEntries(DM_COUNTERS.map((name) => [name, count()])) as Record<
      (typeof DM_COUNTERS)[number],
      ReturnType<typeof count>
    >,
  ),
  per_peer: record(
    object('DmPeerStats', {
      avg_rtt_ms: nullable(number()),
      last_send_ms_ago: nullable(count()),
      last_recv_ms_ago: nullable(count()),
      send_succeeded: count(),
      send_failed: count(),
      recv_count: count(),
      preferred_path: nullable(string()),
    }),
    { description: 'keyed by agent id (hex)' },
  ),
  subscriber_count: count(),
  subscriber_capacity: count(),
})

export const ProbeQuerySchema = object('ProbeQuery', {
  timeout_ms: optional(integer({ description: 'clamped to 100–30000' }), { defaultValue: 2000 }),
})

export const ProbeResponseSchema = object('ProbeResponse', {
  ok: okTrue,
  rtt_ms: number(),
  rtt_us: count(),
  timeout_ms: count(),
})

export const PeerHealthResponseSchema = object('PeerHealthResponse', {
  ok: okTrue,
  peer_id: hex32(),
  health: string({ description: 'Rust Debug text' }),
  snapshot: object('PeerHealthSnapshot', {
    connected: boolean(),
    generation: count(),
    reader_task_active: boolean(),
    last_received_ms_ago: nullable(count()),
    last_sent_ms_ago: nullable(count()),
    idle_ms: nullable(count()),
    close_reason: nullable(string()),
  }),
})

/** `peer-lifecycle` on `/peers/events`. */
export const PeerLifecycleEventSchema = object('PeerLifecycleEvent', {
  peer_id: hex32(),
  event: string({ description: 'Rust Debug text: Established, Replaced, Closing, Closed, …' }),
  at_ms: count(),
})

export type PeersResponse = Infer<typeof PeersResponseSchema>
export type NetworkStatusResponse = Infer<typeof NetworkStatusResponseSchema>
export type BootstrapCacheResponse = Infer<typeof BootstrapCacheResponseSchema>
export type ConnectivityDiagnostics = Infer<typeof ConnectivityDiagnosticsSchema>
export type GossipDiagnostics = Infer<typeof GossipDiagnosticsSchema>
export type DmDiagnostics = Infer<typeof DmDiagnosticsSchema>
export type ProbeQuery = Infer<typeof ProbeQuerySchema>
export type ProbeResponse = Infer<typeof ProbeResponseSchema>
export type PeerHealthResponse = Infer<typeof PeerHealthResponseSchema>
export type PeerLifecycleEvent = Infer<typeof PeerLifecycleEventSchema>
