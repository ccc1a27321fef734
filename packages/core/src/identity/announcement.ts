// Signed identity announcements. The agent publishes one on `x0x.identity.announce.v2`; pub/sub
// already signs it with the agent key (so its origin is authenticated), and the machine key signs
// the body too, so a receiver learns a binding agent ↔ machine that both keys vouch for: an agent
// cannot claim a machine it does not run on, nor a machine an agent it does not host. A user
// certificate, when the agent chooses to disclose it, binds user → agent (`@x0x/pqc`).
import { ByteReader, ByteWriter, DecodeError } from '@x0x/base'
import {
  AGENT_CERTIFICATE_BYTES,
  ML_DSA_65_PUBLIC_KEY_BYTES,
  ML_DSA_65_SIGNATURE_BYTES,
  ML_KEM_768_PUBLIC_KEY_BYTES,
  agentIdFromPublicKey,
  decodeAgentCertificate,
  encodeAgentCertificate,
  machineIdFromPublicKey,
  signingContext,
  verifyAgentCertificate,
  type AgentCertificate,
  type AgentId,
  type MachineId,
  type MlDsa65KeyPair,
  type PqcBackend,
  type UserId,
} from '@x0x/pqc'
import {
  ANNOUNCEMENT_MACHINE_CONTEXT,
  MAX_ANNOUNCED_ADDRESSES,
  MAX_ANNOUNCEMENT_BYTES,
} from '../constants.js'
import { InvalidAnnouncementError } from '../errors.js'

const VERSION = 1
const MAX_ADDRESS_TEXT_BYTES = 64
const MACHINE_CONTEXT = signingContext(ANNOUNCEMENT_MACHINE_CONTEXT)
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** What an announcement says, before signing. */
export interface AnnouncementContent {
  readonly agentPublicKey: Uint8Array
  readonly machinePublicKey: Uint8Array
  readonly kemPublicKey: Uint8Array
  /** `host:port` texts where the machine may be dialled. */
  readonly addresses: readonly string[]
  /** Unix milliseconds at the announcer. */
  readonly announcedAt: number
  /** Discloses the user → agent binding; omitted unless the agent chose to. */
  readonly certificate?: AgentCertificate | undefined
}

/** A decoded, verified announcement. */
export interface VerifiedAnnouncement extends AnnouncementContent {
  readonly agentId: AgentId
  readonly machineId: MachineId
  readonly userId: UserId | undefined
}

function encodeBody(content: AnnouncementContent): ByteWriter {
  if (content.addresses.length > MAX_ANNOUNCED_ADDRESSES) {
    throw new InvalidAnnouncementError(`at most ${MAX_ANNOUNCED_ADDRESSES} addresses`)
  }
  const writer = new ByteWriter({ initialBytes: 8_192, maxBytes: MAX_ANNOUNCEMENT_BYTES })
  writer.uint8(VERSION)
  writer.bytes(content.agentPublicKey).bytes(content.machinePublicKey).bytes(content.kemPublicKey)
  writer.uint64(content.announcedAt)
  writer.uint8(content.addresses.length)
  for (const address of content.addresses) writer.prefixedBytes('uint8', encoder.encode(address))
  if (content.certificate === undefined) writer.uint8(0)
  else writer.uint8(1).bytes(encodeAgentCertificate(content.certificate))
  return writer
}

/** Encodes `content` and signs it with the machine key (the agent signs it again in pub/sub). */
export function encodeAnnouncement(
  content: AnnouncementContent,
  machine: MlDsa65KeyPair,
): Uint8Array {
  const body = encodeBody(content).finish()
  const signature = machine.sign(body, MACHINE_CONTEXT)
  const writer = new ByteWriter({ initialBytes: 8_192, maxBytes: MAX_ANNOUNCEMENT_BYTES })
  return writer.bytes(body).bytes(signature).finish()
}

function readBody(reader: ByteReader): AnnouncementContent {
  if (reader.uint8('version') !== VERSION) throw new DecodeError('unsupported announcement version')
  const agentPublicKey = reader.bytes(ML_DSA_65_PUBLIC_KEY_BYTES, 'agent public key')
  const machinePublicKey = reader.bytes(ML_DSA_65_PUBLIC_KEY_BYTES, 'machine public key')
  const kemPublicKey = reader.bytes(ML_KEM_768_PUBLIC_KEY_BYTES, 'KEM public key')
  const announcedAt = reader.uint64Number('announced at')
  const count = reader.count('uint8', MAX_ANNOUNCED_ADDRESSES, 'address count')
  const addresses: string[] = []
  for (let index = 0; index < count; index++) {
    addresses.push(decoder.decode(reader.prefixedBytes('uint8', MAX_ADDRESS_TEXT_BYTES, 'address')))
  }
  const hasCertificate = reader.uint8('certificate flag')
  if (hasCertificate > 1) throw new DecodeError('bad certificate flag')
  const certificate =
    hasCertificate === 1
      ? decodeAgentCertificate(reader.bytes(AGENT_CERTIFICATE_BYTES, 'certificate'))
      : undefined
  return { agentPublicKey, machinePublicKey, kemPublicKey, addresses, announcedAt, certificate }
}

/**
 * Decodes and verifies an announcement received from `origin` (the agent pub/sub authenticated).
 *
 * @throws InvalidAnnouncementError when it is malformed, signed by the wrong keys, or not `origin`'s
 */
export function decodeAnnouncement(
  bytes: Uint8Array,
  origin: AgentId,
  backend: PqcBackend,
  now: number,
): VerifiedAnnouncement {
  if (bytes.length > MAX_ANNOUNCEMENT_BYTES) throw new InvalidAnnouncementError('too large')
  let content: AnnouncementContent
  let body: Uint8Array
  let signature: Uint8Array
  try {
    const reader = new ByteReader(bytes)
    content = readBody(reader)
    body = bytes.subarray(0, reader.offset)
    signature = reader.bytes(ML_DSA_65_SIGNATURE_BYTES, 'machine signature')
    reader.end('announcement')
  } catch (error) {
    throw new InvalidAnnouncementError('malformed announcement', { cause: error })
  }
  const agentId = agentIdFromPublicKey(content.agentPublicKey)
  if (agentId !== origin) throw new InvalidAnnouncementError('announcement of another agent')
  if (!backend.verifyMlDsa65(content.machinePublicKey, body, signature, MACHINE_CONTEXT)) {
    throw new InvalidAnnouncementError('machine signature does not verify')
  }
  let userId: UserId | undefined
  if (content.certificate !== undefined) {
    try {
      userId = verifyAgentCertificate(content.certificate, { now, agentId, backend }).userId
    } catch (error) {
      throw new InvalidAnnouncementError('user certificate does not verify', { cause: error })
    }
  }
  return {
    ...content,
    agentId,
    machineId: machineIdFromPublicKey(content.machinePublicKey),
    userId,
  }
}
