// The frames of the `pubsub` stream kind. Every frame starts `version u8 | type u8`.
//
//   MESSAGE        hops u16 | flags u8 (bit 0: public key attached, bit 1: forward-only)
//                  | [public key 1952] | envelope
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
// A topic is `length u8 | UTF-8`. This file holds the frame types, limits and MESSAGE; the
// bodies of the other frames are in frame-bodies.ts. Message names follow the Plumtree paper (Leitão et al. 2007):
// GOSSIP is called MESSAGE here. The hop count and the public key sit outside the signed
// envelope: hops change at every forward, and a public key is self-certifying (its SHA-256 is the
// origin id), so neither needs the signature and neither changes the message id.
import { ByteReader, ByteWriter, DecodeError } from '@x0x/base'
import { ML_DSA_65_PUBLIC_KEY_BYTES, type AgentId } from '@x0x/pqc'
import {
  DEFAULT_MAX_DIGEST_ENTRIES,
  DEFAULT_MAX_IDS_PER_FRAME,
  DEFAULT_MAX_KEYS_PER_FRAME,
  DEFAULT_MAX_TOPICS_PER_FRAME,
  FRAME_VERSION,
} from './constants.js'
import {
  decodeDigest,
  decodeDigestSummary,
  decodeGraft,
  decodeIHave,
  decodeInterest,
  decodeKeyRequest,
  decodeKeyResponse,
  writeBody,
} from './frame-bodies.js'
import {
  decodeTopic,
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
      /**
       * Pushed towards a topic's tree by a node outside it (docs/protocols/pubsub.md
       * "Interest-scoped trees"): the receiver passes it on but never reshapes the tree for it.
       */
      readonly forwardOnly?: boolean | undefined
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

const PUBLIC_KEY_FLAG = 0b01
const FORWARD_ONLY_FLAG = 0b10
const MESSAGE_FLAGS = PUBLIC_KEY_FLAG | FORWARD_ONLY_FLAG
const MESSAGE_HEADER_BYTES = 5

/** A MESSAGE frame around envelope bytes, built with one copy. */
export function encodeMessageFrame(
  hops: number,
  envelope: Uint8Array,
  publicKey?: Uint8Array,
  forwardOnly = false,
): Uint8Array {
  const keyBytes = publicKey?.length ?? 0
  const frame = new Uint8Array(MESSAGE_HEADER_BYTES + keyBytes + envelope.length)
  frame[0] = FRAME_VERSION
  frame[1] = FRAME_TYPES.message
  const clamped = Math.min(hops, 0xffff)
  frame[2] = clamped >>> 8
  frame[3] = clamped & 0xff
  frame[4] = (publicKey === undefined ? 0 : PUBLIC_KEY_FLAG) | (forwardOnly ? FORWARD_ONLY_FLAG : 0)
  if (publicKey !== undefined) frame.set(publicKey, MESSAGE_HEADER_BYTES)
  frame.set(envelope, MESSAGE_HEADER_BYTES + keyBytes)
  return frame
}

/** A copy of an encoded MESSAGE frame with the forward-only flag set. */
export function withForwardOnlyFlag(messageFrame: Uint8Array): Uint8Array {
  const frame = messageFrame.slice()
  frame[4] = (frame[4] ?? 0) | FORWARD_ONLY_FLAG
  return frame
}

/** Encodes any frame. @throws InvalidTopicError for a local topic over the limit. */
export function encodeFrame(frame: PubsubFrame, limits: ResolvedFrameLimits): Uint8Array {
  if (frame.type === 'message')
    return encodeMessageFrame(frame.hops, frame.envelope, frame.publicKey, frame.forwardOnly)
  const writer = new ByteWriter().uint8(FRAME_VERSION).uint8(FRAME_TYPES[frame.type])
  writeBody(writer, frame, limits)
  return writer.finish()
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
  if (type === FRAME_TYPES.message) return decodeMessage(reader, limits)
  const frame = decodeBody(reader, type, limits)
  reader.end('frame')
  return frame
}

function decodeBody(reader: ByteReader, type: number, limits: ResolvedFrameLimits): PubsubFrame {
  switch (type) {
    case FRAME_TYPES.ihave:
      return decodeIHave(reader, limits)
    case FRAME_TYPES.graft:
      return decodeGraft(reader, limits)
    case FRAME_TYPES.prune:
      return { type: 'prune', topic: decodeTopic(reader, limits.maxTopicBytes) }
    case FRAME_TYPES['digest-summary']:
      return decodeDigestSummary(reader, limits)
    case FRAME_TYPES.digest:
      return decodeDigest(reader, limits)
    case FRAME_TYPES['key-request']:
      return decodeKeyRequest(reader, limits)
    case FRAME_TYPES['key-response']:
      return decodeKeyResponse(reader, limits)
    case FRAME_TYPES.interest:
      return decodeInterest(reader, limits)
    case FRAME_TYPES['interest-ack']:
      return { type: 'interest-ack', requestId: reader.uint32('request id') }
    default:
      throw new DecodeError(`frame type ${type} unknown`)
  }
}

/** MESSAGE: the envelope is the rest of the frame, so no trailing-bytes check applies. */
function decodeMessage(reader: ByteReader, limits: ResolvedFrameLimits): PubsubFrame {
  const hops = reader.uint16('hops')
  const flags = reader.uint8('flags')
  if ((flags & ~MESSAGE_FLAGS) !== 0) throw new DecodeError(`unknown message flags ${flags}`)
  const publicKey =
    (flags & PUBLIC_KEY_FLAG) !== 0
      ? reader.bytes(ML_DSA_65_PUBLIC_KEY_BYTES, 'public key')
      : undefined
  const envelope = reader.rest()
  if (envelope.length > limits.maxEnvelopeBytes) {
    throw new DecodeError(`envelope of ${envelope.length} bytes exceeds ${limits.maxEnvelopeBytes}`)
  }
  const forwardOnly = (flags & FORWARD_ONLY_FLAG) !== 0
  return { type: 'message', hops, publicKey, forwardOnly, envelope }
}
