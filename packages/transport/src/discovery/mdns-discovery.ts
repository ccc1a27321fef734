import { randomInt } from 'node:crypto'
import {
  InvalidStateError,
  TtlCache,
  TypedEventTarget,
  createRandom,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
  type Random,
  type TimerHandle,
} from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import {
  DEFAULT_DIAL_TIMEOUT_MS,
  DEFAULT_MDNS_DIAL_COOLDOWN_MS,
  DEFAULT_MDNS_INITIAL_QUERY_INTERVAL_MS,
  DEFAULT_MDNS_MAX_CONCURRENT_DIALS,
  DEFAULT_MDNS_MAX_PEERS,
  DEFAULT_MDNS_MAX_QUERY_INTERVAL_MS,
  DEFAULT_MDNS_RECORD_TTL_SECONDS,
  MDNS_ANNOUNCEMENTS,
  MDNS_ANNOUNCEMENT_INTERVAL_MS,
  MDNS_MIN_RESPONSE_INTERVAL_MS,
  MDNS_RESPONSE_DELAY_MAX_MS,
  MDNS_RESPONSE_DELAY_MIN_MS,
  MDNS_SERVICE_TYPE,
} from '../constants.js'
import type { PeerAddress, Transport } from '../transport.js'
import type { MdnsDiscoveryComponents, MdnsDiscoveryInit } from './mdns-discovery-init.js'
import { decodeDnsMessage, encodeDnsMessage, type DnsMessage } from './dns-message.js'
import { MdnsAutoDialer } from './mdns-auto-dialer.js'
import {
  advertisementResponse,
  asksFor,
  browseQuery,
  readResponse,
  type Advertisement,
  type MdnsPeer,
} from './mdns-records.js'
import { createUdpMdnsSocket, type MdnsSocket } from './mdns-socket.js'
import { advertisedHosts, sameAddresses } from './local-hosts.js'

/** Counters since start. */
export interface MdnsDiscoveryStats {
  readonly packetsReceived: number
  /** Malformed, oversized or over-long packets dropped. */
  readonly packetsRejected: number
  readonly queriesSent: number
  readonly responsesSent: number
  /** `peer:discovered` events emitted. */
  readonly discovered: number
  readonly dials: number
  readonly dialFailures: number
}

/** Events of mDNS discovery. */
export interface MdnsDiscoveryEvents {
  /** A peer was heard of for the first time (within its TTL) or at new addresses. */
  'peer:discovered': MdnsPeer
}

/** LAN discovery by mDNS (RFC 6762) and DNS-SD (RFC 6763): advertises this node, browses for others. */
export interface MdnsDiscovery extends TypedEventTarget<MdnsDiscoveryEvents> {
  readonly advertising: boolean
  readonly browsing: boolean
  readonly stats: MdnsDiscoveryStats
  /** Peers heard of within their TTL. */
  peers(): MdnsPeer[]
  /** Opens the socket, announces, starts browsing. @throws InvalidStateError without a port to advertise */
  start(): Promise<void>
  /** Withdraws the advertisement (goodbye), stops timers and dials, closes the socket; idempotent. */
  stop(): Promise<void>
}

export function createMdnsDiscovery(
  init: MdnsDiscoveryInit,
  components: MdnsDiscoveryComponents,
): MdnsDiscovery {
  return new MdnsDiscoveryImpl(init, components)
}

class MdnsDiscoveryImpl extends TypedEventTarget<MdnsDiscoveryEvents> implements MdnsDiscovery {
  readonly #init: MdnsDiscoveryInit
  readonly #serviceType: string
  readonly #advertise: boolean
  readonly #browse: boolean
  readonly #ttlSeconds: number
  readonly #initialQueryIntervalMs: number
  readonly #maxQueryIntervalMs: number
  readonly #transport: Transport
  readonly #socket: MdnsSocket
  readonly #clock: Clock
  readonly #log: Logger
  readonly #random: Random
  readonly #peers: TtlCache<MachineId, MdnsPeer>
  readonly #dialer: MdnsAutoDialer | undefined
  readonly #timers = new Set<TimerHandle>()
  #advertisement: Advertisement | undefined
  #running = false
  #responseScheduled = false
  #lastResponseAt = -Infinity
  #stats = {
    packetsReceived: 0,
    packetsRejected: 0,
    queriesSent: 0,
    responsesSent: 0,
    discovered: 0,
  }

  constructor(init: MdnsDiscoveryInit, components: MdnsDiscoveryComponents) {
    super()
    this.#init = init
    this.#serviceType = (init.serviceType ?? MDNS_SERVICE_TYPE).toLowerCase()
    this.#advertise = init.advertise ?? true
    this.#browse = init.browse ?? true
    this.#ttlSeconds = init.recordTtlSeconds ?? DEFAULT_MDNS_RECORD_TTL_SECONDS
    this.#initialQueryIntervalMs =
      init.initialQueryIntervalMs ?? DEFAULT_MDNS_INITIAL_QUERY_INTERVAL_MS
    this.#maxQueryIntervalMs = init.maxQueryIntervalMs ?? DEFAULT_MDNS_MAX_QUERY_INTERVAL_MS
    this.#transport = components.transport
    this.#socket = components.socket ?? createUdpMdnsSocket()
    this.#clock = components.clock ?? systemClock
    this.#log = (components.logger ?? silentLogger).forComponent('x0x:transport:mdns')
    this.#random = components.random ?? createRandom(randomInt(2 ** 47))
    const maxPeers = init.maxPeers ?? DEFAULT_MDNS_MAX_PEERS
    this.#peers = new TtlCache({
      capacity: maxPeers,
      ttl: this.#ttlSeconds * 1_000,
      clock: this.#clock,
    })
    this.#dialer =
      init.autoDial === true
        ? new MdnsAutoDialer(this.#transport, this.#clock, this.#log, {
            maxConcurrentDials: init.maxConcurrentDials ?? DEFAULT_MDNS_MAX_CONCURRENT_DIALS,
            dialCooldownMs: init.dialCooldownMs ?? DEFAULT_MDNS_DIAL_COOLDOWN_MS,
            dialTimeoutMs: init.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS,
            maxPeers,
          })
        : undefined
  }

  get advertising(): boolean {
    return this.#running && this.#advertise
  }

  get browsing(): boolean {
    return this.#running && this.#browse
  }

  get stats(): MdnsDiscoveryStats {
    return {
      ...this.#stats,
      dials: this.#dialer?.dials ?? 0,
      dialFailures: this.#dialer?.dialFailures ?? 0,
    }
  }

  peers(): MdnsPeer[] {
    return [...this.#peers].map(([, peer]) => peer)
  }

  async start(): Promise<void> {
    if (this.#running) return
    this.#advertisement = this.#advertise ? this.#resolveAdvertisement() : undefined
    await this.#socket.open((packet, from) => {
      this.#receive(packet, from)
    })
    this.#running = true
    if (this.#advertise) this.#announce(MDNS_ANNOUNCEMENTS)
    if (this.#browse) this.#query(this.#initialQueryIntervalMs)
  }

  async stop(): Promise<void> {
    if (!this.#running) return
    this.#running = false
    for (const timer of this.#timers) this.#clock.clearTimeout(timer)
    this.#timers.clear()
    this.#responseScheduled = false
    if (this.#advertisement !== undefined) {
      await this.#send(advertisementResponse(this.#advertisement, 0)).catch(() => undefined)
    }
    await this.#dialer?.stop()
    await this.#socket.close()
    this.#peers.clear()
  }

  #resolveAdvertisement(): Advertisement {
    const listen = this.#transport.listenAddresses
    const port = this.#init.port ?? listen[0]?.port
    if (port === undefined) {
      throw new InvalidStateError(
        'mDNS needs a port to advertise: start the transport first or set `port`',
      )
    }
    return {
      serviceType: this.#serviceType,
      machineId: this.#transport.machineId,
      port,
      hosts: this.#init.hosts ?? advertisedHosts(listen),
      ttlSeconds: this.#ttlSeconds,
    }
  }

  #after(delayMs: number, callback: () => void): void {
    const timer = this.#clock.setTimeout(() => {
      this.#timers.delete(timer)
      if (this.#running) callback()
    }, delayMs)
    this.#timers.add(timer)
  }

  #announce(remaining: number): void {
    this.#respond()
    if (remaining > 1)
      this.#after(MDNS_ANNOUNCEMENT_INTERVAL_MS, () => {
        this.#announce(remaining - 1)
      })
  }

  #query(nextIntervalMs: number): void {
    this.#stats.queriesSent++
    this.#send(browseQuery(this.#serviceType)).catch((error: unknown) => {
      this.#log('mDNS query failed: %s', String(error))
    })
    const following = Math.min(nextIntervalMs * 2, this.#maxQueryIntervalMs)
    this.#after(nextIntervalMs, () => {
      this.#query(following)
    })
  }

  #respond(): void {
    if (this.#advertisement === undefined) return
    this.#lastResponseAt = this.#clock.now()
    this.#stats.responsesSent++
    this.#send(advertisementResponse(this.#advertisement, this.#ttlSeconds)).catch(
      (error: unknown) => {
        this.#log('mDNS response failed: %s', String(error))
      },
    )
  }

  /** Answers after RFC 6762 §6's random 20–120 ms, and at most once per second, coalescing queries. */
  #scheduleResponse(): void {
    if (this.#responseScheduled) return
    this.#responseScheduled = true
    const spread = MDNS_RESPONSE_DELAY_MAX_MS - MDNS_RESPONSE_DELAY_MIN_MS
    const delay = MDNS_RESPONSE_DELAY_MIN_MS + this.#random.int(spread + 1)
    const earliest = this.#lastResponseAt + MDNS_MIN_RESPONSE_INTERVAL_MS - this.#clock.now()
    this.#after(Math.max(delay, earliest), () => {
      this.#responseScheduled = false
      this.#respond()
    })
  }

  async #send(message: DnsMessage): Promise<void> {
    await this.#socket.send(encodeDnsMessage(message))
  }

  #receive(packet: Uint8Array, from: PeerAddress): void {
    if (!this.#running) return
    this.#stats.packetsReceived++
    let message: DnsMessage
    try {
      message = decodeDnsMessage(packet)
    } catch (error) {
      this.#stats.packetsRejected++
      this.#log.trace('dropped an mDNS packet from %s: %s', from.host, String(error))
      return
    }
    if (!message.response) {
      if (this.#advertisement !== undefined && asksFor(message, this.#advertisement)) {
        this.#scheduleResponse()
      }
      return
    }
    if (!this.#browse) return
    const content = readResponse(message, this.#serviceType, from)
    for (const machineId of content.goodbyes) this.#peers.delete(machineId)
    for (const peer of content.peers) this.#learn(peer)
  }

  #learn(peer: MdnsPeer): void {
    if (peer.machineId === this.#transport.machineId) return
    const known = this.#peers.get(peer.machineId)
    this.#peers.set(peer.machineId, peer)
    if (known === undefined || !sameAddresses(known.addresses, peer.addresses)) {
      this.#stats.discovered++
      this.safeDispatchEvent('peer:discovered', peer)
    }
    this.#dialer?.consider(peer)
  }
}
