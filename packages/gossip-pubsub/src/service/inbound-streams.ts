// Inbound pub/sub traffic: every peer's 'pubsub' stream is read until it ends. One stream per
// peer (a newer one, the peer having re-opened it, replaces the older), and at most
// `maxInboundStreams` at once, so strangers cannot make the node hold unbounded readers; past
// the bound a new stream is reset and counted.
import type { Logger } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import type { FrameStream } from '@x0x/transport'
import { PubsubStoppedError } from '../errors.js'

/** What `InboundStreams` needs from the service. */
export interface InboundStreamsOptions {
  readonly log: Logger
  readonly maxInboundStreams: number
  /** Handles one frame; returns false once the service no longer wants frames. */
  readonly onFrame: (from: MachineId, frame: Uint8Array) => boolean
}

export class InboundStreams {
  /** Streams reset because `maxInboundStreams` were already open. */
  refused = 0
  readonly #options: InboundStreamsOptions
  readonly #streams = new Map<MachineId, FrameStream>()

  constructor(options: InboundStreamsOptions) {
    this.#options = options
  }

  get size(): number {
    return this.#streams.size
  }

  /** Reads `stream` from `from` until it ends, fails or the service stops. */
  async read(stream: FrameStream, from: MachineId): Promise<void> {
    const previous = this.#streams.get(from)
    if (previous === undefined && this.#streams.size >= this.#options.maxInboundStreams) {
      this.refused++
      stream.abort()
      return
    }
    previous?.abort()
    this.#streams.set(from, stream)
    try {
      for await (const frame of stream) {
        if (!this.#options.onFrame(from, frame)) break
      }
    } catch (error) {
      this.#options.log('pubsub stream from %s ended: %s', from, error)
    } finally {
      if (this.#streams.get(from) === stream) this.#streams.delete(from)
    }
  }

  /** Aborts every stream (service stop). */
  abortAll(): void {
    for (const stream of this.#streams.values()) stream.abort(new PubsubStoppedError())
    this.#streams.clear()
  }
}
