import {
  InvalidArgumentError,
  InvalidStateError,
  TimeoutError,
  createRandom,
  raceSignal,
  silentLogger,
  throwIfAborted,
  toHex,
  type Clock,
  type ComponentLogger,
  type Logger,
  type Random,
  type Seed,
} from '@x0x/base'
import { machineIdFromPublicKey, type MachineId } from '@x0x/pqc'
import { DEFAULT_FLUSH_MAX_STEPS, MEMORY_LISTEN_PORT } from '../constants.js'
import { resolveTransportLimits, type TransportLimitsInit } from '../transport-limits.js'
import type { PeerAddress } from '../transport.js'
import type { ConnectionPair } from './connection-pair.js'
import { DeliveryScheduler } from './delivery-scheduler.js'
import { DEFAULT_LINK_PROFILE, resolveLinkProfile, type LinkProfile } from './link-profile.js'
import type { Link } from './link.js'
import {
  MemoryTransportImpl,
  type MemoryTransport,
  type NetworkMembership,
} from './memory-transport.js'
import { addressKey, type NetworkEnvironment } from './network-environment.js'
import { Reachability } from './reachability.js'

/** Options of `createMemoryNetwork`. */
export interface MemoryNetworkInit {
  /** Seeds every random choice (jitter, loss, generated machine ids). Default: 0. */
  seed?: Seed
  /** The profile of every link not set with `setLink`. Default: `DEFAULT_LINK_PROFILE`. */
  link?: Partial<LinkProfile>
  /** Limits of every transport unless its own init overrides them. Default: the transport defaults. */
  transport?: TransportLimitsInit
}

/** What a memory network needs injected. */
export interface MemoryNetworkComponents {
  /**
   * Drives every delay and timeout. Required, so that choosing real time is a decision: a
   * `VirtualClock` for simulations, `systemClock` for running against real-time code.
   */
  clock: Clock
  /** Default: `silentLogger`. */
  logger?: ComponentLogger
}

/** Options of `MemoryNetwork.createTransport`. */
export interface MemoryTransportInit extends TransportLimitsInit {
  /**
   * The identity, asserted by the network (no key needed). Default: derived from `publicKey`, or
   * a fresh id drawn from the network's seed.
   */
  machineId?: MachineId
  /** An ML-DSA-65 public key to present as `remotePublicKey`; must match `machineId` if both are given. */
  publicKey?: Uint8Array
  /** Where it listens. Default: the next free `10.x.y.z:5483`. */
  address?: PeerAddress
}

/** Options of `setLink` and `clearLink`. */
export interface LinkOptions {
  /** `both` sets `from → to` and `to → from`; `one-way` only `from → to`. Default: `both`. */
  direction?: 'both' | 'one-way'
}

/** A partition or isolation in force. */
export interface NetworkPartition {
  /** Lifts this partition alone; idempotent. */
  heal(): void
}

/** Options of `flush`. */
export interface FlushOptions {
  /** Timer firings driven at most (virtual clock) before failing. Default: `DEFAULT_FLUSH_MAX_STEPS`. */
  maxSteps?: number
  /** Aborting stops waiting. Default: none. */
  signal?: AbortSignal | undefined
}

/**
 * An in-process network of `MemoryTransport`s: seeded, driven by the injected clock, with
 * per-link latency, jitter, loss and bandwidth, partitions, isolation and crashes.
 */
export interface MemoryNetwork {
  readonly clock: Clock
  /** Messages in transit or held, dials and handshakes in progress, connections dying. */
  readonly inFlight: number
  /** Creates a transport on this network (not started). */
  createTransport(init?: MemoryTransportInit): MemoryTransport
  /** The live (not stopped or crashed) transport with `machineId`. */
  getTransport(machineId: MachineId): MemoryTransport | undefined
  /** Sets the profile of the link between two machines (merged over the default). */
  setLink(
    from: MachineId,
    to: MachineId,
    profile: Partial<LinkProfile>,
    options?: LinkOptions,
  ): void
  /** Returns the link between two machines to the default profile. */
  clearLink(from: MachineId, to: MachineId, options?: LinkOptions): void
  /**
   * Nothing crosses between the groups: messages are held (and delivered after a heal, as QUIC
   * retransmits them), connections across die after their `idleTimeoutMs`, dials time out.
   */
  partition(groupA: Iterable<MachineId>, groupB: Iterable<MachineId>): NetworkPartition
  /** Cuts one machine off from everyone, as a partition. */
  isolate(machineId: MachineId): NetworkPartition
  /** Lifts every partition and isolation. */
  heal(): void
  /**
   * The process of `machineId` dies: its transport stops without a word or an event, and each
   * peer sees its connection die only after its own `idleTimeoutMs`.
   */
  crash(machineId: MachineId): void
  /**
   * Resolves once nothing is in flight. On a `VirtualClock` it fires timers in order (letting
   * promise chains settle between firings) until then; on real time it waits.
   *
   * @throws TimeoutError after `maxSteps` firings, AbortError
   */
  flush(options?: FlushOptions): Promise<void>
  /** Stops every live transport gracefully. */
  stop(): Promise<void>
}

interface DrivableClock extends Clock {
  runNext(): boolean
}

function drivable(clock: Clock): DrivableClock | undefined {
  return typeof (clock as Partial<DrivableClock>).runNext === 'function'
    ? (clock as DrivableClock)
    : undefined
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

class MemoryNetworkImpl implements MemoryNetwork, NetworkEnvironment, NetworkMembership {
  readonly clock: Clock
  readonly random: Random
  readonly scheduler: DeliveryScheduler
  readonly log: Logger
  profileVersion = 0
  readonly #identities: Random
  readonly #transportDefaults: TransportLimitsInit
  readonly #reachability = new Reachability()
  #defaultProfile: LinkProfile
  // Keyed by test configuration (machine pairs a test chose), never by a remote party.
  readonly #profiles = new Map<string, LinkProfile>()
  readonly #transports = new Map<MachineId, MemoryTransportImpl>()
  readonly #byAddress = new Map<string, MemoryTransportImpl>()
  readonly #pairs = new Set<ConnectionPair>()
  readonly #brokenPairs = new Set<ConnectionPair>()
  readonly #holding = new Set<Link>()
  #held = 0
  #work = 0
  #sequence = 0
  #connections = 0
  #addresses = 0
  #idleWaiters: (() => void)[] = []

  constructor(init: MemoryNetworkInit, components: MemoryNetworkComponents) {
    this.clock = components.clock
    this.log = (components.logger ?? silentLogger).forComponent('x0x:transport:memory')
    const random = createRandom(init.seed ?? 0)
    this.random = random.derive('links')
    this.#identities = random.derive('machine-ids')
    this.#defaultProfile = resolveLinkProfile(DEFAULT_LINK_PROFILE, init.link)
    this.#transportDefaults = init.transport ?? {}
    this.scheduler = new DeliveryScheduler(this.clock, () => {
      this.#checkIdle()
    })
  }

  get inFlight(): number {
    return this.scheduler.size + this.#held + this.#work
  }

  get reachabilityVersion(): number {
    return this.#reachability.version
  }

  createTransport(init: MemoryTransportInit = {}): MemoryTransport {
    const machineId = this.#machineIdOf(init)
    if (this.#transports.has(machineId)) {
      throw new InvalidArgumentError(`a live transport already has machine id ${machineId}`)
    }
    const address = init.address ?? this.#nextAddress()
    if (this.#byAddress.has(addressKey(address))) {
      throw new InvalidArgumentError(`address ${address.host}:${address.port} is taken`)
    }
    const transport = new MemoryTransportImpl({
      machineId,
      publicKey: init.publicKey,
      address,
      limits: resolveTransportLimits({ ...this.#transportDefaults, ...init }),
      environment: this,
      membership: this,
      log: this.log,
    })
    this.#transports.set(machineId, transport)
    this.#byAddress.set(addressKey(address), transport)
    return transport
  }

  getTransport(machineId: MachineId): MemoryTransport | undefined {
    return this.#transports.get(machineId)
  }

  setLink(
    from: MachineId,
    to: MachineId,
    profile: Partial<LinkProfile>,
    options: LinkOptions = {},
  ): void {
    for (const key of this.#linkKeys(from, to, options)) {
      this.#profiles.set(key, resolveLinkProfile(this.#defaultProfile, profile))
    }
    this.profileVersion++
  }

  clearLink(from: MachineId, to: MachineId, options: LinkOptions = {}): void {
    for (const key of this.#linkKeys(from, to, options)) this.#profiles.delete(key)
    this.profileVersion++
  }

  partition(groupA: Iterable<MachineId>, groupB: Iterable<MachineId>): NetworkPartition {
    return this.#cut(this.#reachability.partition(groupA, groupB))
  }

  isolate(machineId: MachineId): NetworkPartition {
    return this.#cut(this.#reachability.isolate(machineId))
  }

  heal(): void {
    this.#reachability.healAll()
    this.#restore()
  }

  crash(machineId: MachineId): void {
    const transport = this.#transports.get(machineId)
    if (transport === undefined) throw new InvalidArgumentError(`no live transport ${machineId}`)
    const pairs = [...transport.halves].map((half) => half.pair)
    transport.crash()
    for (const pair of pairs) if (this.#pairs.has(pair)) this.#break(pair)
  }

  async flush(options: FlushOptions = {}): Promise<void> {
    const maxSteps = options.maxSteps ?? DEFAULT_FLUSH_MAX_STEPS
    const virtual = drivable(this.clock)
    for (let step = 0; ; step++) {
      await nextTurn()
      throwIfAborted(options.signal)
      if (this.inFlight === 0) return
      if (step >= maxSteps) {
        throw new TimeoutError(`${this.inFlight} still in flight after ${maxSteps} steps`)
      }
      if (virtual === undefined) await raceSignal(this.#whenIdle(), options.signal)
      else if (!virtual.runNext()) {
        throw new InvalidStateError(`${this.inFlight} in flight but no timer pending`)
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#transports.values()].map((transport) => transport.stop()))
  }

  // NetworkEnvironment and NetworkMembership, for the transports, connections and links.

  nextSequence(): number {
    return this.#sequence++
  }

  nextConnectionId(): string {
    return `memory-${++this.#connections}`
  }

  profileOf(from: MachineId, to: MachineId): LinkProfile {
    return this.#profiles.get(`${from}>${to}`) ?? this.#defaultProfile
  }

  isReachable(from: MachineId, to: MachineId): boolean {
    return this.#reachability.isReachable(from, to)
  }

  onHeld(link: Link, count: number): void {
    this.#held += count
    if (link.heldCount > 0) this.#holding.add(link)
    else this.#holding.delete(link)
    if (count < 0) this.#checkIdle()
  }

  listenerAt(address: PeerAddress): MemoryTransportImpl | undefined {
    const transport = this.#byAddress.get(addressKey(address))
    return transport?.listening === true ? transport : undefined
  }

  addPair(pair: ConnectionPair): void {
    this.#pairs.add(pair)
  }

  removePair(pair: ConnectionPair): void {
    this.#pairs.delete(pair)
    this.#brokenPairs.delete(pair)
  }

  beginWork(): void {
    this.#work++
  }

  endWork(): void {
    this.#work--
    this.#checkIdle()
  }

  listen(): void {
    // A process answering again at an address lets survivors of a crash there learn at once.
    this.#restore()
  }

  leave(transport: MemoryTransportImpl): void {
    if (this.#transports.get(transport.machineId) === transport) {
      this.#transports.delete(transport.machineId)
    }
    const key = addressKey(transport.address)
    if (this.#byAddress.get(key) === transport) this.#byAddress.delete(key)
  }

  #machineIdOf(init: MemoryTransportInit): MachineId {
    const derived =
      init.publicKey === undefined ? undefined : machineIdFromPublicKey(init.publicKey)
    if (init.machineId !== undefined && derived !== undefined && init.machineId !== derived) {
      throw new InvalidArgumentError('machineId does not match publicKey')
    }
    return init.machineId ?? derived ?? (toHex(this.#identities.bytes(32)) as MachineId)
  }

  #nextAddress(): PeerAddress {
    for (;;) {
      const index = ++this.#addresses
      const host = `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`
      const address = { host, port: MEMORY_LISTEN_PORT }
      if (!this.#byAddress.has(addressKey(address))) return address
    }
  }

  #linkKeys(from: MachineId, to: MachineId, options: LinkOptions): string[] {
    const both = (options.direction ?? 'both') === 'both'
    return both ? [`${from}>${to}`, `${to}>${from}`] : [`${from}>${to}`]
  }

  #cut(lift: () => void): NetworkPartition {
    for (const pair of this.#pairs) if (!pair.broken && !pair.reachable) this.#break(pair)
    return {
      heal: () => {
        lift()
        this.#restore()
      },
    }
  }

  /** The path of `pair` is cut: its open ends start counting down to their idle timeouts. */
  #break(pair: ConnectionPair): void {
    pair.broken = true
    this.#brokenPairs.add(pair)
    pair.dialer?.armDeathTimer()
    pair.acceptor?.armDeathTimer()
  }

  /** Reachable again: connections with both ends alive live on, then held messages go. */
  #restore(): void {
    for (const pair of [...this.#brokenPairs]) {
      if (!pair.reachable) continue
      const { dialer, acceptor } = pair
      const gone = [dialer, acceptor].find((half) => half?.state === 'closed')
      if (gone === undefined) {
        pair.broken = false
        this.#brokenPairs.delete(pair)
        dialer?.disarmDeathTimer()
        acceptor?.disarmDeathTimer()
      } else if (this.listenerAt(gone.owner.address) !== undefined) {
        // One end is gone but a process answers at its address: the survivor's next packet
        // draws a stateless reset. Otherwise (a crash) the survivor's idle timeout runs on.
        this.#brokenPairs.delete(pair)
        gone.sendStatelessReset()
      }
    }
    for (const link of [...this.#holding]) link.release()
  }

  #whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idleWaiters.push(resolve))
  }

  #checkIdle(): void {
    if (this.inFlight !== 0 || this.#idleWaiters.length === 0) return
    const waiters = this.#idleWaiters
    this.#idleWaiters = []
    for (const waiter of waiters) waiter()
  }
}

/**
 * Creates an in-process network on which `MemoryTransport`s connect to each other.
 *
 * @example
 * ```ts
 * const network = createMemoryNetwork({ seed: 7 }, { clock: new VirtualClock() })
 * const alice = network.createTransport()
 * ```
 */
export function createMemoryNetwork(
  init: MemoryNetworkInit = {},
  components: MemoryNetworkComponents,
): MemoryNetwork {
  return new MemoryNetworkImpl(init, components)
}
