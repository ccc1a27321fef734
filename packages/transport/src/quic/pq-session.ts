// Runs the post-quantum session handshake (transport.md §2) over the first client stream.
import type { QUICStream } from '@matrixai/quic'
import { concatBytes, raceSignal } from '@x0x/base'
import {
  encapsulateMlKem768,
  generateMlKem768KeyPair,
  signingContext,
  verifyMlDsa65,
  type MlDsa65KeyPair,
  type MlKem768KeyPair,
} from '@x0x/pqc'
import { HandshakeError } from '../errors.js'
import {
  FINISH_PLAINTEXT,
  HANDSHAKE_NONCE_BYTES,
  PQ_CLIENT_SIGNATURE_CONTEXT,
  PQ_SERVER_SIGNATURE_CONTEXT,
  READY_PLAINTEXT,
} from './constants.js'
import { FrameOpener, FrameSealer } from './frame-codec.js'
import {
  ACCEPT_BYTES,
  HELLO_BYTES,
  decodeAccept,
  decodeHello,
  deriveSessionKeys,
  encodeAcceptBody,
  encodeHelloBody,
  handshakeTranscript,
  helloTranscript,
  type PeerBounds,
  type SessionKeys,
  type TranscriptIdentities,
} from './session-handshake.js'

const SERVER_CONTEXT = signingContext(PQ_SERVER_SIGNATURE_CONTEXT)
const CLIENT_CONTEXT = signingContext(PQ_CLIENT_SIGNATURE_CONTEXT)
const READY = new TextEncoder().encode(READY_PLAINTEXT)
const FINISH = new TextEncoder().encode(FINISH_PLAINTEXT)

/** What each side brings to the handshake. */
export interface SessionSetup {
  readonly machineKey: MlDsa65KeyPair
  readonly identities: TranscriptIdentities
  readonly bounds: PeerBounds
  /** Aborts the handshake (the dial deadline, a cancelled dial, a stopping transport). */
  readonly signal: AbortSignal
}

/**
 * A client's HELLO, signed ahead of its dial (it names no connection), with the ephemeral KEM
 * key pair it offers: used for one connection only (forward secrecy).
 */
export interface PreparedHello {
  readonly kem: MlKem768KeyPair
  /** The whole HELLO message, signature included. */
  readonly hello: Uint8Array
}

/** A fresh ephemeral KEM key pair and nonce in a HELLO signed by `machineKey`. */
export function prepareHello(machineKey: MlDsa65KeyPair, bounds: PeerBounds): PreparedHello {
  const kem = generateMlKem768KeyPair()
  const nonce = crypto.getRandomValues(new Uint8Array(HANDSHAKE_NONCE_BYTES))
  const body = encodeHelloBody({ ...bounds, nonce, kemPublicKey: kem.publicKey })
  const signature = machineKey.sign(helloTranscript(machineKey.publicKey, body), CLIENT_CONTEXT)
  return { kem, hello: concatBytes(body, signature) }
}

/** An established session: the keys and what the peer announced. */
export interface Session {
  readonly keys: SessionKeys
  readonly remoteBounds: PeerBounds
  /** The QUIC stream the handshake ran on. */
  readonly handshakeStreamId: number
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
    while (this.#buffer.length < count)
      this.#buffer = concatBytes(this.#buffer, await this.#chunk())
    const message = this.#buffer.slice(0, count)
    this.#buffer = this.#buffer.subarray(count)
    return message
  }

  /** Reads one sealed frame (§3) and checks that it carries exactly `expected`. */
  async readFrame(opener: FrameOpener, expected: Uint8Array, name: string): Promise<void> {
    opener.push(this.#buffer)
    this.#buffer = new Uint8Array(0)
    let frame = openNext(opener, name)
    while (frame === undefined) {
      opener.push(await this.#chunk())
      frame = openNext(opener, name)
    }
    if (Buffer.compare(frame, expected) !== 0)
      throw new HandshakeError(`${name} carries other bytes`)
    if (opener.buffered > 0) throw new HandshakeError(`bytes follow ${name}`)
  }

  /** Reads to the end of the peer's side (so its credit returns); refuses further bytes. */
  async drain(): Promise<void> {
    for (;;) {
      const { value, done } = await raceSignal(this.#reader.read(), this.#signal)
      if (done) return
      if (value.length > 0) throw new HandshakeError('bytes follow the last handshake message')
    }
  }

  write(bytes: Uint8Array): Promise<void> {
    return raceSignal(this.#writer.write(bytes), this.#signal)
  }

  end(): Promise<void> {
    return raceSignal(this.#writer.close(), this.#signal)
  }

  async #chunk(): Promise<Uint8Array> {
    const { value, done } = await raceSignal(this.#reader.read(), this.#signal)
    if (done) throw new HandshakeError('the peer ended the handshake stream early')
    return value
  }
}

/** The next frame of `opener`; a frame that fails to open (or is too large) fails the handshake. */
function openNext(opener: FrameOpener, name: string): Uint8Array | undefined {
  try {
    return opener.next()
  } catch (error) {
    throw new HandshakeError(`${name} does not open under the session key`, { cause: error })
  }
}

function verifySignature(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  context: Uint8Array,
  who: string,
): void {
  if (!verifyMlDsa65(publicKey, message, signature, context)) {
    throw new HandshakeError(`the ${who}'s transcript signature does not verify`)
  }
}

/**
 * The dialling side: HELLO (signed ahead, `prepared`); ACCEPT and READY in one flight prove that
 * the server verified us and derived the same keys, so we are open after one round trip; FINISH
 * confirms our keys to the server. `prepared` must carry `setup.machineKey`'s signature and
 * `setup.bounds`, and serves this connection alone.
 */
export async function runClientSession(
  stream: QUICStream,
  setup: SessionSetup,
  prepared: PreparedHello = prepareHello(setup.machineKey, setup.bounds),
): Promise<Session> {
  const channel = new ByteChannel(stream, setup.signal)
  const { kem, hello } = prepared
  await channel.write(hello)
  const accept = decodeAccept(await channel.read(ACCEPT_BYTES))
  const transcript = handshakeTranscript(setup.identities, hello, accept.body)
  const { serverMachineKey } = setup.identities
  verifySignature(serverMachineKey, transcript, accept.signature, SERVER_CONTEXT, 'server')
  const keys = deriveSessionKeys(kem.decapsulate(accept.ciphertext), transcript)
  const opener = new FrameOpener(keys.serverToClient, stream.streamId, READY.length)
  await channel.readFrame(opener, READY, 'READY')
  await channel.write(new FrameSealer(keys.clientToServer, stream.streamId).seal(FINISH))
  await channel.end()
  await channel.drain()
  return { keys, remoteBounds: accept, handshakeStreamId: stream.streamId }
}

/**
 * The accepting side, on the first stream the client opened: verifies HELLO, answers ACCEPT and
 * READY in one write, and is open once the client's FINISH confirms the keys.
 */
export async function runServerSession(stream: QUICStream, setup: SessionSetup): Promise<Session> {
  const channel = new ByteChannel(stream, setup.signal)
  const helloBytes = await channel.read(HELLO_BYTES)
  const hello = decodeHello(helloBytes)
  const { clientMachineKey } = setup.identities
  const helloSigned = helloTranscript(clientMachineKey, hello.body)
  verifySignature(clientMachineKey, helloSigned, hello.signature, CLIENT_CONTEXT, 'client')
  const { ciphertext, sharedSecret } = encapsulateMlKem768(hello.kemPublicKey)
  const nonce = crypto.getRandomValues(new Uint8Array(HANDSHAKE_NONCE_BYTES))
  const body = encodeAcceptBody({ ...setup.bounds, nonce, ciphertext })
  const transcript = handshakeTranscript(setup.identities, helloBytes, body)
  const signature = setup.machineKey.sign(transcript, SERVER_CONTEXT)
  const keys = deriveSessionKeys(sharedSecret, transcript)
  const ready = new FrameSealer(keys.serverToClient, stream.streamId).seal(READY)
  await channel.write(concatBytes(body, signature, ready))
  await channel.end()
  const opener = new FrameOpener(keys.clientToServer, stream.streamId, FINISH.length)
  await channel.readFrame(opener, FINISH, 'FINISH')
  await channel.drain()
  return { keys, remoteBounds: hello, handshakeStreamId: stream.streamId }
}
