// The frames of the `pubsub` stream kind. Every frame starts `version u8 | type u8`.
//
//   MESSAGE        hops u16 | flags u8 (bit 0: public key attached) | [public key 1952] | envelope
//   IHAVE          topic | count u16 | count × (id [32] | hops u16)
//   GRAFT          topic | count u16 | count × id [32]          (count 0: graft the link only, §3.8)
//   PRUNE          topic
//   DIGEST_SUMMARY topic | streams u32 | summary [16]
//   DIGEST         topic | flags u8 (bit 0: wants reply) | count u16
//                  | count × (origin [32] | epoch u64 | contiguous u64 | highest u64)
//   KEY_REQUEST    count u8 | count × agent id [32]
//   KEY_RESPONSE   count u8 | count × ML-DSA-65 public key [1952]
//   INTEREST       request id u32 | count u16 | count × topic | count u16 | count × topic
//   INTEREST_ACK   request id u32
//
// A topic is `length u8 | UTF-8`. Message names follow the Plumtree paper (Leitão et al. 2007):
// GOSSIP is called MESSAGE here. The hop count and the public key sit outside the signed
// envelope: hops change at every forward, and a public key is self-certifying (its SHA-256 is the
// origin id), so neither needs the signature and neither changes the message id.
import { ByteReader, ByteWriter, DecodeError, toHex } from '@x0x/base'
import { ML_DSA_65_PUBLIC_KEY_BYTES, type AgentId } from '@x0x/pqc'
import {
  AGENT_ID_BYTES,
  DEFAULT_MAX_DIGEST_ENTRIES,
  DEFAULT_MAX_IDS_PER_FRAME,
  DEFAULT_MAX_KEYS_PER_FRAME,
  DEFAULT_MAX_TOPICS_PER_FRAME,
  DIGEST_SUMMARY_BYTES,
  FRAME_VERSION,
  MESSAGE_ID_BYTES,
} from './constants.js'
import {
  decodeTopic,
  encodeTopic,
  resolveEnvelopeLimits,
  type EnvelopeLimits,
  type MessageId,
} from './signed-envelope.js'

/** Frame type bytes. */
export const FRAME_TYPES = {
  message: 1,
  ihave: 2,
  graft: 3,
  prune: 4,
  'digest-summary': 5,
  digest: 6,
  'key-request': 7,
  'key-response': 8,
  interest: 9,
  'interest-ack': 10,
} as const

/** A lazy announcement: the id of a message and the hops it had travelled to the announcer. */
export interface Announcement {
  readonly id: MessageId
  readonly hops: number
}

/** What a node holds of one (origin, epoch) stream of a topic, for anti-entropy. */
export interface DigestEntry {
  readonly origin: AgentId
  readonly epoch: number
  /** Every sequence up to this one was received (or abandoned as unrecoverable). */
  readonly contiguous: number
  /** The highest sequence received. */
  readonly highest: number
}

/** A decoded pub/sub frame. */
export type PubsubFrame =
  | {
      readonly type: 'message'
      readonly hops: number
      readonly publicKey?: Uint8Array | undefined
      readonly envelope: Uint8Array
    }
  | {
      readonly type: 'ihave'
      readonly topic: string
      readonly announcements: readonly Announcement[]
    }
  | { readonly type: 'graft'; readonly topic: string; readonly ids: readonly MessageId[] }
  | { readonly type: 'prune'; readonly topic: string }
  | {
      readonly type: 'digest-summary'
      readonly topic: string
      readonly streams: number
      /** 32 hex characters. */
      readonly summary: string
    }
  | {
      readonly type: 'digest'
      readonly topic: string
      readonly wantsReply: boolean
      readonly entries: readonly DigestEntry[]
    }
  | { readonly type: 'key-request'; readonly origins: readonly AgentId[] }
  | { readonly type: 'key-response'; readonly publicKeys: readonly Uint8Array[] }
  | {
      readonly type: 'interest'
      readonly requestId: number
      readonly subscribe: readonly string[]
      readonly unsubscribe: readonly string[]
    }
  | { readonly type: 'interest-ack'; readonly requestId: number }

/** Element-count and size limits of the frame codec. */
export interface FrameLimits extends EnvelopeLimits {
  /** Most ids in an IHAVE or GRAFT. Default `DEFAULT_MAX_IDS_PER_FRAME` (256). */
  readonly maxIdsPerFrame?: number
  /** Most entries in a DIGEST. Default `DEFAULT_MAX_DIGEST_ENTRIES` (1,024). */
  readonly maxDigestEntries?: number
  /** Most keys in a KEY_REQUEST or KEY_RESPONSE (at most 255). Default 32. */
  readonly maxKeysPerFrame?: number
  /** Most topics in each list of an INTEREST. Default `DEFAULT_MAX_TOPICS_PER_FRAME` (256). */
  readonly maxTopicsPerFrame?: number
}

export type ResolvedFrameLimits = Required<FrameLimits>

export function resolveFrameLimits(limits: FrameLimits = {}): ResolvedFrameLimits {
  return {
    ...resolveEnvelopeLimits(limits),
    maxIdsPerFrame: limits.maxIdsPerFrame ?? DEFAULT_MAX_IDS_PER_FRAME,
    maxDigestEntries: limits.maxDigestEntries ?? DEFAULT_MAX_DIGEST_ENTRIES,
    maxKeysPerFrame: Math.min(limits.maxKeysPerFrame ?? DEFAULT_MAX_KEYS_PER_FRAME, 255),
    maxTopicsPerFrame: limits.maxTopicsPerFrame ?? DEFAULT_MAX_TOPICS_PER_FRAME,
  }
}

const PUBLIC_KEY_FLAG = 0b1
const WANTS_REPLY_FLAG = 0b1
const MESSAGE_HEADER_BYTES = 5

/** A MESSAGE frame around envelope bytes, built with one copy. */
export function encodeMessageFrame(
  hops: number,
  envelope: Uint8Array,
  publicKey?: Uint8Array,
): Uint8Array {
  const keyBytes = publicKey?.length ?? 0
  const frame = new Uint8Array(MESSAGE_HEADER_BYTES + keyBytes + envelope.length)
  frame[0] = FRAME_VERSION
  frame[1] = FRAME_TYPES.message
  const clamped = Math.min(hops, 0xffff)
  frame[2] = clamped >>> 8
  frame[3] = clamped & 0xff
  frame[4] = publicKey === undefined ? 0 : PUBLIC_KEY_FLAG
  if (publicKey !== undefined) frame.set(publicKey, MESSAGE_HEADER_BYTES)
  frame.set(envelope, MESSAGE_HEADER_BYTES + keyBytes)
  return frame
}

/** Encodes any frame. @throws InvalidTopicError for a local topic over the limit. */
export function encodeFrame(frame: PubsubFrame, limits: ResolvedFrameLimits): Uint8Array {
  if (frame.type === 'message')
    return encodeMessageFrame(frame.hops, frame.envelope, frame.publicKey)
  const writer = new ByteWriter().uint8(FRAME_VERSION).uint8(FRAME_TYPES[frame.type])
  const topic = (value: string) =>
    writer.prefixedBytes('uint8', encodeTopic(value, limits.maxTopicBytes))
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
        .uint8(frame.wantsReply ? WANTS_REPLY_FLAG : 0)
        .uint16(frame.entries.length)
      for (const entry of frame.entries) {
        writer.bytes(Buffer.from(entry.origin, 'hex')).uint64(entry.epoch)
        writer.uint64(entry.contiguous).uint64(entry.highest)
      }
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
  return writer.finish()
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

/**
 * Decodes a frame from a peer. A MESSAGE's envelope is returned as a view, not parsed: dedup
 * hashes it before anything else is spent on it.
 *
 * @throws DecodeError on malformed, unknown or over-limit input, and nothing else.
 */
export function decodeFrame(bytes: Uint8Array, limits: ResolvedFrameLimits): PubsubFrame {
  const reader = new ByteReader(bytes)
  const version = reader.uint8('frame version')
  if (version !== FRAME_VERSION) throw new DecodeError(`frame version ${version} unknown`)
  const type = reader.uint8('frame type')
  const topic = () => decodeTopic(reader, limits.maxTopicBytes)
  let frame: PubsubFrame
  switch (type) {
    case FRAME_TYPES.message: {
      const hops = reader.uint16('hops')
      const flags = reader.uint8('flags')
      if ((flags & ~PUBLIC_KEY_FLAG) !== 0) throw new DecodeError(`unknown message flags ${flags}`)
      const publicKey =
        flags === PUBLIC_KEY_FLAG
          ? reader.bytes(ML_DSA_65_PUBLIC_KEY_BYTES, 'public key')
          : undefined
      const envelope = reader.rest()
      if (envelope.length > limits.maxEnvelopeBytes) {
        throw new DecodeError(
          `envelope of ${envelope.length} bytes exceeds ${limits.maxEnvelopeBytes}`,
        )
      }
      return { type: 'message', hops, publicKey, envelope }
    }
    case FRAME_TYPES.ihave: {
      const name = topic()
      const count = reader.count('uint16', limits.maxIdsPerFrame, 'announcement count')
      const announcements: Announcement[] = []
      for (let index = 0; index < count; index++) {
        announcements.push({ id: readId(reader), hops: reader.uint16('hops') })
      }
      frame = { type: 'ihave', topic: name, announcements }
      break
    }
    case FRAME_TYPES.graft: {
      const name = topic()
      const count = reader.count('uint16', limits.maxIdsPerFrame, 'id count')
      const ids: MessageId[] = []
      for (let index = 0; index < count; index++) ids.push(readId(reader))
      frame = { type: 'graft', topic: name, ids }
      break
    }
    case FRAME_TYPES.prune:
      frame = { type: 'prune', topic: topic() }
      break
    case FRAME_TYPES['digest-summary']: {
      const name = topic()
      const streams = reader.uint32('stream count')
      const summary = toHex(reader.bytes(DIGEST_SUMMARY_BYTES, 'summary'))
      frame = { type: 'digest-summary', topic: name, streams, summary }
      break
    }
    case FRAME_TYPES.digest:
      frame = decodeDigest(reader, topic(), limits)
      break
    case FRAME_TYPES['key-request']: {
      const count = reader.count('uint8', limits.maxKeysPerFrame, 'key request count')
      const origins: AgentId[] = []
      for (let index = 0; index < count; index++) origins.push(readAgentId(reader))
      frame = { type: 'key-request', origins }
      break
    }
    case FRAME_TYPES['key-response']: {
      const count = reader.count('uint8', limits.maxKeysPerFrame, 'public key count')
      const publicKeys: Uint8Array[] = []
      for (let index = 0; index < count; index++) {
        publicKeys.push(reader.bytes(ML_DSA_65_PUBLIC_KEY_BYTES, 'public key'))
      }
      frame = { type: 'key-response', publicKeys }
      break
    }
    case FRAME_TYPES.interest: {
      const requestId = reader.uint32('request id')
      const topics = () => {
        const count = reader.count('uint16', limits.maxTopicsPerFrame, 'topic count')
        return Array.from({ length: count }, topic)
      }
      const subscribe = topics()
      frame = { type: 'interest', requestId, subscribe, unsubscribe: topics() }
      break
    }
    case FRAME_TYPES['interest-ack']:
      frame = { type: 'interest-ack', requestId: reader.uint32('request id') }
      break
    default:
      throw new DecodeError(`frame type ${type} unknown`)
  }
  reader.end('frame')
  return frame
}

function decodeDigest(reader: ByteReader, topic: string, limits: ResolvedFrameLimits): PubsubFrame {
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
