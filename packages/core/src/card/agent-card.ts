// Agent cards (API.md §5.2): `x0x://agent/<base64url, unpadded, of the card JSON>`. A card tells
// another agent how to reach this one: ids, addresses, and the ML-KEM key for sealed messages.
// Cards are unsigned in x0x 0.19.21, so an imported card is a hint: it seeds the discovery cache
// and the contact book; signed announcements from the network take precedence.
import {
  ML_KEM_768_PUBLIC_KEY_BYTES,
  parseAgentId,
  parseMachineId,
  parseUserId,
  type AgentId,
  type MachineId,
  type UserId,
} from '@x0x/pqc'
import { InvalidAgentCardError } from '../errors.js'

/** The link scheme of agent cards. */
export const AGENT_CARD_PREFIX = 'x0x://agent/'
/** Cards larger than this are refused before decoding (a KEM key as numbers is ~5 KB). */
export const MAX_AGENT_CARD_BYTES = 65_536

/** `dm_capabilities` of a card. */
export interface DmCapabilities {
  readonly max_protocol_version: number
  readonly gossip_inbox: boolean
  readonly kem_algorithm: 'ML-KEM-768'
  readonly max_envelope_bytes: number
  /** The 1184-byte KEM public key as an array of byte values (serde `Vec<u8>`). */
  readonly kem_public_key: readonly number[]
}

/** The card JSON in x0x's field order. */
export interface AgentCard {
  readonly display_name: string
  readonly agent_id: AgentId
  readonly machine_id: MachineId
  readonly user_id?: UserId
  readonly addresses: readonly string[]
  readonly groups?: readonly { name: string; invite_link: string }[]
  readonly stores?: readonly { name: string; topic: string }[]
  readonly created_at: number
  readonly dm_capabilities?: DmCapabilities
}

/** What `createAgentCard` needs. */
export interface AgentCardInit {
  readonly displayName: string
  readonly agentId: AgentId
  readonly machineId: MachineId
  readonly userId?: UserId | undefined
  readonly addresses: readonly string[]
  /** Unix seconds. */
  readonly createdAt: number
  readonly kemPublicKey: Uint8Array
}

export function createAgentCard(init: AgentCardInit): AgentCard {
  return {
    display_name: init.displayName,
    agent_id: init.agentId,
    machine_id: init.machineId,
    ...(init.userId === undefined ? {} : { user_id: init.userId }),
    addresses: [...init.addresses],
    created_at: init.createdAt,
    dm_capabilities: {
      max_protocol_version: 1,
      gossip_inbox: true,
      kem_algorithm: 'ML-KEM-768',
      max_envelope_bytes: 65_536,
      kem_public_key: [...init.kemPublicKey],
    },
  }
}

export function encodeAgentCardLink(card: AgentCard): string {
  return AGENT_CARD_PREFIX + Buffer.from(JSON.stringify(card), 'utf8').toString('base64url')
}

function field<T>(condition: boolean, value: T, what: string): T {
  if (!condition) throw new InvalidAgentCardError(`invalid card: ${what}`)
  return value
}

function parseId<T>(parse: (text: string) => T, value: unknown, what: string): T {
  try {
    return parse(typeof value === 'string' ? value : '')
  } catch (error) {
    throw new InvalidAgentCardError(`invalid card: ${what}`, { cause: error })
  }
}

function parseCapabilities(value: unknown): DmCapabilities | undefined {
  if (value === undefined || value === null) return undefined
  const record = field(
    typeof value === 'object',
    value as Record<string, unknown>,
    'dm_capabilities',
  )
  const key = record['kem_public_key']
  const bytes = field(
    Array.isArray(key) &&
      key.length === ML_KEM_768_PUBLIC_KEY_BYTES &&
      key.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255),
    key as number[],
    'kem_public_key must be 1184 byte values',
  )
  return {
    max_protocol_version: Number(record['max_protocol_version'] ?? 1),
    gossip_inbox: record['gossip_inbox'] === true,
    kem_algorithm: 'ML-KEM-768',
    max_envelope_bytes: Number(record['max_envelope_bytes'] ?? 65_536),
    kem_public_key: bytes,
  }
}

function parseAddresses(value: unknown): string[] {
  return field(
    Array.isArray(value) && value.length <= 64 && value.every((item) => typeof item === 'string'),
    value as string[],
    'addresses must be a list of "ip:port" strings',
  )
}

/**
 * Parses a card link (`x0x://agent/…`) or its bare base64url part.
 *
 * @throws InvalidAgentCardError with an `invalid card: …` message
 */
export function parseAgentCardLink(link: string): AgentCard {
  const encoded = link.trim().startsWith(AGENT_CARD_PREFIX)
    ? link.trim().slice(AGENT_CARD_PREFIX.length)
    : link.trim()
  field(encoded.length > 0 && encoded.length <= MAX_AGENT_CARD_BYTES, null, 'empty or too large')
  field(/^[A-Za-z0-9_-]+={0,2}$/.test(encoded), null, 'not base64url')
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'))
  } catch (error) {
    throw new InvalidAgentCardError('invalid card: not JSON', { cause: error })
  }
  const record = field(
    typeof json === 'object' && json !== null && !Array.isArray(json),
    json as Record<string, unknown>,
    'not a JSON object',
  )
  const userId = record['user_id']
  const capabilities = parseCapabilities(record['dm_capabilities'])
  const displayName = record['display_name']
  return {
    display_name: typeof displayName === 'string' ? displayName : '',
    agent_id: parseId(parseAgentId, record['agent_id'], 'agent_id'),
    machine_id: parseId(parseMachineId, record['machine_id'], 'machine_id'),
    ...(userId === undefined || userId === null
      ? {}
      : { user_id: parseId(parseUserId, userId, 'user_id') }),
    addresses: parseAddresses(record['addresses'] ?? []),
    created_at: Number(record['created_at'] ?? 0),
    ...(capabilities === undefined ? {} : { dm_capabilities: capabilities }),
  }
}
