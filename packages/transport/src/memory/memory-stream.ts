import { errorFromSignal } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import { STREAM_CREDIT_RETURN_FRACTION } from '../constants.js'
import { FrameTooLargeError, StreamClosedError, StreamResetError } from '../errors.js'
import type { AbortOptions, FrameStream, StreamKind } from '../transport.js'
import { FrameQueue } from './frame-queue.js'
import type { Ordering } from './link.js'
import { WaitList } from './wait-list.js'

/** What a stream endpoint needs from its connection. */
export interface StreamHost {
  readonly remoteMachineId: MachineId
  /** Sends a message to the peer connection; `run` executes there on arrival. */
  post(ordering: Ordering | undefined, bytes: number, run: () => void): void
  /** The endpoint is done in both directions. */
  onStreamReleased(stream: MemoryStream): void
}

/** Options of `MemoryStream`. */
export interface MemoryStreamInit {
  readonly host: StreamHost
  readonly id: string
  readonly kind: StreamKind
  /** Whether this endpoint opened the stream. */
  readonly initiator: boolean
  /** Frames this endpoint buffers for its reader: its transport's `streamReceiveQueueFrames`. */
  readonly receiveWindow: number
  /** Frames the peer endpoint buffers: the credit this endpoint starts with. */
  readonly sendCredit: number
  /** The smaller of both sides' `maxFrameBytes`. */
  readonly maxFrameBytes: number
  /** Messages of the stream go after everything already sent on the link (its open included). */
  readonly lastArrival: number
}

type WriteState = 'open' | 'ending' | 'ended'

/**
 * One end of an in-memory stream. Flow control is credit-based as in QUIC (RFC 9000 §4): the
 * receiver grants a cumulative number of frames, at most its receive window ahead of what its
 * reader consumed, and `send()` waits for credit. Back-pressure is therefore end to end, and the
 * receive queue can never grow past the window.
 */
export class MemoryStream implements FrameStream {
  readonly id: string
  readonly kind: StreamKind
  readonly remoteMachineId: MachineId
  readonly initiator: boolean
  /** Arrival time of this endpoint's last message (the stream's `Ordering`). */
  lastArrival: number
  readonly #host: StreamHost
  readonly #window: number
  readonly #grantThreshold: number
  readonly #maxFrameBytes: number
  #peer: MemoryStream | undefined
  // Receiving.
  readonly #queue = new FrameQueue()
  readonly #readers = new WaitList<Uint8Array | undefined>()
  #consumed = 0
  #granted: number
  #remoteEnded = false
  #readStopped = false
  #readError: Error | undefined
  // Sending.
  readonly #senders = new WaitList<undefined, Uint8Array>()
  readonly #finWaiters = new WaitList<undefined>()
  #credit: number
  #sent = 0
  #writeState: WriteState = 'open'
  #writeError: Error | undefined
  #released = false

  constructor(init: MemoryStreamInit) {
    this.#host = init.host
    this.id = init.id
    this.kind = init.kind
    this.remoteMachineId = init.host.remoteMachineId
    this.initiator = init.initiator
    this.#window = init.receiveWindow
    this.#granted = init.receiveWindow
    this.#grantThreshold = Math.max(
      1,
      Math.floor(init.receiveWindow * STREAM_CREDIT_RETURN_FRACTION),
    )
    this.#credit = init.sendCredit
    this.#maxFrameBytes = init.maxFrameBytes
    this.lastArrival = init.lastArrival
  }

  /** Joins two endpoints; each sends to the other. */
  static join(local: MemoryStream, remote: MemoryStream): void {
    local.#peer = remote
    remote.#peer = local
  }

  get released(): boolean {
    return this.#released
  }

  send(frame: Uint8Array, options: AbortOptions = {}): Promise<void> {
    const { signal } = options
    if (signal?.aborted === true) return Promise.reject(errorFromSignal(signal))
    const refusal = this.#sendRefusal(frame)
    if (refusal !== undefined) return Promise.reject(refusal)
    if (this.#senders.size === 0 && this.#sent < this.#credit) {
      this.#transmit(frame)
      return Promise.resolve()
    }
    return this.#senders.wait(signal, frame)
  }

  read(options: AbortOptions = {}): Promise<Uint8Array | undefined> {
    const { signal } = options
    if (signal?.aborted === true) return Promise.reject(errorFromSignal(signal))
    if (this.#queue.size > 0) return Promise.resolve(this.#take())
    if (this.#readError !== undefined) return Promise.reject(this.#readError)
    if (this.#readStopped) {
      return Promise.reject(new StreamClosedError(`stream ${this.id} is closed for reading`))
    }
    if (this.#remoteEnded) return Promise.resolve(undefined)
    return this.#readers.wait(signal, undefined)
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const frame = await this.read()
      if (frame === undefined) return
      yield frame
    }
  }

  closeWrite(options: AbortOptions = {}): Promise<void> {
    if (this.#writeState === 'ended') return Promise.resolve()
    if (this.#writeState === 'open') {
      this.#writeState = 'ending'
      if (this.#senders.size === 0) {
        this.#sendFin()
        return Promise.resolve()
      }
    }
    // Frames still waiting for credit go first; the end follows them.
    return this.#finWaiters.wait(options.signal, undefined)
  }

  async close(options: AbortOptions = {}): Promise<void> {
    if (!this.#readStopped && this.#readError === undefined) {
      this.#readStopped = true
      this.#queue.clear()
      this.#readers.resolveAll(undefined)
      // QUIC's STOP_SENDING: the peer stops sending instead of filling a queue nobody reads.
      const peer = this.#remote
      if (!this.#remoteEnded) {
        this.#host.post(undefined, 0, () => {
          peer.#onStopSending()
        })
      }
    }
    try {
      await this.closeWrite(options)
    } catch (error) {
      this.abort(error as Error)
      throw error
    }
    this.#checkRelease()
  }

  abort(reason?: Error): void {
    if (this.#released) return
    this.#fail(new StreamResetError(`stream ${this.id} was aborted`, { cause: reason }))
    const peer = this.#remote
    this.#host.post(this, 0, () => {
      peer.#fail(new StreamResetError(`the remote reset stream ${peer.id}`, { cause: reason }))
    })
  }

  /** The connection closed gracefully: reads end after what has arrived, writes are refused. */
  endWithConnection(sendEnd: boolean): void {
    if (this.#released) return
    const closing = new StreamClosedError(`the connection of stream ${this.id} closed`)
    this.#senders.rejectAll(closing)
    if (sendEnd && this.#writeState !== 'ended') this.#sendFin()
    this.#writeState = 'ended'
    this.#writeError ??= closing
    this.#finWaiters.resolveAll(undefined)
    this.#remoteEnded = true
    if (this.#queue.size === 0) this.#readers.resolveAll(undefined)
    this.#release()
  }

  /** The connection failed: every pending and later operation fails with `cause` inside. */
  failWithConnection(cause: Error): void {
    this.#fail(new StreamResetError(`the connection of stream ${this.id} failed`, { cause }))
  }

  /** A frame from the peer endpoint. */
  #onFrame(frame: Uint8Array): void {
    if (this.#readError !== undefined || this.#readStopped) return
    if (this.#readers.size > 0) {
      this.#consumed++
      this.#grantCredit()
      this.#readers.resolveNext(frame)
      return
    }
    if (this.#queue.size >= this.#window) {
      this.abort(new StreamResetError(`the remote overran the receive window of stream ${this.id}`))
      return
    }
    this.#queue.push(frame)
  }

  #onFin(): void {
    this.#remoteEnded = true
    if (this.#queue.size === 0) this.#readers.resolveAll(undefined)
    this.#checkRelease()
  }

  #onCredit(limit: number): void {
    if (limit <= this.#credit) return
    this.#credit = limit
    while (this.#senders.size > 0 && this.#sent < this.#credit) {
      this.#transmit(this.#senders.peek() as Uint8Array)
      this.#senders.resolveNext(undefined)
    }
    if (this.#writeState === 'ending' && this.#senders.size === 0) this.#sendFin()
  }

  #onStopSending(): void {
    if (this.#writeState === 'ended') return
    const error = new StreamResetError(`the remote stopped reading stream ${this.id}`)
    this.#writeError = error
    this.#writeState = 'ended'
    this.#senders.rejectAll(error)
    this.#finWaiters.resolveAll(undefined)
    this.#checkRelease()
  }

  #sendRefusal(frame: Uint8Array): Error | undefined {
    if (this.#writeError !== undefined) return this.#writeError
    if (this.#writeState !== 'open') {
      return new StreamClosedError(`stream ${this.id} is closed for writing`)
    }
    if (frame.byteLength > this.#maxFrameBytes) {
      return new FrameTooLargeError(
        `a frame of ${frame.byteLength} bytes is over the limit of ${this.#maxFrameBytes}`,
      )
    }
    return undefined
  }

  #transmit(frame: Uint8Array): void {
    // A copy: the caller may reuse its buffer once send() resolves, as with a socket.
    const copy = frame.slice()
    this.#sent++
    const peer = this.#remote
    this.#host.post(this, copy.byteLength, () => {
      peer.#onFrame(copy)
    })
  }

  #sendFin(): void {
    this.#writeState = 'ended'
    const peer = this.#remote
    this.#host.post(this, 0, () => {
      peer.#onFin()
    })
    this.#finWaiters.resolveAll(undefined)
    this.#checkRelease()
  }

  #take(): Uint8Array {
    const frame = this.#queue.shift()
    this.#consumed++
    this.#grantCredit()
    if (this.#remoteEnded) this.#checkRelease()
    return frame
  }

  #grantCredit(): void {
    if (this.#remoteEnded || this.#readStopped || this.#readError !== undefined) return
    const limit = this.#consumed + this.#window
    if (limit - this.#granted < this.#grantThreshold) return
    this.#granted = limit
    const peer = this.#remote
    this.#host.post(undefined, 0, () => {
      peer.#onCredit(limit)
    })
  }

  /** The peer endpoint; every stream is joined to one before use. */
  get #remote(): MemoryStream {
    return this.#peer as MemoryStream
  }

  #fail(error: Error): void {
    // A stream done in both directions has nothing left to fail.
    if (this.#released) return
    this.#readError ??= error
    this.#writeError ??= error
    this.#writeState = 'ended'
    this.#queue.clear()
    this.#readers.rejectAll(this.#readError)
    this.#senders.rejectAll(this.#writeError)
    this.#finWaiters.resolveAll(undefined)
    this.#release()
  }

  #checkRelease(): void {
    if (this.#released || this.#writeState !== 'ended') return
    const readDone =
      this.#readStopped ||
      this.#readError !== undefined ||
      (this.#remoteEnded && this.#queue.size === 0)
    if (readDone) this.#release()
  }

  #release(): void {
    if (this.#released) return
    this.#released = true
    this.#host.onStreamReleased(this)
  }
}
