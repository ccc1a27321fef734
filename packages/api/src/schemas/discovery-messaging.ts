import {
  array,
  base64,
  boolean,
  enumeration,
  hex32,
  integer,
  literal,
  nullable,
  object,
  optional,
  string,
  taggedUnion,
  union,
  type Infer,
} from '../schema/index.js'
import {
  CONNECT_OUTCOMES,
  DirectMessageSchema,
  DiscoveredAgentSchema,
  DiscoveredMachineSchema,
  TRUST_LEVELS,
  okTrue,
} from './common.js'

// §1.5 Discovery

export const UnfilteredQuerySchema = object('UnfilteredQuery', {
  unfiltered: optional(boolean({ description: 'include TTL-expired entries' }), {
    defaultValue: false,
  }),
})

export const WaitQuerySchema = object('WaitQuery', {
  wait: optional(boolean({ description: 'a boolean, not seconds' }), { defaultValue: false }),
})

export const DiscoveredAgentsResponseSchema = object('DiscoveredAgentsResponse', {
  ok: okTrue,
  agents: array(DiscoveredAgentSchema),
})

export const DiscoveredAgentResponseSchema = object('DiscoveredAgentResponse', {
  ok: okTrue,
  agent: union('DiscoveredAgentOrMinimal', [
    DiscoveredAgentSchema,
    object('MinimalDiscoveredAgent', { agent_id: hex32(), addresses: array(string()) }),
  ]),
})

export const AgentMachineResponseSchema = object('AgentMachineResponse', {
  ok: okTrue,
  agent_id: hex32(),
  machine: DiscoveredMachineSchema,
})

export const FindAgentResponseSchema = union('FindAgentResponse', [
  object('AgentFound', { ok: okTrue, found: literal(true), addresses: array(string()) }),
  object('AgentNotFound', { ok: okTrue, found: literal(false) }),
])

export const ReachabilityResponseSchema = object('ReachabilityResponse', {
  ok: okTrue,
  likely_direct: boolean(),
  needs_coordination: boolean(),
  is_relay: nullable(boolean()),
  is_coordinator: nullable(boolean()),
  addresses: array(string()),
})

export const DiscoveredMachinesResponseSchema = object('DiscoveredMachinesResponse', {
  ok: okTrue,
  machines: array(DiscoveredMachineSchema),
})

export const DiscoveredMachineResponseSchema = object('DiscoveredMachineResponse', {
  ok: okTrue,
  machine: DiscoveredMachineSchema,
})

export const UserAgentsResponseSchema = object('UserAgentsResponse', {
  ok: okTrue,
  user_id: hex32(),
  agents: array(DiscoveredAgentSchema),
})

export const UserMachinesResponseSchema = object('UserMachinesResponse', {
  ok: okTrue,
  user_id: hex32(),
  machines: array(DiscoveredMachineSchema),
})

// §1.6 Gossip pub/sub

export const PublishRequestSchema = object('PublishRequest', {
  topic: string({ emptyMessage: 'topic must not be empty' }),
  payload: base64({ messagePrefix: 'invalid base64 in payload field: ' }),
})

export const SubscribeRequestSchema = object('SubscribeRequest', { topic: string() })

export const SubscribeResponseSchema = object('SubscribeResponse', {
  ok: okTrue,
  subscription_id: string({ description: '16 hex chars' }),
})

/** The `/events` bus: `{type, data}` envelopes, the type repeated from the event name. */
export const BusEventSchema = taggedUnion('BusEvent', 'type', {
  message: object('BusMessageEnvelope', {
    data: object('PubSubMessage', {
      subscription_id: string(),
      topic: string(),
      payload: base64(),
      sender: nullable(hex32({ description: 'sender agent id; null for unsigned frames' })),
      verified: boolean(),
      trust_level: nullable(enumeration(TRUST_LEVELS)),
    }),
  }),
  'file:offer': object('FileOfferEnvelope', {
    data: object('FileOffer', {
      transfer_id: string(),
      filename: string(),
      size: integer(),
      sender: hex32(),
    }),
  }),
  'file:complete': object('FileCompleteEnvelope', {
    data: object('FileComplete', {
      transfer_id: string(),
      filename: string(),
      sha256: string(),
      path: string(),
    }),
  }),
})

// §1.7 Direct messaging

export const ConnectAgentRequestSchema = object('ConnectAgentRequest', { agent_id: hex32() })

export const ConnectMachineRequestSchema = object('ConnectMachineRequest', {
  machine_id: hex32(),
})

export const ConnectResponseSchema = object('ConnectResponse', {
  ok: okTrue,
  outcome: enumeration(CONNECT_OUTCOMES),
  addr: nullable(string({ description: 'ip:port' })),
})

export const DirectSendRequestSchema = object('DirectSendRequest', {
  agent_id: hex32(),
  payload: base64({ messagePrefix: 'invalid base64: ' }),
  require_ack_ms: optional(integer({ description: 'post-send liveness probe, clamped 100–30000' })),
})

export const DirectSendResponseSchema = object('DirectSendResponse', {
  ok: okTrue,
  path: enumeration(['loopback', 'gossip_inbox', 'raw_quic', 'raw_quic_acked']),
  retries_used: integer(),
  request_id: string({ description: '32 hex chars' }),
  require_ack: nullable(
    union('RequireAckResult', [
      object('AckOk', { ok: literal(true), rtt_ms: integer() }),
      object('AckFailed', { ok: literal(false), error: string() }),
    ]),
  ),
})

/** A failed `/direct/send`: `error` is the failure kind, mapped to the status. */
export const DirectSendFailureSchema = object('DirectSendFailure', {
  ok: literal(false),
  error: enumeration([
    'recipient_rejected',
    'recipient_key_unavailable',
    'timeout',
    'peer_likely_offline',
    'peer_disconnected',
    'local_gossip_unavailable',
    'envelope_construction',
    'payload_too_large',
    'no_connectivity',
    'publish_failed',
  ]),
  detail: optional(string()),
})

export const DirectConnectionsResponseSchema = object('DirectConnectionsResponse', {
  ok: okTrue,
  connections: array(
    object('DirectConnection', { agent_id: hex32(), machine_id: nullable(hex32()) }),
  ),
})

export { DirectMessageSchema }

export type UnfilteredQuery = Infer<typeof UnfilteredQuerySchema>
export type WaitQuery = Infer<typeof WaitQuerySchema>
export type DiscoveredAgentsResponse = Infer<typeof DiscoveredAgentsResponseSchema>
export type DiscoveredAgentResponse = Infer<typeof DiscoveredAgentResponseSchema>
export type AgentMachineResponse = Infer<typeof AgentMachineResponseSchema>
export type FindAgentResponse = Infer<typeof FindAgentResponseSchema>
export type ReachabilityResponse = Infer<typeof ReachabilityResponseSchema>
export type DiscoveredMachinesResponse = Infer<typeof DiscoveredMachinesResponseSchema>
export type DiscoveredMachineResponse = Infer<typeof DiscoveredMachineResponseSchema>
export type UserAgentsResponse = Infer<typeof UserAgentsResponseSchema>
export type UserMachinesResponse = Infer<typeof UserMachinesResponseSchema>
export type PublishRequest = Infer<typeof PublishRequestSchema>
export type SubscribeRequest = Infer<typeof SubscribeRequestSchema>
export type SubscribeResponse = Infer<typeof SubscribeResponseSchema>
export type BusEvent = Infer<typeof BusEventSchema>
export type ConnectAgentRequest = Infer<typeof ConnectAgentRequestSchema>
export type ConnectMachineRequest = Infer<typeof ConnectMachineRequestSchema>
export type ConnectResponse = Infer<typeof ConnectResponseSchema>
export type DirectSendRequest = Infer<typeof DirectSendRequestSchema>
export type DirectSendResponse = Infer<typeof DirectSendResponseSchema>
export type DirectSendFailure = Infer<typeof DirectSendFailureSchema>
export type DirectConnectionsResponse = Infer<typeof DirectConnectionsResponseSchema>
