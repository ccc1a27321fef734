// Agent, machine and user ids: `SHA-256("AUTONOMI_PEER_ID_V2:" ‖ ML-DSA-65 public key)`, written as
// 64 lowercase hex characters, exactly as x0x derives them.
import { createHash } from 'node:crypto'
import { toHex } from '@x0x/base'
import { ownedBytes } from './bytes.js'
import { ID_BYTES, ID_HEX_LENGTH, ML_DSA_65_PUBLIC_KEY_BYTES, PEER_ID_PREFIX } from './constants.js'
import { InvalidIdError } from './errors.js'
import { assertKeyLength } from './key-material.js'

declare const idKind: unique symbol

/** The id of an agent: the hash of its portable agent signing key. */
export type AgentId = string & { readonly [idKind]: 'AgentId' }
/** The id of a machine: the hash of the key that authenticates its transport. */
export type MachineId = string & { readonly [idKind]: 'MachineId' }
/** The id of a user: the hash of the (optional) key that certifies the user's agents. */
export type UserId = string & { readonly [idKind]: 'UserId' }
/** Any of the three ids. */
export type IdentityId = AgentId | MachineId | UserId

const PREFIX_BYTES = Buffer.from(PEER_ID_PREFIX, 'latin1')
const NOT_LOWERCASE_HEX = /[^0-9a-f]/

function digestOf(publicKey: Uint8Array, kind: string): string {
  assertKeyLength(publicKey, ML_DSA_65_PUBLIC_KEY_BYTES, `${kind} public key (ML-DSA-65)`)
  return createHash('sha256').update(PREFIX_BYTES).update(publicKey).digest('hex')
}

function parseId(text: unknown, kind: string): string {
  if (typeof text !== 'string') {
    throw new InvalidIdError(`${kind} id must be a string, got ${typeof text}`)
  }
  if (text.length !== ID_HEX_LENGTH) {
    throw new InvalidIdError(
      `${kind} id must be ${ID_HEX_LENGTH} hex characters, got ${text.length}`,
    )
  }
  const index = text.search(NOT_LOWERCASE_HEX)
  if (index !== -1) {
    const character = JSON.stringify(String.fromCodePoint(text.codePointAt(index) ?? 0))
    throw new InvalidIdError(
      `${kind} id must be lowercase hex: character ${character} at index ${index} is not`,
    )
  }
  return text
}

function idFromBytes(bytes: Uint8Array, kind: string): string {
  if (!(bytes instanceof Uint8Array) || bytes.length !== ID_BYTES) {
    const length = bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes
    throw new InvalidIdError(`${kind} id must be ${ID_BYTES} bytes, got ${length}`)
  }
  return toHex(bytes)
}

/** The agent id of a 1952-byte ML-DSA-65 agent public key. @throws InvalidKeyError */
export function agentIdFromPublicKey(publicKey: Uint8Array): AgentId {
  return digestOf(publicKey, 'agent') as AgentId
}

/** The machine id of a 1952-byte ML-DSA-65 machine public key. @throws InvalidKeyError */
export function machineIdFromPublicKey(publicKey: Uint8Array): MachineId {
  return digestOf(publicKey, 'machine') as MachineId
}

/** The user id of a 1952-byte ML-DSA-65 user public key. @throws InvalidKeyError */
export function userIdFromPublicKey(publicKey: Uint8Array): UserId {
  return digestOf(publicKey, 'user') as UserId
}

/** Checks text (e.g. from a CLI argument or JSON) is an agent id. @throws InvalidIdError */
export function parseAgentId(text: string): AgentId {
  return parseId(text, 'agent') as AgentId
}

/** Checks text is a machine id. @throws InvalidIdError */
export function parseMachineId(text: string): MachineId {
  return parseId(text, 'machine') as MachineId
}

/** Checks text is a user id. @throws InvalidIdError */
export function parseUserId(text: string): UserId {
  return parseId(text, 'user') as UserId
}

/** The agent id whose 32 digest bytes are `bytes` (e.g. read from a wire frame). @throws InvalidIdError */
export function agentIdFromBytes(bytes: Uint8Array): AgentId {
  return idFromBytes(bytes, 'agent') as AgentId
}

/** The machine id whose 32 digest bytes are `bytes`. @throws InvalidIdError */
export function machineIdFromBytes(bytes: Uint8Array): MachineId {
  return idFromBytes(bytes, 'machine') as MachineId
}

/** The user id whose 32 digest bytes are `bytes`. @throws InvalidIdError */
export function userIdFromBytes(bytes: Uint8Array): UserId {
  return idFromBytes(bytes, 'user') as UserId
}

/**
 * The 32 digest bytes of an id, for wire encodings.
 *
 * @throws InvalidIdError when `id` is not 64 lowercase hex characters (e.g. an unchecked cast).
 */
export function idToBytes(id: IdentityId): Uint8Array {
  return ownedBytes(Buffer.from(parseId(id, 'the'), 'hex'))
}
