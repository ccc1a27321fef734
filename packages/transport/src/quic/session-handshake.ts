// The post-quantum session handshake (transport.md §2): an ML-KEM-768 exchange (FIPS 203) on the
// first client stream, authenticated by ML-DSA-65 signatures (FIPS 204) of both machine keys over
// a transcript that also binds both TLS certificate keys, and confirmed by a sealed frame each way.
import { ByteReader, ByteWriter, concatBytes } from '@x0x/base'
import {
  ML_DSA_65_SIGNATURE_BYTES,
  ML_KEM_768_CIPHERTEXT_BYTES,
  ML_KEM_768_PUBLIC_KEY_BYTES,
  hkdfSha256,
  sha256,
} from '@x0x/pqc'
import { HandshakeError } from '../errors.js'
import {
  HANDSHAKE_NONCE_BYTES,
  PQ_HANDSHAKE_LABEL,
  PQ_HANDSHAKE_VERSION,
  SESSION_KEY_INFO,
} from './constants.js'

const MESSAGE_HELLO = 1
const MESSAGE_ACCEPT = 2
/** type, version, max frame bytes (u32), max streams per kind (u32). */
const PREAMBLE_BYTES = 1 + 1 + 4 + 4
/** HELLO without its signature: the part the client signs. */
export const HELLO_BODY_BYTES = PREAMBLE_BYTES + HANDSHAKE_NONCE_BYTES + ML_KEM_768_PUBLIC_KEY_BYTES
export const HELLO_BYTES = HELLO_BODY_BYTES + ML_DSA_65_SIGNATURE_BYTES
/** ACCEPT without its signature: the part the transcript covers. */
export const ACCEPT_BODY_BYTES =
  PREAMBLE_BYTES + HANDSHAKE_NONCE_BYTES + ML_KEM_768_CIPHERTEXT_BYTES
export const ACCEPT_BYTES = ACCEPT_BODY_BYTES + ML_DSA_65_SIGNATURE_BYTES
const SESSION_KEY_BYTES = 32

/** The bounds each side announces: the other side sends within them. */
export interface PeerBounds {
  readonly maxFrameBytes: number
  readonly maxStreamsPerKind: number
}

export interface HelloMessage extends PeerBounds {
  readonly nonce: Uint8Array
  readonly kemPublicKey: Uint8Array
  readonly signature: Uint8Array
}

export interface AcceptMessage extends PeerBounds {
  readonly nonce: Uint8Array
  readonly ciphertext: Uint8Array
  readonly signature: Uint8Array
}

/** The two directions' ChaCha20-Poly1305 keys of a session. */
export interface SessionKeys {
  readonly clientToServer: Uint8Array
  readonly serverToClient: Uint8Array
}

/** The four public keys the transcript binds: TLS certificate keys and machine keys. */
export interface TranscriptIdentities {
  readonly clientCertificateKey: Uint8Array
  readonly serverCertificateKey: Uint8Array
  readonly clientMachineKey: Uint8Array
  readonly serverMachineKey: Uint8Array
}

function writePreamble(writer: ByteWriter, type: number, bounds: PeerBounds): void {
  writer.uint8(type)
  writer.uint8(PQ_HANDSHAKE_VERSION)
  writer.uint32(bounds.maxFrameBytes)
  writer.uint32(bounds.maxStreamsPerKind)
}

function readPreamble(reader: ByteReader, type: number, name: string): PeerBounds {
  if (reader.uint8() !== type) throw new HandshakeError(`expected ${name}`)
  const version = reader.uint8()
  if (version !== PQ_HANDSHAKE_VERSION) {
    throw new HandshakeError(`unsupported handshake version ${version}`)
  }
  const maxFrameBytes = reader.uint32()
  const maxStreamsPerKind = reader.uint32()
  if (maxFrameBytes < 1 || maxStreamsPerKind < 1) {
    throw new HandshakeError(`${name} announces an empty bound`)
  }
  return { maxFrameBytes, maxStreamsPerKind }
}

/** Runs a decoder, turning any failure into `HandshakeError` (decoders see hostile input). */
function decodeWith<Message>(
  bytes: Uint8Array,
  size: number,
  name: string,
  decode: (reader: ByteReader) => Message,
): Message {
  if (bytes.length !== size) {
    throw new HandshakeError(`${name} must be ${size} bytes, got ${bytes.length}`)
  }
  try {
    return decode(new ByteReader(bytes))
  } catch (error) {
    if (error instanceof HandshakeError) throw error
    throw new HandshakeError(`malformed ${name}`, { cause: error })
  }
}

/** HELLO without its signature: the part the client signs (`helloTranscript`). */
export function encodeHelloBody(message: Omit<HelloMessage, 'signature'>): Uint8Array {
  const writer = new ByteWriter()
  writePreamble(writer, MESSAGE_HELLO, message)
  writer.bytes(message.nonce)
  writer.bytes(message.kemPublicKey)
  return writer.finish()
}

export function decodeHello(bytes: Uint8Array): HelloMessage & { readonly body: Uint8Array } {
  return decodeWith(bytes, HELLO_BYTES, 'HELLO', (reader) => ({
    ...readPreamble(reader, MESSAGE_HELLO, 'HELLO'),
    nonce: reader.bytes(HANDSHAKE_NONCE_BYTES),
    kemPublicKey: reader.bytes(ML_KEM_768_PUBLIC_KEY_BYTES),
    signature: reader.bytes(ML_DSA_65_SIGNATURE_BYTES),
    body: bytes.subarray(0, HELLO_BODY_BYTES),
  }))
}

/** ACCEPT without its signature: the part the transcript covers. */
export function encodeAcceptBody(message: Omit<AcceptMessage, 'signature'>): Uint8Array {
  const writer = new ByteWriter()
  writePreamble(writer, MESSAGE_ACCEPT, message)
  writer.bytes(message.nonce)
  writer.bytes(message.ciphertext)
  return writer.finish()
}

export function decodeAccept(bytes: Uint8Array): AcceptMessage & { readonly body: Uint8Array } {
  return decodeWith(bytes, ACCEPT_BYTES, 'ACCEPT', (reader) => ({
    ...readPreamble(reader, MESSAGE_ACCEPT, 'ACCEPT'),
    nonce: reader.bytes(HANDSHAKE_NONCE_BYTES),
    ciphertext: reader.bytes(ML_KEM_768_CIPHERTEXT_BYTES),
    signature: reader.bytes(ML_DSA_65_SIGNATURE_BYTES),
    body: bytes.subarray(0, ACCEPT_BODY_BYTES),
  }))
}

function transcriptOf(identities: TranscriptIdentities, ...messages: Uint8Array[]): Uint8Array {
  return sha256(
    concatBytes(
      new TextEncoder().encode(PQ_HANDSHAKE_LABEL),
      identities.clientCertificateKey,
      identities.serverCertificateKey,
      identities.clientMachineKey,
      identities.serverMachineKey,
      ...messages,
    ),
  )
}

/**
 * What the client signs: `SHA-256(label ‖ client_machine_key ‖ HELLO-without-signature)`. It
 * binds the client's ephemeral KEM key (and nonce and bounds) to its machine, and names no
 * connection, so it is made ahead of the dial. The connection is bound by `T` and FINISH: only
 * the holder of that KEM key's secret can confirm keys derived with `T` (transport.md §2).
 */
export function helloTranscript(clientMachineKey: Uint8Array, helloBody: Uint8Array): Uint8Array {
  return sha256(
    concatBytes(new TextEncoder().encode(PQ_HANDSHAKE_LABEL), clientMachineKey, helloBody),
  )
}

/**
 * `T = SHA-256(label ‖ client_cert_key ‖ server_cert_key ‖ client_machine_key ‖
 * server_machine_key ‖ HELLO ‖ ACCEPT-without-signature)`, HELLO with its signature. Binding the
 * TLS keys ties the session to this TLS connection, so a man in the middle cannot splice two
 * connections together. The server signs it; both sides salt the session keys with it, so the
 * key confirmations (READY, FINISH) prove agreement on all of it.
 */
export function handshakeTranscript(
  identities: TranscriptIdentities,
  hello: Uint8Array,
  acceptBody: Uint8Array,
): Uint8Array {
  return transcriptOf(identities, hello, acceptBody)
}

/** HKDF-SHA256 (RFC 5869) from the KEM secret, salted with the transcript, split per direction. */
export function deriveSessionKeys(sharedSecret: Uint8Array, transcript: Uint8Array): SessionKeys {
  const info = new TextEncoder().encode(SESSION_KEY_INFO)
  const material = hkdfSha256(sharedSecret, transcript, info, 2 * SESSION_KEY_BYTES)
  return {
    clientToServer: material.slice(0, SESSION_KEY_BYTES),
    serverToClient: material.slice(SESSION_KEY_BYTES),
  }
}
