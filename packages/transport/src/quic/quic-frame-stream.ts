import type { QUICStream } from '@matrixai/quic'
import { raceSignal, throwIfAborted, type Clock, type Logger } from '@x0x/base'
import { DecryptionFailedError, type MachineId } from '@x0x/pqc'
import { FrameTooLargeError, StreamClosedError, StreamResetError } from '../errors.js'
import { WaitList } from '../memory/wait-list.js'
import type { AbortOptions, FrameStream, StreamKind } from '../transport.js'
import { FINISH_POLL_MS } from './constants.js'
import type { FrameOpener, FrameSealer } from './frame-codec.js'
import { cancelStream } from './quic-library.js'

/** What a stream needs from its connection. */
export interface StreamSetup {
  readonly kind: StreamKind
  readonly remoteMachineId: MachineId
  readonly quicStream: QUICStream
  readonly reader: ReadableStreamDefaultReader<Uint8Array>
  readonly sealer: FrameSealer
  /** May already hold bytes that arrived with the stream header. */
  readonly opener: FrameOpener
  /** The smaller of both sides' frame limits. */
  readonly maxFrameBytes: number
  readonly receiveQueueFrames: number
  /** Frames `send()` accepts ahead of QUIC taking them; further sends wait. */
  readonly sendQueueFrames: number
  readonly log: Logger
  /** Called once, when both directions have ended: frees the stream's slot. */
  readonly onRelease: (stream: QuicFrameStream) => void
  /** A received frame failed to open or broke the frame limit: the connection must close. */
  readonly onProtocolError: (error: Error) => void
}

type ReadState = 'open' | 'ended' | 'failed'
type WriteState = 'open' | 'closing' | 'closed' | 'failed'

/**
 * A framed, sealed stream over one QUIC bidirectional stream. Receiving is pull-based: frames go
 * into a queue of `receiveQueueFrames`; while it is full nothing more is read from QUIC, so
 * QUIC's stream flow control (RFC 9000 §4.1) holds the sender back.
 */
export class QuicFrameStream implements FrameStream {
  readonly id: string
  readonly kind: StreamKind
  readonly remoteMachineId: MachineId
  readonly #setup: StreamSetup
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>
  readonly #queue: Uint8Array[] = []
  readonly #readers = new WaitList<undefined>()
  readonly #senders = new WaitList<undefined>()
  /** Frames accepted by `send()` that QUIC has not taken yet. */
  #pendingWrites = 0
  #roomWaiter: (() => void) | undefined
  #readState: ReadState = 'open'
  #writeState: WriteState = 'open'
  #readFailure: Error | undefined
  #writeFailure: Error | undefined
  #released = false

  constructor(setup: StreamSetup) {
    this.#setup = setup
    this.id = String(setup.quicStream.streamId)
    this.kind = setup.kind
    this.remoteMachineId = setup.remoteMachineId
    this.#writer = setup.quicStream.writable.getWriter()
    // The peer's STOP_SENDING (RFC 9000 §3.5) fails our sends; the frames it sent stay readable.
    this.#writer.closed.catch((error: unknown) => {
      this.#failWrite(new StreamResetError('the peer stopped reading the stream', { cause: error }))
      this.#releaseIfDone()
    })
    // Not from the constructor: bytes that came with the header may fail at once, and the
    // failure path reports to the connection, which must hold this stream first.
    queueMicrotask(() => void this.#pump())
  }

  /** The id of the underlying QUIC stream. */
  get quicStreamId(): number {
    return this.#setup.quicStream.streamId
  }

  async send(frame: Uint8Array, options: AbortOptions = {}): Promise<void> {
    throwIfAborted(options.signal)
    this.#assertWritable()
    if (frame.length > this.#setup.maxFrameBytes) {
      throw new FrameTooLargeError(
        `a frame of ${frame.length} bytes exceeds the limit of ${this.#setup.maxFrameBytes}`,
      )
    }
    // FIFO among senders: a newcomer queues behind those already waiting for room.
    if (this.#pendingWrites >= this.#setup.sendQueueFrames || this.#senders.size > 0) {
      do await this.#senders.wait(options.signal, undefined)
      while (this.#pendingWrites >= this.#setup.sendQueueFrames)
      this.#assertWritable()
    }
    // Sealed in acceptance order: that fixes the frame's sequence number and copies it.
    const wire = this.#setup.sealer.seal(frame)
    this.#pendingWrites++
    this.#enqueueWrite(wire).then(this.#written, this.#written)
  }

  async read(options: AbortOptions = {}): Promise<Uint8Array | undefined> {
    for (;;) {
      throwIfAborted(options.signal)
      const frame = this.#queue.shift()
      if (frame !== undefined) {
        this.#wakePump()
        return frame
      }
      if (this.#readState === 'failed') throw this.#readFailure as Error
      if (this.#readState === 'ended') return undefined
      await this.#readers.wait(options.signal, undefined)
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let frame = await this.read(); frame !== undefined; frame = await this.read()) yield frame
  }

  async closeWrite(options: AbortOptions = {}): Promise<void> {
    if (this.#writeState === 'failed') throw this.#writeFailure as Error
    if (this.#writeState !== 'open') return
    this.#writeState = 'closing'
    try {
      await raceSignal(
        this.#enqueueWrite(undefined).then(() => {
          if (this.#writeState === 'closing') this.#writeState = 'closed'
          this.#releaseIfDone()
        }),
        options.signal,
      )
    } catch (error) {
      throw this.#writeFailure ?? error
    }
  }

  async close(options: AbortOptions = {}): Promise<void> {
    await this.closeWrite(options).catch(() => undefined)
    if (this.#readState === 'open') {
      this.#readState = 'ended'
      this.#queue.length = 0
      this.#readers.resolveAll(undefined)
      this.#wakePump()
      // STOP_SENDING (RFC 9000 §3.5): the peer's further sends fail instead of piling up.
      this.#setup.reader
        .cancel(new StreamClosedError('the reader closed the stream'))
        .catch(() => undefined)
    }
    if (this.#writeState === 'open' || this.#writeState === 'closing') this.abort()
    this.#releaseIfDone()
  }

  /**
   * The graceful end of a closing connection: sends the end of the stream after the frames
   * already accepted, stops reading (STOP_SENDING, RFC 9000 §3.5, so the peer resets its side
   * and QUIC can retire the stream), then waits until `delivered()` holds. Sends fail from now.
   */
  async finish(delivered: () => boolean, clock: Clock, signal: AbortSignal): Promise<void> {
    await this.closeWrite({ signal })
    if (this.#readState === 'open') {
      this.#setup.reader
        .cancel(new StreamClosedError('the connection is closing'))
        .catch(() => undefined)
    }
    while (!delivered()) await clock.delay(FINISH_POLL_MS, { signal })
  }

  abort(reason?: Error): void {
    const failure = new StreamResetError('the stream was aborted', { cause: reason })
    if (this.#fail(failure)) cancelStream(this.#setup.quicStream, reason ?? failure)
  }

  /** Fails the stream from underneath (connection closed, protocol error); both ways reset. */
  fail(error: Error): void {
    if (this.#fail(error)) cancelStream(this.#setup.quicStream, error)
  }

  #assertWritable(): void {
    if (this.#writeState === 'failed') throw this.#writeFailure as Error
    if (this.#writeState !== 'open') throw new StreamClosedError('the stream is closed for writing')
  }

  /**
   * Writes `wire` (or the end of the stream, for `undefined`) after every earlier write: the
   * library's WritableStream queues writes in order, so no chain of our own is needed per frame.
   */
  #enqueueWrite(wire: Uint8Array | undefined): Promise<void> {
    const failure = this.#writeFailure
    if (this.#writeState === 'failed' && failure !== undefined) return Promise.reject(failure)
    const written = wire === undefined ? this.#writer.close() : this.#writer.write(wire)
    return written.then(undefined, this.#sendFailed)
  }

  /** A write QUIC took (or that failed): room for one more sender. */
  readonly #written = (): void => {
    this.#pendingWrites--
    this.#senders.resolveNext(undefined)
  }

  readonly #sendFailed = (error: unknown): never => {
    this.#failWrite(new StreamResetError('the stream failed while sending', { cause: error }))
    this.#releaseIfDone()
    throw this.#writeFailure as Error
  }

  /** Moves frames from QUIC into the queue while it has room. */
  async #pump(): Promise<void> {
    const { reader, opener, receiveQueueFrames } = this.#setup
    try {
      while (this.#readState === 'open') {
        if (this.#queue.length >= receiveQueueFrames) {
          await new Promise<void>((resolve) => {
            this.#roomWaiter = resolve
          })
          continue
        }
        const frame = opener.next()
        if (frame !== undefined) {
          this.#queue.push(frame)
          this.#readers.resolveNext(undefined)
          continue
        }
        const { value, done } = await reader.read()
        if (done) {
          this.#endRead(opener.buffered)
          return
        }
        opener.push(value)
      }
    } catch (error) {
      // A reset from the peer, or a frame that failed to open or was too large: both ways end.
      this.fail(
        error instanceof FrameTooLargeError
          ? error
          : new StreamResetError('the stream was reset', { cause: error }),
      )
      // The last two are the peer breaking the protocol, or an attacker on the path.
      if (error instanceof DecryptionFailedError || error instanceof FrameTooLargeError) {
        this.#setup.onProtocolError(error)
      }
    }
  }

  #endRead(leftover: number): void {
    if (this.#readState !== 'open') return
    if (leftover > 0) {
      this.fail(new StreamResetError(`the stream ended inside a frame (${leftover} bytes)`))
      return
    }
    this.#readState = 'ended'
    this.#readers.resolveAll(undefined)
    this.#releaseIfDone()
  }

  #wakePump(): void {
    const waiter = this.#roomWaiter
    this.#roomWaiter = undefined
    waiter?.()
  }

  /** Fails both directions with `error`; false when the stream had already been released. */
  #fail(error: Error): boolean {
    if (this.#released) return false
    this.#failRead(error)
    this.#failWrite(error)
    this.#setup.log('stream %s failed: %s', this.id, error.message)
    this.#releaseIfDone()
    return true
  }

  #failRead(error: Error): void {
    if (this.#readState !== 'open') return
    this.#readState = 'failed'
    this.#readFailure = error
    this.#queue.length = 0
    this.#readers.resolveAll(undefined)
    this.#wakePump()
  }

  #failWrite(error: Error): void {
    if (this.#writeState === 'closed' || this.#writeState === 'failed') return
    this.#writeState = 'failed'
    this.#writeFailure = error
    this.#senders.rejectAll(error)
  }

  #releaseIfDone(): void {
    if (this.#released || this.#readState === 'open') return
    if (this.#writeState === 'open' || this.#writeState === 'closing') return
    this.#released = true
    this.#setup.onRelease(this)
  }
}
