import { errors as quicErrors, type QUICStream } from '@matrixai/quic'
import { raceSignal, throwIfAborted, timeoutSignal } from '@x0x/base'
import { DecryptionFailedError } from '@x0x/pqc'
import { FrameTooLargeError, StreamLimitError, StreamResetError } from '../errors.js'
import { STREAM_KINDS, type AbortOptions, type FrameStream, type StreamKind } from '../transport.js'
import {
  INBOUND_STREAM_LIMIT_FACTOR,
  MAX_INBOUND_PING_STREAMS,
  PING_KIND_CODE,
  PING_PAYLOAD_BYTES,
} from './constants.js'
import { FrameOpener, FrameSealer } from './frame-codec.js'
import type { Session } from './pq-session.js'
import type { ConnectionContext, QuicConnectionImpl } from './quic-connection.js'
import { QuicFrameStream } from './quic-frame-stream.js'
import { cancelStream, streamRetired } from './quic-library.js'

/** A user kind, or the internal kind of ping streams. */
type KindCode = StreamKind | 'ping'

/** Open streams per kind in one direction. */
class StreamCounts {
  readonly #counts = new Map<KindCode, number>()

  get(kind: KindCode): number {
    return this.#counts.get(kind) ?? 0
  }

  add(kind: KindCode, delta: number): void {
    this.#counts.set(kind, this.get(kind) + delta)
  }
}

function kindOfCode(code: number | undefined): KindCode | undefined {
  if (code === PING_KIND_CODE) return 'ping'
  return code === undefined ? undefined : STREAM_KINDS[code]
}

function codeOfKind(kind: KindCode): number {
  return kind === 'ping' ? PING_KIND_CODE : STREAM_KINDS.indexOf(kind)
}

/** Echoes the one ping frame and ends the stream. */
async function answerPing(stream: FrameStream): Promise<void> {
  const payload = await stream.read()
  if (payload?.length !== PING_PAYLOAD_BYTES) {
    stream.abort()
    return
  }
  await stream.send(payload)
  await stream.close()
}

/**
 * The streams of one open connection: opens them under the peer's per-kind limit, accepts the
 * peer's (reading each one's header frame to route it by kind), and answers pings.
 */
export class StreamRouter {
  readonly #connection: QuicConnectionImpl
  readonly #session: Session
  readonly #context: ConnectionContext
  readonly #sendKey: Uint8Array
  readonly #receiveKey: Uint8Array
  readonly #streams = new Set<QuicFrameStream>()
  readonly #outbound = new StreamCounts()
  readonly #inbound = new StreamCounts()

  constructor(connection: QuicConnectionImpl, session: Session, context: ConnectionContext) {
    this.#connection = connection
    this.#session = session
    this.#context = context
    const outbound = connection.direction === 'outbound'
    this.#sendKey = outbound ? session.keys.clientToServer : session.keys.serverToClient
    this.#receiveKey = outbound ? session.keys.serverToClient : session.keys.clientToServer
  }

  /** Opens a stream of `kind` and sends its header frame. */
  async open(kind: KindCode, options: AbortOptions): Promise<QuicFrameStream> {
    throwIfAborted(options.signal)
    const limit =
      kind === 'ping' ? MAX_INBOUND_PING_STREAMS : this.#session.remoteBounds.maxStreamsPerKind
    if (this.#outbound.get(kind) >= limit) {
      throw new StreamLimitError(`${limit} ${kind} streams are already open on this connection`)
    }
    let quicStream: QUICStream
    try {
      quicStream = this.#connection.quicConnection.newStream('bidi')
    } catch (error) {
      if (error instanceof quicErrors.ErrorQUICStreamLimit) {
        throw new StreamLimitError('the peer has no stream credit left', { cause: error })
      }
      throw error
    }
    const stream = this.#attach(kind, quicStream, this.#opener(quicStream), this.#outbound)
    try {
      await stream.send(Uint8Array.of(codeOfKind(kind)), options)
    } catch (error) {
      stream.abort(error as Error)
      throw error
    }
    return stream
  }

  /** A stream the peer opened: its header is read within the dial timeout, then it is routed. */
  accept(quicStream: QUICStream): void {
    this.#route(quicStream).catch((error: unknown) => {
      cancelStream(quicStream, error)
      if (error instanceof DecryptionFailedError || error instanceof FrameTooLargeError) {
        this.#connection.protocolError(error)
      }
    })
  }

  async ping(signal: AbortSignal): Promise<number> {
    const stream = await this.open('ping', { signal })
    try {
      const payload = crypto.getRandomValues(new Uint8Array(PING_PAYLOAD_BYTES))
      const started = performance.now()
      await stream.send(payload, { signal })
      const reply = await stream.read({ signal })
      const roundTrip = performance.now() - started
      if (reply === undefined || Buffer.compare(reply, payload) !== 0) {
        throw new StreamResetError('the peer answered a ping with other bytes')
      }
      return roundTrip
    } finally {
      await stream.close().catch(() => undefined)
    }
  }

  /** Ends every stream gracefully (`QuicFrameStream.finish`); resolves once each is done or failed. */
  async finishAll(signal: AbortSignal): Promise<void> {
    const { quicConnection } = this.#connection
    const { clock } = this.#context
    await Promise.all(
      [...this.#streams].map((stream) =>
        stream
          .finish(() => streamRetired(quicConnection, stream.quicStreamId), clock, signal)
          .catch(() => undefined),
      ),
    )
  }

  failAll(error: Error): void {
    for (const stream of this.#streams) stream.fail(error)
  }

  #opener(quicStream: QUICStream): FrameOpener {
    return new FrameOpener(
      this.#receiveKey,
      quicStream.streamId,
      this.#context.limits.maxFrameBytes,
    )
  }

  #attach(
    kind: KindCode,
    quicStream: QUICStream,
    opener: FrameOpener,
    counts: StreamCounts,
    reader = quicStream.readable.getReader(),
  ): QuicFrameStream {
    counts.add(kind, 1)
    const stream: QuicFrameStream = new QuicFrameStream({
      kind: kind === 'ping' ? 'control' : kind,
      remoteMachineId: this.#connection.remoteMachineId,
      quicStream,
      reader,
      sealer: new FrameSealer(this.#sendKey, quicStream.streamId),
      opener,
      maxFrameBytes: Math.min(
        this.#context.limits.maxFrameBytes,
        this.#session.remoteBounds.maxFrameBytes,
      ),
      receiveQueueFrames: this.#context.limits.streamReceiveQueueFrames,
      sendQueueFrames: this.#context.limits.streamReceiveQueueFrames,
      log: this.#context.log,
      onRelease: () => {
        counts.add(kind, -1)
        this.#streams.delete(stream)
      },
      onProtocolError: (error) => {
        this.#connection.protocolError(error)
      },
    })
    this.#streams.add(stream)
    return stream
  }

  async #readHeader(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    opener: FrameOpener,
  ): Promise<KindCode | undefined> {
    const { limits, clock } = this.#context
    using deadline = timeoutSignal(limits.dialTimeoutMs, { clock })
    let header = opener.next()
    while (header === undefined) {
      const { value, done } = await raceSignal(reader.read(), deadline.signal)
      if (done) return undefined
      opener.push(value)
      header = opener.next()
    }
    const kind = header.length === 1 ? kindOfCode(header[0]) : undefined
    if (kind === undefined) throw new StreamResetError('a stream header names no known kind')
    return kind
  }

  async #route(quicStream: QUICStream): Promise<void> {
    const reader = quicStream.readable.getReader()
    const opener = this.#opener(quicStream)
    const kind = await this.#readHeader(reader, opener)
    if (kind === undefined) return
    const limit =
      kind === 'ping'
        ? MAX_INBOUND_PING_STREAMS
        : this.#context.limits.maxStreamsPerKind * INBOUND_STREAM_LIMIT_FACTOR
    if (this.#inbound.get(kind) >= limit) {
      throw new StreamLimitError(`the peer opened more than ${limit} ${kind} streams`)
    }
    const handler = kind === 'ping' ? undefined : this.#context.handlerFor(kind)
    if (kind !== 'ping' && handler === undefined) {
      throw new StreamResetError(`no handler for ${kind} streams`)
    }
    const stream = this.#attach(kind, quicStream, opener, this.#inbound, reader)
    if (handler === undefined) {
      await answerPing(stream)
      return
    }
    try {
      handler(stream, this.#connection)
    } catch (error) {
      this.#context.log.error('the %s handler threw: %s', kind, String(error))
      stream.abort(error as Error)
    }
  }
}
