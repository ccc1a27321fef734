// Outbound pub/sub traffic: one long-lived 'pubsub' stream per active neighbour, each drained by
// its own loop. The transport's `send` waits while the peer's queue is full (back-pressure); a
// neighbour that reads slowly therefore fills only its own bounded queue here, and past the bound
// new frames for it are dropped and counted, so it can never stall the other neighbours. Plumtree
// tolerates the loss: IHAVE/GRAFT and anti-entropy repair what a dropped frame carried.
import type { Logger } from '@x0x/base'
import type { PeerDescriptor } from '@x0x/gossip-membership'
import type { MachineId } from '@x0x/pqc'
import type { FrameStream, Transport } from '@x0x/transport'

interface NeighbourLink {
  readonly peer: PeerDescriptor
  readonly controller: AbortController
  frames: Uint8Array[]
  bytes: number
  stream: FrameStream | undefined
  draining: boolean
}

/** What `NeighbourLinks` needs from the service. */
export interface NeighbourLinksOptions {
  readonly transport: Transport
  readonly log: Logger
  readonly maxQueuedFrames: number
  readonly maxQueuedBytes: number
}

/** Counters of the outbound side, for `/diagnostics/gossip`. */
export interface NeighbourLinkCounters {
  /** Frames dropped at a neighbour's full send queue (or with its failed stream). */
  neighbour_send_dropped: number
  /** Streams that failed to open or broke while sending. */
  neighbour_stream_failures: number
  /** Frames handed to the transport. */
  neighbour_frames_sent: number
}

export class NeighbourLinks {
  readonly counters: NeighbourLinkCounters = {
    neighbour_send_dropped: 0,
    neighbour_stream_failures: 0,
    neighbour_frames_sent: 0,
  }
  readonly #options: NeighbourLinksOptions
  readonly #links = new Map<MachineId, NeighbourLink>()

  constructor(options: NeighbourLinksOptions) {
    this.#options = options
  }

  get size(): number {
    return this.#links.size
  }

  /** Frames and bytes waiting across every neighbour. */
  queued(): { frames: number; bytes: number } {
    let frames = 0
    let bytes = 0
    for (const link of this.#links.values()) {
      frames += link.frames.length
      bytes += link.bytes
    }
    return { frames, bytes }
  }

  has(peer: MachineId): boolean {
    return this.#links.has(peer)
  }

  /** Starts a link to `peer`; its stream opens with the first frame. */
  open(peer: PeerDescriptor): void {
    if (this.#links.has(peer.id)) return
    this.#links.set(peer.id, {
      peer,
      controller: new AbortController(),
      frames: [],
      bytes: 0,
      stream: undefined,
      draining: false,
    })
  }

  /** Queues `frame` for `peer`; false (counted) when there is no link or its queue is full. */
  send(peer: MachineId, frame: Uint8Array): boolean {
    const link = this.#links.get(peer)
    const options = this.#options
    if (
      link === undefined ||
      link.frames.length >= options.maxQueuedFrames ||
      link.bytes + frame.length > options.maxQueuedBytes
    ) {
      this.counters.neighbour_send_dropped++
      return false
    }
    link.frames.push(frame)
    link.bytes += frame.length
    if (!link.draining) void this.#drain(link)
    return true
  }

  /** Ends the stream to `peer` (the connection belongs to membership) and drops its queue. */
  close(peer: MachineId): void {
    const link = this.#links.get(peer)
    if (link === undefined) return
    this.#links.delete(peer)
    this.#release(link)
  }

  clear(): void {
    for (const link of this.#links.values()) this.#release(link)
    this.#links.clear()
  }

  #release(link: NeighbourLink): void {
    link.frames = []
    link.bytes = 0
    link.controller.abort()
    link.stream?.close().catch(() => undefined)
    link.stream = undefined
  }

  async #drain(link: NeighbourLink): Promise<void> {
    link.draining = true
    const signal = link.controller.signal
    try {
      while (link.frames.length > 0 && !signal.aborted) {
        link.stream ??= await this.#openStream(link.peer, signal)
        const frame = link.frames[0] as Uint8Array
        await link.stream.send(frame, { signal })
        link.frames.shift()
        link.bytes -= frame.length
        this.counters.neighbour_frames_sent++
      }
    } catch (error) {
      if (!signal.aborted) {
        this.#options.log('pubsub stream to %s failed: %s', link.peer.id, error)
        this.counters.neighbour_stream_failures++
        this.counters.neighbour_send_dropped += link.frames.length
        link.frames = []
        link.bytes = 0
        link.stream?.abort()
        link.stream = undefined
      }
    } finally {
      link.draining = false
    }
  }

  async #openStream(peer: PeerDescriptor, signal: AbortSignal): Promise<FrameStream> {
    const transport = this.#options.transport
    const connection =
      transport.getConnection(peer.id) ??
      (await transport.dial({ machineId: peer.id, addresses: peer.addresses }, { signal }))
    return connection.openStream('pubsub', { signal })
  }
}
