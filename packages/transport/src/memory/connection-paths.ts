import type { PeerAddress } from '../transport.js'
import type { ConnectionPair } from './connection-pair.js'
import type { Link } from './link.js'

/**
 * The state of every path between connected machines: which connections exist, which have their
 * path cut (their ends counting down to an idle timeout), and which links hold messages back. It
 * turns partitions, heals and crashes into what QUIC would show: connections dying after their
 * idle timeout, surviving a short cut, or reset once the other end is known to be gone.
 */
export class ConnectionPaths {
  readonly #pairs = new Set<ConnectionPair>()
  readonly #broken = new Set<ConnectionPair>()
  readonly #holding = new Set<Link>()
  readonly #answersAt: (address: PeerAddress) => boolean
  #held = 0

  /** `answersAt` tells whether a running process listens at an address. */
  constructor(answersAt: (address: PeerAddress) => boolean) {
    this.#answersAt = answersAt
  }

  /** Messages held back by cut paths. */
  get held(): number {
    return this.#held
  }

  add(pair: ConnectionPair): void {
    this.#pairs.add(pair)
  }

  remove(pair: ConnectionPair): void {
    this.#pairs.delete(pair)
    this.#broken.delete(pair)
  }

  has(pair: ConnectionPair): boolean {
    return this.#pairs.has(pair)
  }

  /** `link` holds `count` more (or fewer) messages. */
  onHeld(link: Link, count: number): void {
    this.#held += count
    if (link.heldCount > 0) this.#holding.add(link)
    else this.#holding.delete(link)
  }

  /** Reachability shrank: every connection whose path is now cut starts dying. */
  cutUnreachable(): void {
    for (const pair of this.#pairs) if (!pair.broken && !pair.reachable) this.cut(pair)
  }

  /** The path of `pair` is cut: its open ends count down to their idle timeouts. */
  cut(pair: ConnectionPair): void {
    pair.broken = true
    this.#broken.add(pair)
    pair.dialer?.armDeathTimer()
    pair.acceptor?.armDeathTimer()
  }

  /**
   * Reachability grew, or a process started listening: connections with both ends alive live on,
   * survivors of a dead end learn of it if a process answers at its address, and held messages go.
   */
  restore(): void {
    for (const pair of [...this.#broken]) {
      if (!pair.reachable) continue
      const { dialer, acceptor } = pair
      const gone = [dialer, acceptor].find((half) => half?.state === 'closed')
      if (gone === undefined) {
        pair.broken = false
        this.#broken.delete(pair)
        dialer?.disarmDeathTimer()
        acceptor?.disarmDeathTimer()
      } else if (this.#answersAt(gone.owner.address)) {
        // The survivor's next packet draws a stateless reset. Otherwise (a crash and nobody
        // back at that address) its idle timeout runs on.
        this.#broken.delete(pair)
        gone.sendStatelessReset()
      }
    }
    for (const link of [...this.#holding]) link.release()
  }
}
