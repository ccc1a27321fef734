// The signed envelope: one or more messages of one topic from one origin agent under a single
// ML-DSA-65 signature (FIPS 204). The envelope is the unit of dissemination: Plumtree pushes,
// announces, caches and repairs envelopes; subscribers receive the messages inside.
//
//   signed body := version u8 | origin [32] | epoch u64 | first_sequence u64 | timestamp_ms u64
//                | topic_length u8 | topic (UTF-8) | count u16 | count × (length u32 | payload)
//   envelope    := signed body | signature [3309]
//
// The signature covers the exact body bytes under the context `x0x/pubsub/message/v1`; receivers
// verify those bytes as received and never re-encode (DESIGN.md: msgpack is not canonical, and
// neither would be any re-encoding). The message id is SHA-256 of the signed body, so a second
// signature over the same body (ML-DSA is randomised) is still the same message.
import { hash } from 'node:crypto'
import { ByteReader, ByteWriter, DecodeError, InvalidArgumentError, toHex } from '@x0x/base'
import {
  ML_DSA_65_SIGNATURE_BYTES,
  signingContext,
  type AgentId,
  type MlDsa65KeyPair,
  type PqcBackend,
} from '@x0x/pqc'
import {
  AGENT_ID_BYTES,
  DEFAULT_MAX_BATCH_MESSAGES,
  DEFAULT_MAX_ENVELOPE_BYTES,
  DEFAULT_MAX_PAYLOAD_BYTES,
  DEFAULT_MAX_TOPIC_BYTES,
  ENVELOPE_VERSION,
  PUBSUB_SIGNING_CONTEXT_LABEL,
} from './constants.js'
import { PayloadTooLargeError, InvalidTopicError } from './errors.js'

/** SHA-256 of an envelope's signed body, as 64 lowercase hex characters. */
export type MessageId = string & { readonly messageIdBrand: unique symbol }

/** The ML-DSA-65 context every pub/sub envelope is signed under. */
export const PUBSUB_SIGNING_CONTEXT: Uint8Array = signingContext(PUBSUB_SIGNING_CONTEXT_LABEL)

/** Size limits applied while decoding envelopes from peers and while signing local ones. */
export interface EnvelopeLimits {
  /** Most UTF-8 bytes of a topic (at most 255). Default `DEFAULT_MAX_TOPIC_BYTES` (255). */
  readonly maxTopicBytes?: number
  /** Most bytes of one payload. Default `DEFAULT_MAX_PAYLOAD_BYTES` (64 KiB). */
  readonly maxPayloadBytes?: number
  /** Most messages under one signature. Default `DEFAULT_MAX_BATCH_MESSAGES` (64). */
  readonly maxBatchMessages?: number
  /** Most bytes of a whole envelope. Default `DEFAULT_MAX_ENVELOPE_BYTES` (1 MiB). */
  readonly maxEnvelopeBytes?: number
}

/** `EnvelopeLimits` with every default resolved. */
export type ResolvedEnvelopeLimits = Required<EnvelopeLimits>

export function resolveEnvelopeLimits(limits: EnvelopeLimits = {}): ResolvedEnvelopeLimits {
  return {
    maxTopicBytes: Math.min(limits.maxTopicBytes ?? DEFAULT_MAX_TOPIC_BYTES, 255),
    maxPayloadBytes: limits.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
    maxBatchMessages: Math.min(limits.maxBatchMessages ?? DEFAULT_MAX_BATCH_MESSAGES, 0xffff),
    maxEnvelopeBytes: limits.maxEnvelopeBytes ?? DEFAULT_MAX_ENVELOPE_BYTES,
  }
}

/** A decoded (not yet verified) envelope. Byte fields are views into the received bytes. */
export interface SignedEnvelope extends EnvelopeContent {
  readonly id: MessageId
  /** The exact bytes the signature covers. */
  readonly signedBody: Uint8Array
  readonly signature: Uint8Array
  /** `signedBody ‖ signature`, as sent on the wire. */
  readonly bytes: Uint8Array
}

/** The sequence of the last payload of `envelope`. */
export function lastSequence(envelope: Pick<SignedEnvelope, 'firstSequence' | 'payloads'>): number {
  return envelope.firstSequence + envelope.payloads.length - 1
}

/** The message id of a signed body: SHA-256 by `node:crypto`, written straight to hex. */
export function messageIdOf(signedBody: Uint8Array): MessageId {
  return hash('sha256', signedBody, 'hex') as MessageId
}

/** The signed-body view of envelope bytes, or a `DecodeError` when too short to hold a signature. */
export function signedBodyOf(envelopeBytes: Uint8Array): Uint8Array {
  if (envelopeBytes.length <= ML_DSA_65_SIGNATURE_BYTES) {
    throw new DecodeError(`envelope of ${envelopeBytes.length} bytes is shorter than a signature`)
  }
  return envelopeBytes.subarray(0, envelopeBytes.length - ML_DSA_65_SIGNATURE_BYTES)
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const utf8Encoder = new TextEncoder()

/**
 * Decodes envelope bytes from a peer, checking every limit before allocating. Does not verify the
 * signature. `id` may be passed when the caller already hashed the body (dedup runs first).
 *
 * @throws DecodeError on any malformed or over-limit input, and nothing else.
 */
export function decodeEnvelope(
  bytes: Uint8Array,
  limits: ResolvedEnvelopeLimits,
  id?: MessageId,
): SignedEnvelope {
  if (bytes.length > limits.maxEnvelopeBytes) {
    throw new DecodeError(`envelope of ${bytes.length} bytes exceeds ${limits.maxEnvelopeBytes}`)
  }
  const signedBody = signedBodyOf(bytes)
  const reader = new ByteReader(signedBody)
  const version = reader.uint8('envelope version')
  if (version !== ENVELOPE_VERSION) throw new DecodeError(`envelope version ${version} unknown`)
  const origin = toHex(reader.bytes(AGENT_ID_BYTES, 'origin')) as AgentId
  const epoch = reader.uint64Number('epoch')
  const firstSequence = reader.uint64Number('first sequence')
  const timestamp = reader.uint64Number('timestamp')
  const topic = decodeTopic(reader, limits.maxTopicBytes)
  const count = reader.count('uint16', limits.maxBatchMessages, 'message count')
  if (count === 0) throw new DecodeError('envelope holds no message')
  if (firstSequence < 1 || firstSequence + count - 1 > Number.MAX_SAFE_INTEGER) {
    throw new DecodeError(`sequence range starting at ${firstSequence} is out of range`)
  }
  const payloads: Uint8Array[] = []
  for (let index = 0; index < count; index++) {
    payloads.push(reader.prefixedBytes('uint32', limits.maxPayloadBytes, 'payload'))
  }
  reader.end('envelope body')
  return {
    id: id ?? messageIdOf(signedBody),
    origin,
    topic,
    epoch,
    firstSequence,
    timestamp,
    payloads,
    signedBody,
    signature: bytes.subarray(signedBody.length),
    bytes,
  }
}

/** Whether every byte is below 0x80: ASCII, whose UTF-8 and Latin-1 decodings agree. */
function isAscii(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte >= 0x80) return false
  return true
}

/** Reads a length-prefixed, non-empty, valid UTF-8 topic. @throws DecodeError */
export function decodeTopic(reader: ByteReader, maxTopicBytes: number): string {
  const topicBytes = reader.prefixedBytes('uint8', maxTopicBytes, 'topic')
  if (topicBytes.length === 0) throw new DecodeError('topic is empty')
  // Topics are nearly always ASCII; the native Latin-1 copy skips the fatal UTF-8 decoder's cost.
  if (isAscii(topicBytes)) {
    return Buffer.from(topicBytes.buffer, topicBytes.byteOffset, topicBytes.length).toString(
      'latin1',
    )
  }
  try {
    return utf8Decoder.decode(topicBytes)
  } catch (error) {
    throw new DecodeError('topic is not valid UTF-8', { cause: error })
  }
}

/** The UTF-8 bytes of a local topic. @throws InvalidTopicError when empty or too long. */
export function encodeTopic(topic: string, maxTopicBytes: number): Uint8Array {
  const bytes = utf8Encoder.encode(topic)
  if (bytes.length === 0) throw new InvalidTopicError('topic must not be empty')
  if (bytes.length > maxTopicBytes) {
    throw new InvalidTopicError(`topic is ${bytes.length} bytes, above ${maxTopicBytes}`)
  }
  return bytes
}

/** What `signEnvelope` signs. */
export interface EnvelopeContent {
  readonly origin: AgentId
  readonly topic: string
  /** Identifies one run of the publisher, so a restart never reuses `(epoch, sequence)`. */
  readonly epoch: number
  /** Sequence of the first payload; payload `i` has `firstSequence + i`. Starts at 1 per epoch. */
  readonly firstSequence: number
  /** Milliseconds since the Unix epoch when the origin signed it (informational, not trusted). */
  readonly timestamp: number
  readonly payloads: readonly Uint8Array[]
}

/**
 * Encodes and signs `content` with the origin's agent key: one signature for every payload.
 *
 * @throws InvalidTopicError, PayloadTooLargeError, InvalidArgumentError (empty or oversized batch)
 */
export function signEnvelope(
  content: EnvelopeContent,
  signer: MlDsa65KeyPair,
  limits: ResolvedEnvelopeLimits,
): SignedEnvelope {
  const { payloads } = content
  if (payloads.length === 0 || payloads.length > limits.maxBatchMessages) {
    throw new InvalidArgumentError(
      `an envelope holds 1 to ${limits.maxBatchMessages} messages, got ${payloads.length}`,
    )
  }
  const topicBytes = encodeTopic(content.topic, limits.maxTopicBytes)
  const originBytes = Buffer.from(content.origin, 'hex')
  if (originBytes.length !== AGENT_ID_BYTES) {
    throw new InvalidArgumentError(`origin must be a 64-hex-character agent id`)
  }
  let bodyBytes = 1 + AGENT_ID_BYTES + 24 + 1 + topicBytes.length + 2
  for (const payload of payloads) {
    if (payload.length > limits.maxPayloadBytes) {
      throw new PayloadTooLargeError(
        `payload is ${payload.length} bytes, above ${limits.maxPayloadBytes}`,
      )
    }
    bodyBytes += 4 + payload.length
  }
  if (bodyBytes + ML_DSA_65_SIGNATURE_BYTES > limits.maxEnvelopeBytes) {
    throw new PayloadTooLargeError(`envelope would be above ${limits.maxEnvelopeBytes} bytes`)
  }
  const writer = new ByteWriter({ initialBytes: bodyBytes + ML_DSA_65_SIGNATURE_BYTES })
  writer
    .uint8(ENVELOPE_VERSION)
    .bytes(originBytes)
    .uint64(content.epoch)
    .uint64(content.firstSequence)
    .uint64(content.timestamp)
    .prefixedBytes('uint8', topicBytes)
    .uint16(payloads.length)
  for (const payload of payloads) writer.prefixedBytes('uint32', payload)
  const signedBody = writer.finish()
  const signature = signer.sign(signedBody, PUBSUB_SIGNING_CONTEXT)
  const bytes = new Uint8Array(signedBody.length + signature.length)
  bytes.set(signedBody)
  bytes.set(signature, signedBody.length)
  return decodeEnvelope(bytes, limits)
}

/** Whether the envelope's signature verifies under `publicKey` (the origin's agent key). */
export function verifyEnvelope(
  envelope: Pick<SignedEnvelope, 'signedBody' | 'signature'>,
  publicKey: Uint8Array,
  backend: PqcBackend,
): boolean {
  return backend.verifyMlDsa65(
    publicKey,
    envelope.signedBody,
    envelope.signature,
    PUBSUB_SIGNING_CONTEXT,
  )
}
