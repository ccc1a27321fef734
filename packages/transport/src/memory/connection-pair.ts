import type { MachineId } from '@x0x/pqc'
import { Link } from './link.js'
import type { MemoryConnection } from './memory-connection.js'
import type { NetworkEnvironment } from './network-environment.js'

/**
 * Both ends of one connection and the two directions of the path between them. The acceptor's end
 * exists once the dial reached it. When both ends are closed the pair leaves the network and its
 * links drop whatever they still hold.
 */
export class ConnectionPair {
  readonly id: string
  /** Dialer to acceptor. */
  readonly forward: Link
  /** Acceptor to dialer. */
  readonly backward: Link
  /** Whether the path is cut (a partition or a crash) and the ends are counting down to death. */
  broken = false
  #dialer: MemoryConnection | undefined
  #acceptor: MemoryConnection | undefined
  readonly #environment: NetworkEnvironment

  constructor(environment: NetworkEnvironment, dialerId: MachineId, acceptorId: MachineId) {
    this.#environment = environment
    this.id = environment.nextConnectionId()
    this.forward = new Link(environment, dialerId, acceptorId)
    this.backward = new Link(environment, acceptorId, dialerId)
    environment.addPair(this)
  }

  get dialer(): MemoryConnection | undefined {
    return this.#dialer
  }

  get acceptor(): MemoryConnection | undefined {
    return this.#acceptor
  }

  /** Whether both directions are reachable. */
  get reachable(): boolean {
    return this.forward.reachable && this.backward.reachable
  }

  /** Adds an end: the dialer's first, then the acceptor's. */
  attach(half: MemoryConnection): void {
    if (this.#dialer === undefined) this.#dialer = half
    else this.#acceptor = half
  }

  /** The other end of `half`, once it exists. */
  peerOf(half: MemoryConnection): MemoryConnection | undefined {
    return half === this.#dialer ? this.#acceptor : this.#dialer
  }

  /** The link `half` sends on. */
  linkFrom(half: MemoryConnection): Link {
    return half === this.#dialer ? this.forward : this.backward
  }

  /** Called when an end closes; releases the pair once no end is left. */
  onHalfClosed(): void {
    const live = (half: MemoryConnection | undefined): boolean =>
      half !== undefined && half.state !== 'closed'
    if (live(this.#dialer) || live(this.#acceptor)) return
    this.forward.dispose()
    this.backward.dispose()
    this.#environment.removePair(this)
  }
}
