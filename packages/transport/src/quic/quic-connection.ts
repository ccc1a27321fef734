import { events as quicEvents, type QUICConnection, type QUICStream } from '@matrixai/quic'
import { raceSignal, timeoutSignal, type Clock, type Logger } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import { ConnectionClosedError, StreamResetError } from '../errors.js'
import type { TransportLimits } from '../transport-limits.js'
import type {
  AbortOptions,
  Connection,
  ConnectionDirection,
  ConnectionStatus,
  DisconnectReason,
  FrameStream,
  PeerAddress,
  StreamHandler,
  StreamKind,
} from '../transport.js'
import {
  CLOSE_CODE_NORMAL,
  CLOSE_CODE_PROTOCOL_ERROR,
  CLOSE_FLUSH_TIMEOUT_MS,
  FINISH_POLL_MS,
} from './constants.js'
import type { Session } from './pq-session.js'
import { cancelStream, disconnectReasonOf, peerCloseCode, streamRetired } from './quic-library.js'
import { StreamRouter } from './stream-router.js'

/** What a connection needs from its transport. */
export interface ConnectionContext {
  readonly limits: TransportLimits
  readonly clock: Clock
  readonly log: Logger
  handlerFor(kind: StreamKind): StreamHandler | undefined
  /** Called once, when the connection starts to close (it leaves the transport's registry). */
  onClosing(connection: QuicConnectionImpl): void
  /** Called once, when the connection is closed for its users: at once on abort, else on release. */
  onDisconnected(connection: QuicConnectionImpl, reason: DisconnectReason, error?: Error): void
  /** Called once, when the connection has released everything (announced or not). */
  onReleased(connection: QuicConnectionImpl): void
  /** Called once, when this side closes the connection for a protocol error (close code 4). */
  onProtocolError(connection: QuicConnectionImpl, error: Error): void
}

/** The parts of a connection known once QUIC and TLS are up. */
export interface ConnectionSetup {
  readonly id: string
  readonly quicConnection: QUICConnection
  readonly direction: ConnectionDirection
  readonly remoteMachineId: MachineId
  readonly remotePublicKey: Uint8Array
  /** Stops the library objects with an application close code (a dialled one: its client). */
  readonly stop: (code: number) => Promise<void>
}

type InternalStatus = 'handshaking' | ConnectionStatus

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i

/**
 * One QUIC connection from the moment TLS authenticated the peer. Until the post-quantum session
 * is established it is invisible to users and holds back the peer's streams (bounded by QUIC's
 * stream credit); afterwards it routes them by kind.
 */
export class QuicConnectionImpl implements Connection {
  readonly id: string
  readonly remoteMachineId: MachineId
  readonly remotePublicKey: Uint8Array
  readonly direction: ConnectionDirection
  readonly quicConnection: QUICConnection
  openedAt = 0
  /** Whether `peer:connect` announced it (so `peer:disconnect` must follow). */
  announced = false
  /** The application code of the peer's CONNECTION_CLOSE, once it sent one. */
  peerCloseCode: number | undefined
  readonly #context: ConnectionContext
  readonly #setup: ConnectionSetup
  readonly #heldStreams: QUICStream[] = []
  readonly #closed: Promise<void>
  #resolveClosed: () => void = () => undefined
  #router: StreamRouter | undefined
  #session: Session | undefined
  #status: InternalStatus = 'handshaking'
  #reason: DisconnectReason | undefined
  #error: Error | undefined
  #firstStream: ((stream: QUICStream) => void) | undefined
  #disconnected = false
  /** Set while a graceful close waits for its streams; aborting it cuts the wait short. */
  #finishing: AbortController | undefined

  constructor(setup: ConnectionSetup, context: ConnectionContext) {
    this.#setup = setup
    this.#context = context
    this.id = setup.id
    this.quicConnection = setup.quicConnection
    this.direction = setup.direction
    this.remoteMachineId = setup.remoteMachineId
    this.remotePublicKey = setup.remotePublicKey
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve
    })
    const connection = setup.quicConnection
    connection.addEventListener(quicEvents.EventQUICConnectionStream.name, this.#onStream)
    connection.addEventListener(quicEvents.EventQUICConnectionError.name, this.#onError)
    connection.addEventListener(quicEvents.EventQUICConnectionStopped.name, this.#onStopped, {
      once: true,
    })
    if (connection.closed) this.#onStopped()
  }

  get status(): ConnectionStatus {
    return this.#status === 'handshaking' ? 'closing' : this.#status
  }

  get remoteAddress(): PeerAddress {
    const host = this.quicConnection.remoteHost
    // A dual-stack socket sees IPv4 peers as `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2): report the
    // IPv4 address, which any socket can dial back.
    const mapped = IPV4_MAPPED.exec(host)?.[1]
    return { host: mapped ?? host, port: this.quicConnection.remotePort }
  }

  /** The server side: the first stream the client opens carries the handshake. */
  waitForFirstStream(signal: AbortSignal): Promise<QUICStream> {
    const first = this.#heldStreams.shift()
    if (first !== undefined) return Promise.resolve(first)
    return raceSignal(
      new Promise<QUICStream>((resolve) => {
        this.#firstStream = resolve
      }),
      signal,
    )
  }

  /** The session is established: streams flow from now on, those held back first. */
  open(session: Session): void {
    if (this.#status !== 'handshaking') return
    this.#status = 'open'
    this.#session = session
    this.openedAt = this.#context.clock.now()
    this.#router = new StreamRouter(this, session, this.#context)
    for (const stream of this.#heldStreams.splice(0)) this.#router.accept(stream)
  }

  openStream(kind: StreamKind, options: AbortOptions = {}): Promise<FrameStream> {
    if (this.#status !== 'open' || this.#router === undefined) {
      return Promise.reject(new ConnectionClosedError(`the connection is ${this.status}`))
    }
    return this.#router.open(kind, options)
  }

  async ping(options: AbortOptions = {}): Promise<number> {
    if (this.#status !== 'open' || this.#router === undefined) {
      throw new ConnectionClosedError(`the connection is ${this.status}`)
    }
    using deadline = timeoutSignal(this.#context.limits.dialTimeoutMs, {
      clock: this.#context.clock,
      signal: options.signal,
    })
    return await this.#router.ping(deadline.signal)
  }

  close(): Promise<void> {
    if (this.#status === 'open') void this.#closeGracefully()
    else if (this.#status === 'handshaking') {
      this.#shutDown('closed-locally', undefined, CLOSE_CODE_NORMAL)
    }
    return this.#closed
  }

  abort(reason?: Error): void {
    if (this.#status === 'closed') return
    if (this.#status !== 'closing') this.#shutDown('closed-locally', reason, CLOSE_CODE_NORMAL)
    else if (this.#finishing !== undefined) {
      this.#error ??= reason
      this.#stopNow(CLOSE_CODE_NORMAL)
    }
    this.#status = 'closed'
    this.#disconnect()
  }

  /** Closes with `code` at once, reporting `reason` if the connection had been announced. */
  terminate(code: number, reason: DisconnectReason = 'error', error?: Error): Promise<void> {
    if (this.#status !== 'closed' && this.#status !== 'closing') {
      this.#shutDown(reason, error, code)
    } else if (this.#finishing !== undefined) {
      this.#error ??= error
      this.#stopNow(code)
    }
    return this.#closed
  }

  /**
   * A stream broke the protocol: a frame failed to open (tampered, replayed, reordered, moved)
   * or broke the frame limit. Inside an authenticated QUIC connection that means an attacker
   * who can inject into it, or a broken peer; the streams share the session keys, so none is
   * trusted further and the whole connection closes (transport.md §3).
   */
  protocolError(error: Error): void {
    if (this.#status === 'closed' || this.#status === 'closing') return
    // The error says where (stream, frame number), never a key or a byte of the frame.
    this.#context.log.warn(
      'closing connection %s to %s for a protocol error: %s: %s',
      this.id,
      this.remoteMachineId,
      error.name,
      error.message,
    )
    this.#context.onProtocolError(this, error)
    void this.terminate(CLOSE_CODE_PROTOCOL_ERROR, 'error', error)
  }

  /**
   * Ends every stream after its queued frames (QUIC drops unsent stream data once it closes,
   * RFC 9000 §10.2), then closes; past `CLOSE_FLUSH_TIMEOUT_MS`, or if cut short, it is abrupt.
   */
  async #closeGracefully(): Promise<void> {
    this.#beginClosing('closed-locally', undefined)
    const finishing = new AbortController()
    this.#finishing = finishing
    using deadline = timeoutSignal(CLOSE_FLUSH_TIMEOUT_MS, {
      clock: this.#context.clock,
      signal: finishing.signal,
    })
    await this.#router?.finishAll(deadline.signal)
    await this.#handshakeDelivered(deadline.signal)
    // An abort, a protocol error or the peer's close stopped the connection meanwhile.
    if (this.#finishing !== finishing) return
    this.#stopNow(CLOSE_CODE_NORMAL)
  }

  /**
   * A dialler is open before the server, which opens on our FINISH (transport.md §2): closing
   * before the server acknowledged FINISH could leave it never announcing a connection that our
   * `peer:connect` did. So a graceful close waits until QUIC has retired the handshake stream.
   */
  async #handshakeDelivered(signal: AbortSignal): Promise<void> {
    const streamId = this.#session?.handshakeStreamId
    if (this.direction !== 'outbound' || streamId === undefined) return
    const { clock } = this.#context
    try {
      while (!streamRetired(this.quicConnection, streamId)) {
        await clock.delay(FINISH_POLL_MS, { signal })
      }
    } catch {
      // Cut short: the close goes ahead abruptly.
    }
  }

  #shutDown(reason: DisconnectReason, error: Error | undefined, code: number): void {
    this.#beginClosing(reason, error)
    this.#stopNow(code)
  }

  #beginClosing(reason: DisconnectReason, error: Error | undefined): void {
    this.#reason ??= reason
    this.#error ??= error
    this.#status = 'closing'
    this.#context.onClosing(this)
  }

  #stopNow(code: number): void {
    this.#cancelFinishing()
    this.#failStreams(this.#error)
    this.#setup.stop(code).catch((stopError: unknown) => {
      this.#context.log('stopping connection %s failed: %s', this.id, String(stopError))
    })
  }

  #cancelFinishing(): void {
    const finishing = this.#finishing
    this.#finishing = undefined
    finishing?.abort()
  }

  #failStreams(cause: Error | undefined): void {
    const failure = new StreamResetError('the connection closed', {
      cause: cause ?? new ConnectionClosedError('the connection closed'),
    })
    this.#router?.failAll(failure)
    for (const stream of this.#heldStreams.splice(0)) cancelStream(stream, failure)
  }

  readonly #onStream = (event: Event): void => {
    const stream = (event as CustomEvent<QUICStream>).detail
    if (this.#status === 'open') this.#router?.accept(stream)
    else if (this.#status !== 'handshaking')
      cancelStream(stream, new ConnectionClosedError('closed'))
    else if (this.#firstStream !== undefined) {
      this.#firstStream(stream)
      this.#firstStream = undefined
    } else this.#heldStreams.push(stream)
  }

  readonly #onError = (event: Event): void => {
    const error = (event as CustomEvent<Error>).detail
    this.peerCloseCode ??= peerCloseCode(error)
    this.#reason ??= disconnectReasonOf(error)
    this.#error ??= error
  }

  readonly #onStopped = (): void => {
    if (this.#status !== 'closed' && this.#status !== 'closing') this.#context.onClosing(this)
    this.#status = 'closed'
    this.#cancelFinishing()
    this.#failStreams(this.#error)
    const connection = this.quicConnection
    connection.removeEventListener(quicEvents.EventQUICConnectionStream.name, this.#onStream)
    connection.removeEventListener(quicEvents.EventQUICConnectionError.name, this.#onError)
    // A dialled connection closed by the peer still has a client to release.
    this.#setup.stop(CLOSE_CODE_NORMAL).catch(() => undefined)
    this.#disconnect()
    this.#context.onReleased(this)
    this.#resolveClosed()
  }

  #disconnect(): void {
    if (this.#disconnected) return
    this.#disconnected = true
    this.#context.onDisconnected(this, this.#reason ?? 'error', this.#error)
  }
}
