// One outbound `direct` stream to a remote machine: messages go out on it in order, and the
// remote's acknowledgements come back on it, matched by request id. A link that fails rejects
// every pending send at once (the caller retries on a fresh link), so nothing waits forever.
import { DecodeError, raceSignal, toHex, type Logger } from '@x0x/base'
import type { PqcBackend } from '@x0x/pqc'
import type { FrameStream } from '@x0x/transport'
import { decodeDirectFrame, type AckStatus } from './direct-codec.js'

interface PendingAck {
  resolve(status: AckStatus): void
  reject(error: Error): void
}

/** The outbound half of a direct conversation with one machine. */
export class DirectLink {
  readonly stream: FrameStream
  readonly #pending = new Map<string, PendingAck>()
  readonly #backend: PqcBackend
  readonly #log: Logger
  readonly #onClose: (link: DirectLink) => void
  #failure: Error | undefined

  constructor(
    stream: FrameStream,
    backend: PqcBackend,
    log: Logger,
    onClose: (link: DirectLink) => void,
  ) {
    this.stream = stream
    this.#backend = backend
    this.#log = log
    this.#onClose = onClose
    void this.#readAcks()
  }

  get closed(): boolean {
    return this.#failure !== undefined
  }

  get pending(): number {
    return this.#pending.size
  }

  /**
   * Sends a signed message frame and resolves with the remote's acknowledgement.
   *
   * @throws StreamClosedError / StreamResetError when the link fails, AbortError / TimeoutError
   */
  async send(requestId: Uint8Array, frame: Uint8Array, signal: AbortSignal): Promise<AckStatus> {
    if (this.#failure !== undefined) throw this.#failure
    const key = toHex(requestId)
    const acknowledged = new Promise<AckStatus>((resolve, reject) => {
      this.#pending.set(key, { resolve, reject })
    })
    try {
      await this.stream.send(frame, { signal })
      return await raceSignal(acknowledged, signal)
    } finally {
      this.#pending.delete(key)
      acknowledged.catch(() => undefined)
    }
  }

  /** Resets the stream; pending sends reject. */
  abort(reason: Error): void {
    this.#fail(reason)
    this.stream.abort(reason)
  }

  async #readAcks(): Promise<void> {
    try {
      for await (const bytes of this.stream) {
        const frame = decodeDirectFrame(bytes, this.#backend)
        if (frame.type !== 'ack') throw new DecodeError('a message on an outbound direct stream')
        this.#pending.get(toHex(frame.requestId))?.resolve(frame.status)
      }
      this.#fail(new DecodeError('direct stream ended by the remote'))
    } catch (error) {
      this.#log('direct link failed: %s', String(error))
      const failure = error instanceof Error ? error : new Error(String(error))
      this.#fail(failure)
      this.stream.abort(failure)
    }
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return
    this.#failure = error
    for (const pending of this.#pending.values()) pending.reject(error)
    this.#pending.clear()
    this.#onClose(this)
  }
}
