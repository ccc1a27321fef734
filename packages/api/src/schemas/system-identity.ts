import {
  array,
  boolean,
  enumeration,
  hex32,
  integer,
  jsonValue,
  literal,
  nullable,
  object,
  optional,
  string,
  type Infer,
} from '../schema/index.js'
import { okTrue, trustLevelInput } from './common.js'

// §1.1 System

export const HealthResponseSchema = object('HealthResponse', {
  ok: okTrue,
  status: string({ description: '`healthy` at 0.19.21' }),
  version: string(),
  peers: integer(),
  uptime_secs: integer(),
})

export const StatusResponseSchema = object('StatusResponse', {
  ok: okTrue,
  status: enumeration(['connected', 'connecting', 'isolated', 'degraded']),
  version: string(),
  uptime_secs: integer(),
  api_address: string({ description: 'ip:port' }),
  external_addrs: array(string()),
  agent_id: hex32(),
  peers: integer(),
  warnings: array(string()),
})

export const ShutdownResponseSchema = object('ShutdownResponse', {
  ok: okTrue,
  message: literal('shutting down'),
})

// §1.2 Identity

export const AgentResponseSchema = object('AgentResponse', {
  ok: okTrue,
  agent_id: hex32(),
  machine_id: hex32(),
  user_id: nullable(hex32()),
  kem_public_key_b64: string({ description: 'ML-KEM-768 public key (1184 bytes), base64' }),
})

export const UserIdResponseSchema = object('UserIdResponse', {
  ok: okTrue,
  user_id: nullable(hex32()),
})

export const AnnounceRequestSchema = object('AnnounceRequest', {
  include_user_identity: optional(boolean(), { defaultValue: false }),
  human_consent: optional(boolean(), { defaultValue: false }),
})

export const AnnounceResponseSchema = object('AnnounceResponse', {
  ok: okTrue,
  include_user_identity: boolean(),
})

export const AgentCardQuerySchema = object('AgentCardQuery', {
  display_name: optional(string()),
  include_groups: optional(boolean(), { defaultValue: false }),
})

/** The agent card (API.md §5.2), unsigned at 0.19.21. */
export const AgentCardSchema = object('AgentCard', {
  display_name: string(),
  agent_id: hex32(),
  machine_id: hex32(),
  user_id: optional(hex32()),
  addresses: array(string({ description: 'ip:port' })),
  groups: optional(array(object('AgentCardGroup', { name: string(), invite_link: string() }))),
  stores: optional(array(object('AgentCardStore', { name: string(), topic: string() }))),
  created_at: integer({ description: 'Unix seconds' }),
  dm_capabilities: optional(jsonValue({ description: 'DM capability advert' })),
})

export const AgentCardResponseSchema = object('AgentCardResponse', {
  ok: okTrue,
  card: AgentCardSchema,
  link: string({ description: 'x0x://agent/<base64url JSON>' }),
})

export const ImportCardRequestSchema = object('ImportCardRequest', {
  card: string({ description: 'x0x://agent/… link or the raw base64url' }),
  trust_level: optional(trustLevelInput(), { defaultValue: 'known' }),
})

export const ImportCardResponseSchema = object('ImportCardResponse', {
  ok: okTrue,
  agent_id: hex32(),
  display_name: string(),
  trust_level: enumeration(['Blocked', 'Unknown', 'Known', 'Trusted'], {
    description: 'Rust Debug casing (unlike `/contacts`)',
  }),
  groups: integer(),
  stores: integer(),
})

export const IntroductionQuerySchema = object('IntroductionQuery', {
  peer: optional(hex32()),
})

export const IntroductionResponseSchema = object('IntroductionResponse', {
  ok: okTrue,
  agent_id: hex32(),
  display_name: nullable(string()),
  identity_words: string(),
  services: array(
    object('IntroductionService', {
      name: string(),
      description: string(),
      min_trust: string(),
    }),
  ),
  machine_id: optional(hex32()),
  user_id: optional(nullable(hex32())),
  certificate: optional(string()),
  signature: optional(string({ description: 'first 8 signature bytes, hex' })),
})

export type HealthResponse = Infer<typeof HealthResponseSchema>
export type StatusResponse = Infer<typeof StatusResponseSchema>
export type ShutdownResponse = Infer<typeof ShutdownResponseSchema>
export type AgentResponse = Infer<typeof AgentResponseSchema>
export type UserIdResponse = Infer<typeof UserIdResponseSchema>
export type AnnounceRequest = Infer<typeof AnnounceRequestSchema>
export type AnnounceResponse = Infer<typeof AnnounceResponseSchema>
export type AgentCardQuery = Infer<typeof AgentCardQuerySchema>
export type AgentCard = Infer<typeof AgentCardSchema>
export type AgentCardResponse = Infer<typeof AgentCardResponseSchema>
export type ImportCardRequest = Infer<typeof ImportCardRequestSchema>
export type ImportCardResponse = Infer<typeof ImportCardResponseSchema>
export type IntroductionQuery = Infer<typeof IntroductionQuerySchema>
export type IntroductionResponse = Infer<typeof IntroductionResponseSchema>
