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
  string,
  type Infer,
  type Schema,
} from '../schema/index.js'

/** Contact trust levels as REST writes them (lower-case). */
export const TRUST_LEVELS = ['blocked', 'unknown', 'known', 'trusted'] as const

/** A contact trust level. */
export type TrustLevel = (typeof TRUST_LEVELS)[number]

/**
 * A trust level in a request: parsed by the handler, any letter case (`"Trusted"` passes), an
 * unknown value is a 400 with x0x's message.
 */
export function trustLevelInput(description?: string): Schema<TrustLevel> {
  return enumeration(TRUST_LEVELS, {
    stage: 'handler',
    caseInsensitive: true,
    invalidMessage: (value) =>
      `invalid trust level: ${value} (valid values: ${TRUST_LEVELS.join(', ')})`,
    ...(description === undefined ? {} : { description }),
  })
}

/** `true`, the `ok` of every success body. */
export const okTrue = literal(true)

/** The `{ok:true}` body of routes with nothing else to say. */
export const OkResponseSchema = object('OkResponse', { ok: okTrue })

/** The handler error body: `{ok:false,error}`. */
export const ErrorBodySchema = object('ErrorBody', { ok: literal(false), error: string() })

/** The error body without `ok` (the 401, `/introduction`'s 400 and 403). */
export const BareErrorBodySchema = object('BareErrorBody', { error: string() })

/** An agent in the discovery cache. Times are Unix seconds. */
export const DiscoveredAgentSchema = object('DiscoveredAgent', {
  agent_id: hex32(),
  machine_id: hex32(),
  user_id: nullable(hex32()),
  addresses: array(string({ description: 'ip:port' })),
  announced_at: integer({ description: 'Unix seconds' }),
  last_seen: integer({ description: 'Unix seconds' }),
})

/** A machine in the discovery cache. Times are Unix seconds. */
export const DiscoveredMachineSchema = object('DiscoveredMachine', {
  machine_id: hex32(),
  addresses: array(string({ description: 'ip:port' })),
  announced_at: integer({ description: 'Unix seconds' }),
  last_seen: integer({ description: 'Unix seconds' }),
  nat_type: nullable(string()),
  can_receive_direct: nullable(boolean()),
  is_relay: nullable(boolean()),
  is_coordinator: nullable(boolean()),
  agent_ids: array(hex32()),
  user_ids: array(hex32()),
})

export type DiscoveredAgent = Infer<typeof DiscoveredAgentSchema>
export type DiscoveredMachine = Infer<typeof DiscoveredMachineSchema>

/** The outcome of `POST /agents/connect` and `/machines/connect` (Rust Debug casing). */
export const CONNECT_OUTCOMES = [
  'Direct',
  'Coordinated',
  'AlreadyConnected',
  'Unreachable',
  'NotFound',
] as const

/** How the trust table judged a sender, in events (snake_case; `/trust/evaluate` uses PascalCase). */
export const TRUST_DECISIONS = [
  'accept',
  'accept_with_flag',
  'reject_machine_mismatch',
  'reject_blocked',
  'unknown',
] as const

/** A direct message as `/direct/events` and `/ws/direct` deliver it. */
export const DirectMessageSchema = object('DirectMessage', {
  sender: hex32({ description: 'sender agent id' }),
  machine_id: hex32(),
  payload: base64(),
  received_at: integer({ description: 'Unix milliseconds' }),
  verified: boolean(),
  trust_decision: nullable(enumeration(TRUST_DECISIONS)),
})

export type DirectMessage = Infer<typeof DirectMessageSchema>
