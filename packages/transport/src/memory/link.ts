import type { Clock, Random } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import type { Delivery, DeliveryReceiver, DeliveryScheduler } from './delivery-scheduler.js'
import { samplePropagationMs, serializationMs, type LinkProfile } from './link-profile.js'

/** Something whose messages must arrive in the order sent: a stream, or a whole link. */
export interface Ordering {
  /** Arrival time of the last message sent under this ordering. */
  lastArrival: number
}

/** What a link needs from its network. */
export interface LinkEnvironment {
  readonly clock: Clock
  readonly random: Random
  readonly scheduler: DeliveryScheduler
  /** Bumped whenever any link profile changes. */
  readonly profileVersion: number
  /** Bumped whenever partitions or isolations change. */
  readonly reachabilityVersion: number
  nextSequence(): number
  profileOf(from: MachineId, to: MachineId): LinkProfile
  isReachable(from: MachineId, to: MachineId): boolean
  /** A link started or stopped holding messages (`count` more or fewer). */
  onHeld(link: Link, count: number): void
}

interface LinkDelivery extends Delivery {
  readonly ordering: Ordering | undefined
  readonly bytes: number
  readonly run: () => void
}

/**
 * One direction of a connection between two machines. It turns a send into an arrival time
 * (serialization behind earlier messages, latency, jitter, retransmissions), keeps each ordering
 * monotonic, and holds messages while a partition separates the two ends, as QUIC keeps
 * retransmitting them; they arrive after the heal, in send order.
 */
export class Link implements Ordering, DeliveryReceiver {
  readonly from: MachineId
  readonly to: MachineId
  /** Arrival time of the last message on this link, whatever its ordering. */
  lastArrival = -Infinity
  readonly #environment: LinkEnvironment
  #busyUntil = -Infinity
  #held: LinkDelivery[] = []
  #disposed = false
  #profile: LinkProfile | undefined
  #profileVersion = -1
  #reachable = true
  #reachabilityVersion = -1

  constructor(environment: LinkEnvironment, from: MachineId, to: MachineId) {
    this.#environment = environment
    this.from = from
    this.to = to
  }

  /** Messages held back by a partition. */
  get heldCount(): number {
    return this.#held.length
  }

  get reachable(): boolean {
    const environment = this.#environment
    if (this.#reachabilityVersion !== environment.reachabilityVersion) {
      this.#reachabilityVersion = environment.reachabilityVersion
      this.#reachable = environment.isReachable(this.from, this.to)
    }
    return this.#reachable
  }

  /**
   * Sends a message of `bytes` (counted against the bandwidth) that runs `run` on arrival. With an
   * `ordering`, it arrives after every earlier message sent under the same ordering.
   */
  send(ordering: Ordering | undefined, bytes: number, run: () => void): void {
    if (this.#disposed) return
    const environment = this.#environment
    const delivery: LinkDelivery = {
      time: 0,
      sequence: environment.nextSequence(),
      ordering,
      bytes,
      run,
      receiver: this,
    }
    if (this.reachable) this.#schedule(delivery)
    else this.#hold(delivery)
  }

  /** Sends the held messages again, in their original order, once the link is reachable. */
  release(): void {
    if (this.#held.length === 0 || !this.reachable) return
    const held = this.#held.sort((a, b) => a.sequence - b.sequence)
    this.#held = []
    this.#environment.onHeld(this, -held.length)
    for (const delivery of held) this.#schedule(delivery)
  }

  /**
   * The connection is gone at both ends: held messages are dropped and nothing more is sent, as a
   * closed QUIC connection stops retransmitting. Messages already in flight still arrive.
   */
  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    if (this.#held.length > 0) this.#environment.onHeld(this, -this.#held.length)
    this.#held = []
  }

  #schedule(delivery: LinkDelivery): void {
    const environment = this.#environment
    if (this.#profileVersion !== environment.profileVersion || this.#profile === undefined) {
      this.#profileVersion = environment.profileVersion
      this.#profile = environment.profileOf(this.from, this.to)
    }
    const profile = this.#profile
    const start = Math.max(environment.clock.now(), this.#busyUntil)
    this.#busyUntil = start + serializationMs(profile, delivery.bytes)
    let time = this.#busyUntil + samplePropagationMs(profile, environment.random)
    const ordering = delivery.ordering
    if (ordering !== undefined) {
      time = Math.max(time, ordering.lastArrival)
      ordering.lastArrival = time
    }
    this.lastArrival = Math.max(this.lastArrival, time)
    delivery.time = time
    environment.scheduler.schedule(delivery)
  }

  #hold(delivery: LinkDelivery): void {
    this.#held.push(delivery)
    this.#environment.onHeld(this, 1)
  }

  /** Called by the scheduler when `delivery` is due. */
  deliver(delivery: Delivery): void {
    const sent = delivery as LinkDelivery
    // A message caught in flight by a partition is retransmitted after the heal, unless the
    // connection is gone by then: retransmissions die with the connection state.
    if (this.reachable) sent.run()
    else if (!this.#disposed) this.#hold(sent)
  }
}
