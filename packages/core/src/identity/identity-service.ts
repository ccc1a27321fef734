// Identity announcements over gossip and the discovery they feed. The agent announces itself
// when it first gains a neighbour, every heartbeat, to a new neighbour (rate-limited, so a join
// never triggers a storm), and when someone queries its id; what others announce is verified
// (`decodeAnnouncement`) and lands in the discovery cache. `find` asks the network with a query
// and waits, bounded, for the named agent's answer.
import { networkInterfaces } from 'node:os'
import {
  LruCache,
  TypedEventTarget,
  once,
  timeoutSignal,
  type Clock,
  type Logger,
  type TimerHandle,
} from '@x0x/base'
import type { Pubsub, Subscription } from '@x0x/gossip-pubsub'
import {
  agentIdFromBytes,
  idToBytes,
  issueAgentCertificate,
  type AgentCertificate,
  type AgentId,
  type Identity,
  type PqcBackend,
} from '@x0x/pqc'
import { formatPeerAddress, type PeerAddress, type Transport } from '@x0x/transport'
import {
  IDENTITY_ANNOUNCE_TOPIC,
  IDENTITY_QUERY_TOPIC,
  MAX_ANNOUNCED_ADDRESSES,
  ANNOUNCEMENT_BURST,
  ANNOUNCEMENT_REFILL_MS,
  MAX_ANNOUNCEMENT_THROTTLE_ENTRIES,
  MIN_REANNOUNCE_INTERVAL_MS,
} from '../constants.js'
import type { DiscoveredAgentRecord, DiscoveryCache } from '../discovery/discovery-cache.js'
import { UserIdentityUnavailableError } from '../errors.js'
import { decodeAnnouncement, encodeAnnouncement } from './announcement.js'

/** A year: how long the user → agent certificate made at start is valid. */
const CERTIFICATE_VALIDITY_MS = 365 * 24 * 3_600_000

export interface IdentityServiceEvents {
  /** A verified announcement updated the discovery cache. */
  'agent:discovered': DiscoveredAgentRecord
}

export interface IdentityServiceComponents {
  readonly identity: Identity
  readonly pubsub: Pubsub
  readonly transport: Transport
  readonly discovery: DiscoveryCache
  readonly backend: PqcBackend
  readonly clock: Clock
  readonly log: Logger
}

export interface IdentityServiceInit {
  readonly heartbeatIntervalMs: number
}

/** Where this machine can be dialled: listen addresses, wildcards expanded to interfaces. */
export function advertisedAddresses(listen: readonly PeerAddress[]): string[] {
  const result: string[] = []
  for (const address of listen) {
    if (address.host !== '0.0.0.0' && address.host !== '::') {
      result.push(formatPeerAddress(address))
      continue
    }
    for (const entries of Object.values(networkInterfaces())) {
      for (const entry of entries ?? []) {
        if (entry.family !== 'IPv4' || entry.internal) continue
        result.push(formatPeerAddress({ host: entry.address, port: address.port }))
      }
    }
    result.push(formatPeerAddress({ host: '127.0.0.1', port: address.port }))
  }
  return [...new Set(result)].slice(0, MAX_ANNOUNCED_ADDRESSES)
}

export class IdentityService extends TypedEventTarget<IdentityServiceEvents> {
  readonly #components: IdentityServiceComponents
  readonly #init: IdentityServiceInit
  readonly #certificate: AgentCertificate | undefined
  readonly #subscriptions: Subscription[] = []
  #includeUser = false
  #lastAnnouncedAt = Number.NEGATIVE_INFINITY
  #heartbeat: TimerHandle | undefined
  #stopped = false
  /** Each agent's announcement bucket: tokens left at a time (local clock). */
  readonly #buckets = new LruCache<AgentId, { tokens: number; at: number }>({
    capacity: MAX_ANNOUNCEMENT_THROTTLE_ENTRIES,
  })
  invalidAnnouncements = 0
  /** Announcements dropped unverified: the agent announced again too soon. */
  throttledAnnouncements = 0

  constructor(init: IdentityServiceInit, components: IdentityServiceComponents) {
    super()
    this.#init = init
    this.#components = components
    const { identity, clock } = components
    this.#certificate =
      identity.user === undefined
        ? undefined
        : issueAgentCertificate({
            user: identity.user,
            agentId: identity.agentId,
            issuedAt: clock.now(),
            expiresAt: clock.now() + CERTIFICATE_VALIDITY_MS,
          })
  }

  async start(): Promise<void> {
    const { pubsub } = this.#components
    const announcements = await pubsub.subscribe(IDENTITY_ANNOUNCE_TOPIC)
    const queries = await pubsub.subscribe(IDENTITY_QUERY_TOPIC)
    this.#subscriptions.push(announcements, queries)
    void this.#consume(announcements, (origin, payload) => {
      this.#receiveAnnouncement(origin, payload)
    })
    void this.#consume(queries, (_origin, payload) => {
      this.#receiveQuery(payload)
    })
    this.#scheduleHeartbeat()
  }

  stop(): void {
    this.#stopped = true
    if (this.#heartbeat !== undefined) this.#components.clock.clearTimeout(this.#heartbeat)
    for (const subscription of this.#subscriptions) subscription.close()
  }

  /**
   * Publishes a signed announcement now. With `includeUserIdentity`, the user certificate is
   * disclosed from now on (and needs a user key and the human's consent).
   *
   * @throws UserIdentityUnavailableError
   */
  async announce(options: { includeUserIdentity?: boolean; humanConsent?: boolean } = {}) {
    if (options.includeUserIdentity === true) {
      if (this.#certificate === undefined) {
        throw new UserIdentityUnavailableError('no user key is configured for this agent')
      }
      if (options.humanConsent !== true) {
        throw new UserIdentityUnavailableError(
          'announcing the user identity requires human_consent=true',
        )
      }
      this.#includeUser = true
    }
    await this.#publishAnnouncement()
    return { includeUserIdentity: this.#includeUser }
  }

  /** Announces unless one went out within `MIN_REANNOUNCE_INTERVAL_MS`. */
  announceSoon(): void {
    if (this.#components.clock.now() - this.#lastAnnouncedAt < MIN_REANNOUNCE_INTERVAL_MS) return
    this.#publishAnnouncement().catch((error: unknown) => {
      this.#components.log('announcement failed: %s', String(error))
    })
  }

  /** The cached record of `agentId`, or what the network answers to a query within `timeoutMs`. */
  async find(
    agentId: AgentId,
    options: { timeoutMs: number; signal?: AbortSignal | undefined },
  ): Promise<DiscoveredAgentRecord | undefined> {
    const cached = this.#components.discovery.getAgent(agentId)
    if (cached !== undefined) return cached
    const timeout = timeoutSignal(options.timeoutMs, {
      clock: this.#components.clock,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    })
    const answer = once<IdentityServiceEvents, 'agent:discovered'>(this, 'agent:discovered', {
      signal: timeout.signal,
      filter: (record) => record.agentId === agentId,
    })
    try {
      await this.#components.pubsub.publish(IDENTITY_QUERY_TOPIC, idToBytes(agentId))
      return await answer
    } catch {
      options.signal?.throwIfAborted()
      answer.catch(() => undefined)
      return undefined
    } finally {
      timeout.clear()
    }
  }

  async #publishAnnouncement(): Promise<void> {
    const { identity, transport, pubsub, clock } = this.#components
    this.#lastAnnouncedAt = clock.now()
    const payload = encodeAnnouncement(
      {
        agentPublicKey: identity.agent.publicKey,
        machinePublicKey: identity.machine.publicKey,
        kemPublicKey: identity.agentKem.publicKey,
        addresses: advertisedAddresses(transport.listenAddresses),
        announcedAt: clock.now(),
        certificate: this.#includeUser ? this.#certificate : undefined,
      },
      identity.machine,
    )
    await pubsub.publish(IDENTITY_ANNOUNCE_TOPIC, payload)
  }

  #scheduleHeartbeat(): void {
    if (this.#stopped) return
    this.#heartbeat = this.#components.clock.setTimeout(() => {
      this.announceSoon()
      this.#scheduleHeartbeat()
    }, this.#init.heartbeatIntervalMs)
  }

  async #consume(
    subscription: Subscription,
    handle: (origin: AgentId, payload: Uint8Array) => void,
  ): Promise<void> {
    for await (const message of subscription) handle(message.origin, message.payload)
  }

  #receiveAnnouncement(origin: AgentId, payload: Uint8Array): void {
    const { backend, clock, discovery, identity } = this.#components
    if (origin === identity.agentId) return
    const now = clock.now()
    if (!this.#takeToken(origin, now)) {
      this.throttledAnnouncements++
      return
    }
    let announcement
    try {
      announcement = decodeAnnouncement(payload, origin, backend, now)
    } catch (error) {
      this.invalidAnnouncements++
      this.#components.log('dropped an announcement: %s', String(error))
      return
    }
    const nowSeconds = Math.floor(now / 1000)
    const record: DiscoveredAgentRecord = {
      agentId: announcement.agentId,
      machineId: announcement.machineId,
      userId: announcement.userId ?? null,
      addresses: [...announcement.addresses],
      announcedAt: Math.floor(announcement.announcedAt / 1000),
      lastSeen: nowSeconds,
      agentPublicKey: announcement.agentPublicKey,
      kemPublicKey: announcement.kemPublicKey,
    }
    discovery.upsertAgent(record)
    this.safeDispatchEvent('agent:discovered', record)
  }

  /** Takes one token of `origin`'s bucket; false when it is empty. */
  #takeToken(origin: AgentId, now: number): boolean {
    const bucket = this.#buckets.get(origin) ?? { tokens: ANNOUNCEMENT_BURST, at: now }
    const refilled = (now - bucket.at) / ANNOUNCEMENT_REFILL_MS
    const tokens = Math.min(ANNOUNCEMENT_BURST, bucket.tokens + Math.max(0, refilled))
    if (tokens < 1) {
      this.#buckets.set(origin, { tokens, at: now })
      return false
    }
    this.#buckets.set(origin, { tokens: tokens - 1, at: now })
    return true
  }

  #receiveQuery(payload: Uint8Array): void {
    if (payload.length !== 32) return
    let target: AgentId
    try {
      target = agentIdFromBytes(payload)
    } catch {
      return
    }
    if (target === this.#components.identity.agentId) this.announceSoon()
  }
}
