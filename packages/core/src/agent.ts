// The Agent: one identity on the network. It assembles the layers below (transport, membership,
// pub/sub) with identity announcements, discovery, direct messaging and the contact book, and
// gives applications one object to drive. The daemon is a thin HTTP skin over it.
import {
  TypedEventTarget,
  silentLogger,
  systemClock,
  type Clock,
  type ComponentLogger,
  type Logger,
} from '@x0x/base'
import { createMembership, type Membership } from '@x0x/gossip-membership'
import { createPubsub, type Pubsub, type PubsubStats } from '@x0x/gossip-pubsub'
import {
  createPqcBackend,
  type AgentId,
  type Identity,
  type MachineId,
  type PqcBackend,
} from '@x0x/pqc'
import {
  formatPeerAddress,
  parsePeerAddress,
  type Connection,
  type Transport,
  type TransportEvents,
} from '@x0x/transport'
import { FilteredSubscription } from './agent-subscription.js'
import type {
  AgentComponents,
  AgentEvents,
  AgentInit,
  AgentSubscribeOptions,
  AgentSubscription,
  ConnectResult,
} from './agent-types.js'
import {
  DEFAULT_DIRECT_ACK_TIMEOUT_MS,
  DEFAULT_FIND_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DIRECT_MESSAGE_BUS_TOPIC,
} from './constants.js'
import type { ContactBook, TrustLevel } from './contacts/contact-book.js'
import { DirectMessaging } from './direct/direct-messaging.js'
import type {
  DirectMessagingStats,
  DirectRoute,
  DirectSendResult,
  TrustDecision,
} from './direct/direct-types.js'
import type { DiscoveredAgentRecord, DiscoveryCache } from './discovery/discovery-cache.js'
import { AgentBlockedError, AgentStoppedError } from './errors.js'
import { IdentityService } from './identity/identity-service.js'
import { NetworkJoin } from './network/network-join.js'

/** One x0x agent. */
export interface Agent extends TypedEventTarget<AgentEvents> {
  readonly identity: Identity
  readonly agentId: AgentId
  readonly machineId: MachineId
  readonly transport: Transport
  readonly contacts: ContactBook
  readonly discovery: DiscoveryCache
  readonly status: 'created' | 'running' | 'stopped'
  /** Unix ms when `start()` completed. */
  readonly startedAt: number | undefined
  /** Listens, then joins the network in the background (seeds, peer cache, mDNS). */
  start(): Promise<void>
  /** Leaves the network and releases every resource; idempotent. */
  stop(): Promise<void>
  subscribe(topic: string, options?: AgentSubscribeOptions): Promise<AgentSubscription>
  publish(topic: string, payload: Uint8Array): Promise<void>
  sendDirect(
    agentId: AgentId,
    payload: Uint8Array,
    options?: { signal?: AbortSignal; ackTimeoutMs?: number },
  ): Promise<DirectSendResult>
  announce(options?: { includeUserIdentity?: boolean; humanConsent?: boolean }): Promise<{
    includeUserIdentity: boolean
  }>
  find(
    agentId: AgentId,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<DiscoveredAgentRecord | undefined>
  connectAgent(agentId: AgentId, options?: { signal?: AbortSignal }): Promise<ConnectResult>
  connectMachine(machineId: MachineId, options?: { signal?: AbortSignal }): Promise<ConnectResult>
  /** Live connections (authenticated, post-quantum session up). */
  connections(): readonly Connection[]
  /** Agents reachable over a live connection now, from the discovery cache. */
  directConnections(): { agentId: AgentId; machineId: MachineId }[]
  evaluateTrust(agentId: AgentId, machineId: MachineId | null): TrustDecision
  /** The local trust level of `agentId` (`blocked` when revoked), null when not a contact. */
  trustLevelOf(agentId: AgentId): TrustLevel | null
  gossipStats(): PubsubStats
  directStats(): DirectMessagingStats
  readonly neighbours: () => readonly MachineId[]
  readonly networkJoin: NetworkJoin
}

/** Creates an agent from its parts; call `start()`. */
export function createAgent(init: AgentInit, components: AgentComponents): Agent {
  return new AgentImpl(init, components)
}

class AgentImpl extends TypedEventTarget<AgentEvents> implements Agent {
  readonly identity: Identity
  readonly agentId: AgentId
  readonly machineId: MachineId
  readonly transport: Transport
  readonly contacts: ContactBook
  readonly discovery: DiscoveryCache
  readonly networkJoin: NetworkJoin
  status: 'created' | 'running' | 'stopped' = 'created'
  startedAt: number | undefined
  readonly #init: AgentInit
  readonly #clock: Clock
  readonly #log: Logger
  readonly #backend: PqcBackend
  readonly #membership: Membership
  readonly #pubsub: Pubsub
  readonly #identityService: IdentityService
  readonly #direct: DirectMessaging

  constructor(init: AgentInit, components: AgentComponents) {
    super()
    this.#init = init
    this.identity = components.identity
    this.agentId = components.identity.agentId
    this.machineId = components.identity.machineId
    this.transport = components.transport
    this.contacts = components.contacts
    this.discovery = components.discovery
    this.#clock = components.clock ?? systemClock
    const logger: ComponentLogger = components.logger ?? silentLogger
    this.#log = logger.forComponent('x0x:agent')
    this.#backend = components.backend ?? createPqcBackend('native')
    const shared = { transport: this.transport, clock: this.#clock, logger }
    this.#membership = createMembership(init.membership ?? {}, shared)
    this.#pubsub = createPubsub(init.pubsub ?? {}, {
      ...shared,
      membership: this.#membership,
      agentKey: this.identity.agent,
      backend: this.#backend,
    })
    this.networkJoin = new NetworkJoin(
      { bootstrapPeers: init.bootstrapPeers, mdns: init.mdns ?? true },
      { ...shared, membership: this.#membership, peerCache: components.peerCache },
    )
    this.#identityService = new IdentityService(
      { heartbeatIntervalMs: init.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS },
      { ...this.#parts(), pubsub: this.#pubsub, discovery: this.discovery },
    )
    this.#direct = new DirectMessaging({
      ...this.#parts(),
      resolve: (agentId) => this.#route(agentId),
      evaluateTrust: (agentId, machineId) => this.evaluateTrust(agentId, machineId),
      publishBus: (bytes) => this.#pubsub.publish(DIRECT_MESSAGE_BUS_TOPIC, bytes),
    })
  }

  #parts() {
    return {
      identity: this.identity,
      transport: this.transport,
      backend: this.#backend,
      clock: this.#clock,
      log: this.#log,
    }
  }

  readonly neighbours = (): readonly MachineId[] =>
    this.#membership.getNeighbors().map((peer) => peer.id)

  async start(): Promise<void> {
    if (this.status !== 'created') throw new AgentStoppedError('an agent starts once')
    this.status = 'running'
    if (this.transport.listenAddresses.length === 0) await this.transport.start()
    this.transport.addEventListener('peer:connect', this.#onConnect)
    this.transport.addEventListener('peer:disconnect', this.#onDisconnect)
    this.#membership.addEventListener('neighbor:up', this.#onNeighbourUp)
    this.#membership.start()
    this.#pubsub.start()
    this.#direct.start()
    this.#direct.addEventListener('direct:message', (event) => {
      this.safeDispatchEvent('direct:message', event.detail)
    })
    this.#identityService.addEventListener('agent:discovered', (event) => {
      const { agentId, machineId } = event.detail
      // A signed announcement proves the agent runs on that machine: a contact's machine list
      // and last-seen time follow it (which turns `accept_with_flag` into `accept`).
      if (this.contacts.get(agentId) !== undefined) {
        this.contacts.recordMachineSeen(agentId, machineId)
      }
      this.safeDispatchEvent('agent:discovered', event.detail)
    })
    await this.#identityService.start()
    const bus = await this.#pubsub.subscribe(DIRECT_MESSAGE_BUS_TOPIC)
    void (async () => {
      for await (const message of bus) this.#direct.receiveBus(message.origin, message.payload)
    })()
    await this.networkJoin.start()
    this.startedAt = this.#clock.now()
  }

  async stop(): Promise<void> {
    if (this.status === 'stopped') return
    this.status = 'stopped'
    this.transport.removeEventListener('peer:connect', this.#onConnect)
    this.transport.removeEventListener('peer:disconnect', this.#onDisconnect)
    this.#membership.removeEventListener('neighbor:up', this.#onNeighbourUp)
    this.#identityService.stop()
    this.#direct.stop()
    await this.networkJoin.stop()
    await this.#pubsub.stop()
    await this.#membership.stop()
    await this.transport.stop()
  }

  async subscribe(topic: string, options: AgentSubscribeOptions = {}): Promise<AgentSubscription> {
    this.#assertRunning()
    const inner = await this.#pubsub.subscribe(topic, options)
    return new FilteredSubscription(inner, (agentId) => this.trustLevelOf(agentId))
  }

  async publish(topic: string, payload: Uint8Array): Promise<void> {
    this.#assertRunning()
    await this.#pubsub.publish(topic, payload)
  }

  async sendDirect(
    agentId: AgentId,
    payload: Uint8Array,
    options: { signal?: AbortSignal; ackTimeoutMs?: number } = {},
  ): Promise<DirectSendResult> {
    this.#assertRunning()
    if (agentId !== this.agentId && this.trustLevelOf(agentId) === 'blocked') {
      throw new AgentBlockedError()
    }
    return this.#direct.send(agentId, payload, {
      signal: options.signal,
      ackTimeoutMs:
        options.ackTimeoutMs ?? this.#init.directAckTimeoutMs ?? DEFAULT_DIRECT_ACK_TIMEOUT_MS,
      dialTimeoutMs: this.#init.directDialTimeoutMs ?? 5_000,
    })
  }

  announce(options: { includeUserIdentity?: boolean; humanConsent?: boolean } = {}) {
    this.#assertRunning()
    return this.#identityService.announce(options)
  }

  find(agentId: AgentId, options: { timeoutMs?: number; signal?: AbortSignal } = {}) {
    this.#assertRunning()
    return this.#identityService.find(agentId, {
      timeoutMs: options.timeoutMs ?? DEFAULT_FIND_TIMEOUT_MS,
      signal: options.signal,
    })
  }

  async connectAgent(agentId: AgentId, options: { signal?: AbortSignal } = {}) {
    const record = await this.find(agentId, options)
    if (record === undefined) return { outcome: 'NotFound', address: null } as const
    return this.#connect(record.machineId, record.addresses, options.signal)
  }

  async connectMachine(machineId: MachineId, options: { signal?: AbortSignal } = {}) {
    this.#assertRunning()
    const machine = this.discovery.getMachine(machineId)
    if (machine === undefined && this.transport.getConnection(machineId) === undefined) {
      return { outcome: 'NotFound', address: null } as const
    }
    return this.#connect(machineId, machine?.addresses ?? [], options.signal)
  }

  async #connect(
    machineId: MachineId,
    addresses: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<ConnectResult> {
    const existing = this.transport.getConnection(machineId)
    if (existing !== undefined) {
      return { outcome: 'AlreadyConnected', address: formatPeerAddress(existing.remoteAddress) }
    }
    try {
      const connection = await this.transport.dial(
        { machineId, addresses: addresses.map((text) => parsePeerAddress(text)) },
        { signal: AbortSignal.any([AbortSignal.timeout(60_000), ...(signal ? [signal] : [])]) },
      )
      return { outcome: 'Direct', address: formatPeerAddress(connection.remoteAddress) }
    } catch (error) {
      signal?.throwIfAborted()
      this.#log('connect to %s failed: %s', machineId, String(error))
      return { outcome: 'Unreachable', address: null }
    }
  }

  connections(): readonly Connection[] {
    return this.transport.getConnections()
  }

  directConnections(): { agentId: AgentId; machineId: MachineId }[] {
    const result: { agentId: AgentId; machineId: MachineId }[] = []
    for (const record of this.discovery.listAgents()) {
      if (this.transport.getConnection(record.machineId) !== undefined) {
        result.push({ agentId: record.agentId, machineId: record.machineId })
      }
    }
    return result
  }

  evaluateTrust(agentId: AgentId, machineId: MachineId | null): TrustDecision {
    if (agentId === this.agentId) return 'accept'
    if (machineId === null) {
      const level = this.trustLevelOf(agentId)
      if (level === 'blocked') return 'reject_blocked'
      return level === null || level === 'unknown' ? 'unknown' : 'accept_with_flag'
    }
    return this.contacts.evaluateTrust(agentId, machineId)
  }

  trustLevelOf(agentId: AgentId): TrustLevel | null {
    return this.contacts.trustLevelOf(agentId)
  }

  gossipStats(): PubsubStats {
    return this.#pubsub.stats()
  }

  directStats(): DirectMessagingStats {
    return { ...this.#direct.stats }
  }

  #route(agentId: AgentId): DirectRoute | undefined {
    const record = this.discovery.getAgent(agentId, { includeExpired: true })
    if (record === undefined) return undefined
    const addresses = []
    for (const text of record.addresses) {
      try {
        addresses.push(parsePeerAddress(text))
      } catch {
        // An unparsable hint from a peer is skipped; the others may work.
      }
    }
    return { machineId: record.machineId, addresses, kemPublicKey: record.kemPublicKey }
  }

  #assertRunning(): void {
    if (this.status !== 'running') throw new AgentStoppedError(`agent is ${this.status}`)
  }

  readonly #onConnect = (event: CustomEvent<TransportEvents['peer:connect']>): void => {
    this.safeDispatchEvent('peer:connect', {
      machineId: event.detail.remoteMachineId,
      at: this.#clock.now(),
    })
  }

  readonly #onDisconnect = (event: CustomEvent<TransportEvents['peer:disconnect']>): void => {
    this.safeDispatchEvent('peer:disconnect', {
      machineId: event.detail.connection.remoteMachineId,
      at: this.#clock.now(),
      reason: event.detail.reason,
    })
  }

  readonly #onNeighbourUp = (): void => {
    this.#identityService.announceSoon()
  }
}
