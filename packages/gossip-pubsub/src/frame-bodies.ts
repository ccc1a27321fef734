// The bodies of every frame but MESSAGE (layouts in pubsub-frame.ts), as encode / decode pairs by
// frame kind: the tree (IHAVE, GRAFT), anti-entropy (DIGEST_SUMMARY, DIGEST), key distribution
// (KEY_REQUEST, KEY_RESPONSE) and interest (INTEREST). Decoders check every count against its
// limit before reading the elements, and throw nothing but `DecodeError`.
import { DecodeError, toHex, type ByteReader, type ByteWriter } from '@x0x/base'
import { ML_DSA_65_PUBLIC_KEY_BYTES, type AgentId } from '@x0x/pqc'
import { AGENT_ID_BYTES, DIGEST_SUMMARY_BYTES, MESSAGE_ID_BYTES } from './constants.js'
import type { Announcement, DigestEntry, PubsubFrame, ResolvedFrameLimits } from './pubsub-frame.js'
import { decodeTopic, encodeTopic, type MessageId } from './signed-envelope.js'

const WANTS_REPLY_FLAG = 0b1

/** Encoded topics, shared read-only: a node sends many frames on few topics. */
const topicBytes = new Map<string, Uint8Array>()
/** Bound of `topicBytes`; past it the map is cleared (a cache, refilled on demand). */
const MAX_CACHED_TOPICS = 256

/** `encodeTopic`, memoised. @throws InvalidTopicError */
function topicBytesOf(topic: string, maxTopicBytes: number): Uint8Array {
  const cached = topicBytes.get(topic)
  if (cached !== undefined && cached.length <= maxTopicBytes) return cached
  const encoded = encodeTopic(topic, maxTopicBytes)
  if (topicBytes.size >= MAX_CACHED_TOPICS) topicBytes.clear()
  topicBytes.set(topic, encoded)
  return encoded
}

/** Writes the body of a frame other than MESSAGE. @throws InvalidTopicError */
export function writeBody(
  writer: ByteWriter,
  frame: Exclude<PubsubFrame, { readonly type: 'message' }>,
  limits: ResolvedFrameLimits,
): void {
  const topic = (value: string) =>
    writer.prefixedBytes('uint8', topicBytesOf(value, limits.maxTopicBytes))
  switch (frame.type) {
    case 'ihave':
      topic(frame.topic).uint16(frame.announcements.length)
      for (const { id, hops } of frame.announcements)
        writer.bytes(idBytes(id)).uint16(Math.min(hops, 0xffff))
      break
    case 'graft':
      topic(frame.topic).uint16(frame.ids.length)
      for (const id of frame.ids) writer.bytes(idBytes(id))
      break
    case 'prune':
      topic(frame.topic)
      break
    case 'digest-summary':
      topic(frame.topic).uint32(frame.streams).bytes(Buffer.from(frame.summary, 'hex'))
      break
    case 'digest':
      topic(frame.topic)
      writeDigest(writer, frame.wantsReply, frame.entries)
      break
    case 'key-request':
      writer.uint8(frame.origins.length)
      for (const origin of frame.origins) writer.bytes(Buffer.from(origin, 'hex'))
      break
    case 'key-response':
      writer.uint8(frame.publicKeys.length)
      for (const publicKey of frame.publicKeys) writer.bytes(publicKey)
      break
    case 'interest':
      writer.uint32(frame.requestId).uint16(frame.subscribe.length)
      for (const value of frame.subscribe) topic(value)
      writer.uint16(frame.unsubscribe.length)
      for (const value of frame.unsubscribe) topic(value)
      break
    case 'interest-ack':
      writer.uint32(frame.requestId)
      break
  }
}

function idBytes(id: MessageId): Uint8Array {
  return Buffer.from(id, 'hex')
}

function readId(reader: ByteReader): MessageId {
  return toHex(reader.bytes(MESSAGE_ID_BYTES, 'message id')) as MessageId
}

function readAgentId(reader: ByteReader): AgentId {
  return toHex(reader.bytes(AGENT_ID_BYTES, 'agent id')) as AgentId
}

export function decodeIHave(reader: ByteReader, limits: ResolvedFrameLimits): PubsubFrame {
  const topic = decodeTopic(reader, limits.maxTopicBytes)
  const count = reader.count('uint16', limits.maxIdsPerFrame, 'announcement count')
  const announcements: Announcement[] = []
  for (let index = 0; index < count; index++) {
    announcements.push({ id: readId(reader), hops: reader.uint16('hops') })
  }
  return { type: 'ihave', topic, announcements }
}

export function decodeGraft(reader: ByteReader, limits: ResolvedFrameLimits): PubsubFrame {
  const topic = decodeTopic(reader, limits.maxTopicBytes)
  const count = reader.count('uint16', limits.maxIdsPerFrame, 'id count')
  const ids: MessageId[] = []
  for (let index = 0; index < count; index++) ids.push(readId(reader))
  return { type: 'graft', topic, ids }
}

export function decodeDigestSummary(reader: ByteReader, limits: ResolvedFrameLimits): PubsubFrame {
  const topic = decodeTopic(reader, limits.maxTopicBytes)
  const streams = reader.uint32('stream count')
  const summary = toHex(reader.bytes(DIGEST_SUMMARY_BYTES, 'summary'))
  return { type: 'digest-summary', topic, streams, summary }
}

function writeDigest(
  writer: ByteWriter,
  wantsReply: boolean,
  entries: readonly DigestEntry[],
): void {
  writer.uint8(wantsReply ? WANTS_REPLY_FLAG : 0).uint16(entries.length)
  for (const entry of entries) {
    writer.bytes(Buffer.from(entry.origin, 'hex')).uint64(entry.epoch)
    writer.uint64(entry.contiguous).uint64(entry.highest)
  }
}

export function decodeDigest(reader: ByteReader, limits: ResolvedFrameLimits): PubsubFrame {
  const topic = decodeTopic(reader, limits.maxTopicBytes)
  const flags = reader.uint8('digest flags')
  if ((flags & ~WANTS_REPLY_FLAG) !== 0) throw new DecodeError(`unknown digest flags ${flags}`)
  const count = reader.count('uint16', limits.maxDigestEntries, 'digest entry count')
  const entries: DigestEntry[] = []
  for (let index = 0; index < count; index++) {
    const origin = readAgentId(reader)
    const epoch = reader.uint64Number('epoch')
    const contiguous = reader.uint64Number('contiguous')
    const highest = reader.uint64Number('highest')
    if (highest < contiguous) throw new DecodeError('digest highest below contiguous')
    entries.push({ origin, epoch, contiguous, highest })
  }
  return { type: 'digest', topic, wantsReply: flags === WANTS_REPLY_FLAG, entries }
}

export function decodeKeyRequest(reader: ByteReader, limits: ResolvedFrameLimits): PubsubFrame {
  const count = reader.count('uint8', limits.maxKeysPerFrame, 'key request count')
  const origins: AgentId[] = []
  for (let index = 0; index < count; index++) origins.push(readAgentId(reader))
  return { type: 'key-request', origins }
}

export function decodeKeyResponse(reader: ByteReader, limits: ResolvedFrameLimits): PubsubFrame {
  const count = reader.count('uint8', limits.maxKeysPerFrame, 'public key count')
  const publicKeys: Uint8Array[] = []
  for (let index = 0; index < count; index++) {
    publicKeys.push(reader.bytes(ML_DSA_65_PUBLIC_KEY_BYTES, 'public key'))
  }
  return { type: 'key-response', publicKeys }
}

export function decodeInterest(reader: ByteReader, limits: ResolvedFrameLimits): PubsubFrame {
  const requestId = reader.uint32('request id')
  const topics = () => {
    const count = reader.count('uint16', limits.maxTopicsPerFrame, 'topic count')
    return Array.from({ length: count }, () => decodeTopic(reader, limits.maxTopicBytes))
  }
  const subscribe = topics()
  return { type: 'interest', requestId, subscribe, unsubscribe: topics() }
}
