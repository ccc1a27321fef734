import {
  array,
  base64,
  boolean,
  enumeration,
  hex32,
  integer,
  nullable,
  object,
  optional,
  record,
  string,
  taggedUnion,
  type Infer,
} from '../schema/index.js'
import { DirectMessageSchema, TRUST_LEVELS, okTrue, trustLevelInput } from './common.js'

// §1.8 Contacts, machines, trust. `unknownFields: 'reject'` exactly where x0x has
// `deny_unknown_fields` (API.md §0).

export const ContactSchema = object('Contact', {
  agent_id: hex32(),
  trust_level: enumeration(TRUST_LEVELS),
  label: nullable(string()),
  added_at: integer({ description: 'Unix seconds' }),
  last_seen: nullable(integer({ description: 'Unix seconds' })),
})

export const ContactsResponseSchema = object('ContactsResponse', {
  ok: okTrue,
  contacts: array(ContactSchema),
})

export const AddContactRequestSchema = object(
  'AddContactRequest',
  {
    agent_id: hex32(),
    trust_level: optional(trustLevelInput(), { defaultValue: 'known' }),
    label: optional(string()),
  },
  { unknownFields: 'reject' },
)

export const AddContactResponseSchema = object('AddContactResponse', {
  ok: okTrue,
  agent_id: hex32(),
})

export const SetTrustRequestSchema = object(
  'SetTrustRequest',
  { agent_id: hex32(), level: trustLevelInput() },
  { unknownFields: 'reject' },
)

export const IDENTITY_TYPES = ['anonymous', 'known', 'trusted', 'pinned'] as const

export const UpdateContactRequestSchema = object(
  'UpdateContactRequest',
  {
    trust_level: optional(trustLevelInput()),
    identity_type: optional(enumeration(IDENTITY_TYPES)),
  },
  { unknownFields: 'reject' },
)

export const RevokeContactRequestSchema = object('RevokeContactRequest', { reason: string() })

export const RevocationsResponseSchema = object('RevocationsResponse', {
  ok: okTrue,
  revocations: array(
    object('Revocation', {
      agent_id: hex32(),
      reason: string(),
      timestamp: integer(),
      revoker_id: nullable(hex32()),
    }),
  ),
})

export const ContactMachineSchema = object('ContactMachine', {
  machine_id: hex32(),
  label: nullable(string()),
  first_seen: integer(),
  last_seen: integer(),
  pinned: boolean(),
})

export const ContactMachinesResponseSchema = object('ContactMachinesResponse', {
  ok: okTrue,
  machines: array(ContactMachineSchema),
})

export const AddMachineRequestSchema = object(
  'AddMachineRequest',
  {
    machine_id: hex32({ invalidMessage: 'machine_id must be a 64-character hex string' }),
    label: optional(string()),
    pinned: optional(boolean(), { defaultValue: false }),
  },
  { unknownFields: 'reject' },
)

export const AddMachineResponseSchema = object('AddMachineResponse', {
  ok: okTrue,
  machine: ContactMachineSchema,
})

export const PinResponseSchema = object('PinResponse', { ok: okTrue, pinned: boolean() })
export const UnpinResponseSchema = object('UnpinResponse', { ok: okTrue, unpinned: boolean() })

export const TrustEvaluateRequestSchema = object('TrustEvaluateRequest', {
  agent_id: hex32(),
  machine_id: hex32(),
})

export const TrustEvaluateResponseSchema = object('TrustEvaluateResponse', {
  ok: okTrue,
  decision: enumeration(
    ['Accept', 'AcceptWithFlag', 'RejectMachineMismatch', 'RejectBlocked', 'Unknown'],
    { description: 'Rust Debug casing (events use snake_case)' },
  ),
})

// §2.1 WebSocket

const topics = () => array(string(), { maxItems: 1024 })

/** What a client sends on `/ws` and `/ws/direct`. */
export const WebSocketCommandSchema = taggedUnion('WebSocketCommand', 'type', {
  ping: object('PingCommand', {}),
  subscribe: object('SubscribeCommand', { topics: topics() }),
  unsubscribe: object('UnsubscribeCommand', { topics: topics() }),
  publish: object('PublishCommand', { topic: string(), payload: base64() }),
  send_direct: object('SendDirectCommand', { agent_id: hex32(), payload: base64() }),
})

/** What the daemon sends on `/ws` and `/ws/direct`. */
export const WebSocketMessageSchema = taggedUnion('WebSocketMessage', 'type', {
  connected: object('ConnectedMessage', { session_id: string(), agent_id: hex32() }),
  message: object('TopicMessage', {
    topic: string(),
    payload: base64(),
    origin: nullable(hex32({ description: 'sender agent id; null for unsigned frames' })),
  }),
  direct_message: DirectMessageSchema,
  subscribed: object('SubscribedMessage', { topics: array(string()) }),
  unsubscribed: object('UnsubscribedMessage', { topics: array(string()) }),
  pong: object('PongMessage', {}),
  error: object('WebSocketErrorMessage', { message: string() }),
})

export const WebSocketSessionsResponseSchema = object('WebSocketSessionsResponse', {
  ok: okTrue,
  sessions: array(
    object('WebSocketSession', {
      session_id: string(),
      subscribed_topics: array(string()),
      receives_direct: boolean(),
    }),
  ),
  shared_subscriptions: record(integer(), { description: 'WebSocket sessions per topic' }),
})

export type Contact = Infer<typeof ContactSchema>
export type ContactsResponse = Infer<typeof ContactsResponseSchema>
export type AddContactRequest = Infer<typeof AddContactRequestSchema>
export type AddContactResponse = Infer<typeof AddContactResponseSchema>
export type SetTrustRequest = Infer<typeof SetTrustRequestSchema>
export type UpdateContactRequest = Infer<typeof UpdateContactRequestSchema>
export type RevokeContactRequest = Infer<typeof RevokeContactRequestSchema>
export type RevocationsResponse = Infer<typeof RevocationsResponseSchema>
export type ContactMachine = Infer<typeof ContactMachineSchema>
export type ContactMachinesResponse = Infer<typeof ContactMachinesResponseSchema>
export type AddMachineRequest = Infer<typeof AddMachineRequestSchema>
export type AddMachineResponse = Infer<typeof AddMachineResponseSchema>
export type PinResponse = Infer<typeof PinResponseSchema>
export type UnpinResponse = Infer<typeof UnpinResponseSchema>
export type TrustEvaluateRequest = Infer<typeof TrustEvaluateRequestSchema>
export type TrustEvaluateResponse = Infer<typeof TrustEvaluateResponseSchema>
export type WebSocketCommand = Infer<typeof WebSocketCommandSchema>
export type WebSocketMessage = Infer<typeof WebSocketMessageSchema>
export type WebSocketSessionsResponse = Infer<typeof WebSocketSessionsResponseSchema>
