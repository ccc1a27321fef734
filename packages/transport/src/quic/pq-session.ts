// Runs the post-quantum session handshake (transport.md §2) over the first client stream.
import type { QUICStream } from '@matrixai/quic'
import { raceSignal } from '@x0x/base'
import {
  encapsulateMlKem768,
  generateMlKem768KeyPair,
  signingContext,
  verifyMlDsa65,
  type MlDsa65KeyPair,
} from '@x0x/pqc'
import { HandshakeError } from '../errors.js'
import {
  HANDSHAKE_NONCE_BYTES,
  PQ_CLIENT_SIGNATURE_CONTEXT,
  PQ_SERVER_SIGNATURE_CONTEXT,
  READY_PLAINTEXT,
} from './constants.js'
import { FrameOpener, FrameSealer } from './frame-codec.js'
import {
  ACCEPT_BYTES,
  FINISH_BYTES,
  HELLO_BYTES,
  decodeAccept,
  decodeFinish,
  decodeHello,
  deriveSessionKeys,
  encodeAcceptBody,
  encodeFinish,
  encodeHello,
  handshakeTranscript,
  type PeerBounds,
  type SessionKeys,
  type TranscriptIdentities,
} from './session-handshake.js'

const SERVER_CONTEXT = signingContext(PQ_SERVER_SIGNATURE_CONTEXT)
const CLIENT_CONTEXT = signingContext(PQ_CLIENT_SIGNATURE_CONTEXT)
const READY = new TextEncoder().encode(READY_PLAINTEXT)

/** What each side brings to the handshake. */
export interface SessionSetup {
  readonly machineKey: MlDsa65KeyPair
  readonly identities: TranscriptIdentities
  readonly bounds: PeerBounds
  /** Aborts the handshake (the dial deadline, a cancelled dial, a stopping transport). */
  readonly signal: AbortSignal
}

/** An established session: the keys and what the peer announced. */
export interface Session {
  readonly keys: SessionKeys
  readonly remoteBounds: PeerBounds
}

/** Exact-length reads and writes on the handshake stream, every one bounded by the signal. */
class ByteChannel {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>
  readonly #signal: AbortSignal
  #buffer: Uint8Array = new Uint8Array(0)

  constructor(stream: QUICStream, signal: AbortSignal) {
    this.#reader = stream.readable.getReader()
    this.#writer = stream.writable.getWriter()
    this.#signal = signal
  }

  async read(count: number): Promise<Uint8Array> {
    while (this.#buffer.length < count) {
      const { value, done } = await raceSignal(this.#reader.read(), this.#signal)
      if (done) throw new HandshakeError('the peer ended the handshake stream early')
      this.#buffer = Buffer.concat([this.#buffer, value])
    }
    const message = this.#buffer.slice(0, count)
    this.#buffer = this.#buffer.subarray(count)
    return message
  }

  /** Reads to the end of the peer's side, so the stream is fully closed and its credit returns. */
  async drain(): Promise<void> {
    for (;;) {
      const { done } = await raceSignal(this.#reader.read(), this.#signal)
      if (done) return
    }
  }

  write(bytes: Uint8Array): Promise<void> {
    return raceSignal(this.#writer.write(bytes), this.#signal)
  }

  end(): Promise<void> {
    return raceSignal(this.#writer.close(), this.#signal)
  }
}

function verifyTranscript(
  publicKey: Uint8Array,
  transcript: Uint8Array,
  signature: Uint8Array,
  context: Uint8Array,
  who: string,
): void {
  if (!verifyMlDsa65(publicKey, transcript, signature, context)) {
    throw new HandshakeError(`the ${who}'s transcript signature does not verify`)
  }
}

/** The dialling side: HELLO, ACCEPT, FINISH, then READY proves the server derived the same keys. */
export async function runClientSession(stream: QUICStream, setup: SessionSetup): Promise<Session> {
  const channel = new ByteChannel(stream, setup.signal)
  const kem = generateMlKem768KeyPair()
  const nonce = crypto.getRandomValues(new Uint8Array(HANDSHAKE_NONCE_BYTES))
  const hello = encodeHello({ ...setup.bounds, nonce, kemPublicKey: kem.publicKey })
  await channel.write(hello)
  const accept = decodeAccept(await channel.read(ACCEPT_BYTES))
  const transcript = handshakeTranscript(setup.identities, hello, accept.body)
  verifyTranscript(
    setup.identities.serverMachineKey,
    transcript,
    accept.signature,
    SERVER_CONTEXT,
    'server',
  )
  const keys = deriveSessionKeys(kem.decapsulate(accept.ciphertext), transcript)
  await channel.write(encodeFinish(setup.machineKey.sign(transcript, CLIENT_CONTEXT)))
  await channel.end()
  const opener = new FrameOpener(keys.serverToClient, stream.streamId, READY.length)
  let ready = opener.next()
  while (ready === undefined) {
    opener.push(await channel.read(1))
    ready = opener.next()
  }
  if (Buffer.compare(ready, READY) !== 0) throw new HandshakeError('READY carries other bytes')
  await channel.drain()
  return { keys, remoteBounds: accept }
}

/** The accepting side, on the first stream the client opened. */
export async function runServerSession(stream: QUICStream, setup: SessionSetup): Promise<Session> {
  const channel = new ByteChannel(stream, setup.signal)
  const helloBytes = await channel.read(HELLO_BYTES)
  const hello = decodeHello(helloBytes)
  const { ciphertext, sharedSecret } = encapsulateMlKem768(hello.kemPublicKey)
  const nonce = crypto.getRandomValues(new Uint8Array(HANDSHAKE_NONCE_BYTES))
  const body = encodeAcceptBody({ ...setup.bounds, nonce, ciphertext })
  const transcript = handshakeTranscript(setup.identities, helloBytes, body)
  const signature = setup.machineKey.sign(transcript, SERVER_CONTEXT)
  await channel.write(Buffer.concat([body, signature]))
  const clientSignature = decodeFinish(await channel.read(FINISH_BYTES))
  verifyTranscript(
    setup.identities.clientMachineKey,
    transcript,
    clientSignature,
    CLIENT_CONTEXT,
    'client',
  )
  const keys = deriveSessionKeys(sharedSecret, transcript)
  await channel.write(new FrameSealer(keys.serverToClient, stream.streamId).seal(READY))
  await channel.end()
  await channel.drain()
  return { keys, remoteBounds: hello }
}
