// Frames of the direct-message protocol on the transport's `direct` streams, and the sealed form
// that travels through gossip when no connection can be made. A message is signed by the sending
// agent over every field (request id, time, both parties, payload), so neither a relay nor the
// connection's machine can forge or redirect it; the request id lets a receiver drop retries.
import { ByteReader, ByteWriter, DecodeError } from '@x0x/base'
import {
  ID_BYTES,
  ML_DSA_65_PUBLIC_KEY_BYTES,
  ML_DSA_65_SIGNATURE_BYTES,
  agentIdFromBytes,
  agentIdFromPublicKey,
  idToBytes,
  signingContext,
  type AgentId,
  type MlDsa65KeyPair,
  type PqcBackend,
} from '@x0x/pqc'
import { DIRECT_MESSAGE_CONTEXT, MAX_DIRECT_PAYLOAD_BYTES } from '../constants.js'

const MESSAGE = 1
const ACK = 2
const BUS_VERSION = 1
/** 16 random bytes, shown as 32 hex chars (API.md `request_id`). */
export const REQUEST_ID_BYTES = 16
const CONTEXT = signingContext(DIRECT_MESSAGE_CONTEXT)
const MESSAGE_HEADER_BYTES = 1 + REQUEST_ID_BYTES + 8 + ML_DSA_65_PUBLIC_KEY_BYTES + ID_BYTES + 4
/** The largest message frame: what the transport must carry in one frame. */
export const MAX_DIRECT_FRAME_BYTES =
  MESSAGE_HEADER_BYTES + MAX_DIRECT_PAYLOAD_BYTES + ML_DSA_65_SIGNATURE_BYTES

/** What the receiver of an acknowledged message did with it. */
export type AckStatus = 'delivered' | 'rejected'

/** A verified direct message. */
export interface DirectMessageFrame {
  readonly type: 'message'
  readonly requestId: Uint8Array
  /** Sender's clock, Unix ms; checked against replay windows by the receiver. */
  readonly sentAt: number
  readonly sender: AgentId
  readonly senderPublicKey: Uint8Array
  readonly recipient: AgentId
  readonly payload: Uint8Array
}

export interface DirectAckFrame {
  readonly type: 'ack'
  readonly requestId: Uint8Array
  readonly status: AckStatus
}

export type DirectFrame = DirectMessageFrame | DirectAckFrame

/** What a sender puts in a message. */
export interface DirectMessageInit {
  readonly requestId: Uint8Array
  readonly sentAt: number
  readonly recipient: AgentId
  readonly payload: Uint8Array
}

/** Encodes and signs a message with the sending agent's key. */
export function encodeDirectMessage(init: DirectMessageInit, agent: MlDsa65KeyPair): Uint8Array {
  const writer = new ByteWriter({
    initialBytes: MESSAGE_HEADER_BYTES + init.payload.length + 3_400,
  })
  writer.uint8(MESSAGE).bytes(init.requestId).uint64(init.sentAt)
  writer.bytes(agent.publicKey).bytes(idToBytes(init.recipient))
  writer.prefixedBytes('uint32', init.payload)
  const signed = writer.finish()
  return new ByteWriter({ initialBytes: signed.length + ML_DSA_65_SIGNATURE_BYTES })
    .bytes(signed)
    .bytes(agent.sign(signed, CONTEXT))
    .finish()
}

export function encodeDirectAck(requestId: Uint8Array, status: AckStatus): Uint8Array {
  return new ByteWriter({ initialBytes: 2 + REQUEST_ID_BYTES })
    .uint8(ACK)
    .bytes(requestId)
    .uint8(status === 'delivered' ? 0 : 1)
    .finish()
}

/**
 * Decodes a frame; a message is returned only if its signature verifies under the key it carries.
 *
 * @throws DecodeError on malformed or unverifiable input
 */
export function decodeDirectFrame(bytes: Uint8Array, backend: PqcBackend): DirectFrame {
  const reader = new ByteReader(bytes)
  const type = reader.uint8('frame type')
  if (type === ACK) {
    const requestId = reader.bytes(REQUEST_ID_BYTES, 'request id')
    const status = reader.uint8('ack status')
    reader.end('ack')
    if (status > 1) throw new DecodeError('bad ack status')
    return { type: 'ack', requestId, status: status === 0 ? 'delivered' : 'rejected' }
  }
  if (type !== MESSAGE) throw new DecodeError(`unknown direct frame type ${type}`)
  const requestId = reader.bytes(REQUEST_ID_BYTES, 'request id')
  const sentAt = reader.uint64Number('sent at')
  const senderPublicKey = reader.bytes(ML_DSA_65_PUBLIC_KEY_BYTES, 'sender public key')
  const recipient = agentIdFromBytes(reader.bytes(ID_BYTES, 'recipient'))
  const payload = reader.prefixedBytes('uint32', MAX_DIRECT_PAYLOAD_BYTES, 'payload')
  const signed = bytes.subarray(0, reader.offset)
  const signature = reader.bytes(ML_DSA_65_SIGNATURE_BYTES, 'signature')
  reader.end('direct message')
  if (!backend.verifyMlDsa65(senderPublicKey, signed, signature, CONTEXT)) {
    throw new DecodeError('direct message signature does not verify')
  }
  const sender = agentIdFromPublicKey(senderPublicKey)
  return { type: 'message', requestId, sentAt, sender, senderPublicKey, recipient, payload }
}

/** A sealed message on the gossip bus: who it is for (in clear, to route) and the envelope. */
export interface BusEnvelope {
  readonly recipient: AgentId
  readonly envelope: Uint8Array
}

export function encodeBusEnvelope(value: BusEnvelope): Uint8Array {
  return new ByteWriter({ initialBytes: 40 + value.envelope.length })
    .uint8(BUS_VERSION)
    .bytes(idToBytes(value.recipient))
    .prefixedBytes('uint32', value.envelope)
    .finish()
}

/** @throws DecodeError */
export function decodeBusEnvelope(bytes: Uint8Array, maxEnvelopeBytes: number): BusEnvelope {
  const reader = new ByteReader(bytes)
  if (reader.uint8('bus version') !== BUS_VERSION) throw new DecodeError('unknown bus version')
  const recipient = agentIdFromBytes(reader.bytes(ID_BYTES, 'recipient'))
  const envelope = reader.prefixedBytes('uint32', maxEnvelopeBytes, 'envelope')
  reader.end('bus envelope')
  return { recipient, envelope }
}
