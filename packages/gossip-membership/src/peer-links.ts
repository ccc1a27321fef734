import type { Clock, Logger, TimerHandle } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import type { Connection, FrameStream, Transport } from '@x0x/transport'
import type { PeerDescriptor } from './peer.js'

/** One outbound membership stream and the frames waiting for it. */
interface PeerLink {
  readonly peer: PeerDescriptor
  readonly frames: Uint8Array[]
  stream: FrameStream | undefined
  draining: boolean
  /** Close the connection once the queue drains (DISCONNECT, or a transient link). */
  closeAfter: boolean
  lingerTimer: TimerHandle | undefined
}

/** What `PeerLinks` needs from the service. */
export interface PeerLinksOptions {
  readonly transport: Transport
  readonly clock: Clock
  readonly log: Logger
  readonly signal: AbortSignal
  readonly maxQueuedFramesPerPeer: number
  readonly maxLinks: number
  /** How long a transient link (to a non-neighbour) stays open for its answer. */
  readonly lingerMs: number
  /** Whether membership still needs a link to `peer` (active or awaiting an answer). */
  readonly isWanted: (peer: MachineId) => boolean
  /** A dial or stream to `peer` failed; queued frames were dropped. */
  readonly onSendFailed: (peer: MachineId) => void
}

/**
 * Outbound membership traffic: one long-lived 'membership' stream per peer (opened on the first
 * frame, dialling if needed), frames sent in order. Bounded: at most `maxLinks` peers and
 * `maxQueuedFramesPerPeer` frames each; past either bound new frames are dropped, which the
 * protocol tolerates (SWIM and HyParView time out and retry). Links to peers membership no longer
 * wants are closed after `lingerMs`, so answers to transient dials (shuffle replies, indirect
 * probes) can still arrive.
 */
export class PeerLinks {
  readonly #options: PeerLinksOptions
  readonly #links = new Map<MachineId, PeerLink>()

  constructor(options: PeerLinksOptions) {
    this.#options = options
  }

  /** Queues `frame` for `peer`; false when it was dropped at a bound. */
  send(peer: PeerDescriptor, frame: Uint8Array): boolean {
    let link = this.#links.get(peer.id)
    if (link === undefined) {
      if (this.#links.size >= this.#options.maxLinks) return false
      link = {
        peer,
        frames: [],
        stream: undefined,
        draining: false,
        closeAfter: false,
        lingerTimer: undefined,
      }
      this.#links.set(peer.id, link)
    }
    if (link.frames.length >= this.#options.maxQueuedFramesPerPeer) return false
    link.closeAfter = false
    link.frames.push(frame)
    if (!link.draining) void this.#drain(link)
    return true
  }

  /** Closes the link to `peer` once its queued frames are sent. */
  close(peer: MachineId): void {
    const link = this.#links.get(peer)
    if (link === undefined) {
      this.#closeConnection(peer)
      return
    }
    link.closeAfter = true
    if (!link.draining) this.#finish(link)
  }

  /** Forgets the link after its connection died (its stream died with it). */
  connectionLost(peer: MachineId): void {
    const link = this.#links.get(peer)
    if (link === undefined) return
    this.#options.clock.clearTimeout(link.lingerTimer)
    this.#links.delete(peer)
  }

  /** Clears every timer and forgets every link (the transport closes the streams). */
  clear(): void {
    for (const link of this.#links.values()) this.#options.clock.clearTimeout(link.lingerTimer)
    this.#links.clear()
  }

  async #drain(link: PeerLink): Promise<void> {
    link.draining = true
    try {
      link.stream ??= await this.#openStream(link.peer)
      let frame = link.frames.shift()
      while (frame !== undefined) {
        await link.stream.send(frame, { signal: this.#options.signal })
        frame = link.frames.shift()
      }
    } catch (error) {
      this.#options.log('membership link to %s failed: %s', link.peer.id, error)
      this.#links.delete(link.peer.id)
      this.#options.clock.clearTimeout(link.lingerTimer)
      link.stream?.abort()
      if (!this.#options.signal.aborted) this.#options.onSendFailed(link.peer.id)
      return
    } finally {
      link.draining = false
    }
    this.#finish(link)
  }

  async #openStream(peer: PeerDescriptor): Promise<FrameStream> {
    const { transport, signal } = this.#options
    const connection: Connection =
      transport.getConnection(peer.id) ??
      (await transport.dial({ machineId: peer.id, addresses: peer.addresses }, { signal }))
    return connection.openStream('membership', { signal })
  }

  #finish(link: PeerLink): void {
    if (this.#links.get(link.peer.id) !== link) return
    if (link.closeAfter) {
      this.#release(link)
      return
    }
    if (this.#options.isWanted(link.peer.id) || link.lingerTimer !== undefined) return
    link.lingerTimer = this.#options.clock.setTimeout(() => {
      link.lingerTimer = undefined
      if (!this.#options.isWanted(link.peer.id) && !link.draining) this.#release(link)
    }, this.#options.lingerMs)
  }

  #release(link: PeerLink): void {
    this.#options.clock.clearTimeout(link.lingerTimer)
    this.#links.delete(link.peer.id)
    const stream = link.stream
    if (stream !== undefined) void stream.close().catch(() => undefined)
    this.#closeConnection(link.peer.id)
  }

  #closeConnection(peer: MachineId): void {
    const connection = this.#options.transport.getConnection(peer)
    if (connection !== undefined) void connection.close().catch(() => undefined)
  }
}
