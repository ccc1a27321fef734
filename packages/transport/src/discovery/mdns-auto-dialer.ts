import { TtlCache, timeoutSignal, type Clock, type Logger } from '@x0x/base'
import type { Transport } from '../transport.js'
import type { MdnsPeer } from './mdns-records.js'

/** Bounds of `MdnsAutoDialer`. */
export interface MdnsAutoDialerLimits {
  readonly maxConcurrentDials: number
  readonly dialCooldownMs: number
  readonly dialTimeoutMs: number
  /** Peers whose cooldown is remembered at most (the oldest is forgotten first). */
  readonly maxPeers: number
}

/**
 * Dials peers found on the LAN: never more than `maxConcurrentDials` at once, never the same peer
 * twice within `dialCooldownMs`, never a peer already connected. A peer skipped for lack of a
 * free slot is dialled when it is next heard from.
 */
export class MdnsAutoDialer {
  readonly #transport: Transport
  readonly #clock: Clock
  readonly #log: Logger
  readonly #limits: MdnsAutoDialerLimits
  readonly #cooldown: TtlCache<string, true>
  readonly #inFlight = new Set<Promise<void>>()
  #shutdown = new AbortController()
  dials = 0
  dialFailures = 0

  constructor(transport: Transport, clock: Clock, log: Logger, limits: MdnsAutoDialerLimits) {
    this.#transport = transport
    this.#clock = clock
    this.#log = log
    this.#limits = limits
    this.#cooldown = new TtlCache({ capacity: limits.maxPeers, ttl: limits.dialCooldownMs, clock })
  }

  /** Dials `peer` unless connected, cooling down, or every slot is busy. */
  consider(peer: MdnsPeer): void {
    if (this.#shutdown.signal.aborted) return
    if (this.#transport.getConnection(peer.machineId) !== undefined) return
    if (this.#cooldown.has(peer.machineId)) return
    if (this.#inFlight.size >= this.#limits.maxConcurrentDials) return
    this.#cooldown.set(peer.machineId, true)
    this.dials++
    const dial = this.#dial(peer).finally(() => this.#inFlight.delete(dial))
    this.#inFlight.add(dial)
  }

  /** Aborts dials in flight and waits for them to end. */
  async stop(): Promise<void> {
    this.#shutdown.abort()
    await Promise.all(this.#inFlight)
    this.#cooldown.clear()
    this.#shutdown = new AbortController()
  }

  async #dial(peer: MdnsPeer): Promise<void> {
    const shutdown = this.#shutdown.signal
    using deadline = timeoutSignal(this.#limits.dialTimeoutMs, {
      clock: this.#clock,
      signal: shutdown,
    })
    try {
      await this.#transport.dial(peer, { signal: deadline.signal })
    } catch (error) {
      if (shutdown.aborted) return
      this.dialFailures++
      this.#log('dial of LAN peer %s failed: %s', peer.machineId, String(error))
    }
  }
}
