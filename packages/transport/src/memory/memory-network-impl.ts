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
  type Logger,
  type Random,
} from '@x0x/base'
import { machineIdFromPublicKey, type MachineId } from '@x0x/pqc'
import { DEFAULT_FLUSH_MAX_STEPS, MEMORY_LISTEN_PORT } from '../constants.js'
import { resolveTransportLimits, type TransportLimitsInit } from '../transport-limits.js'
import type { PeerAddress } from '../transport.js'
import type { ConnectionPair } from './connection-pair.js'
import { ConnectionPaths } from './connection-paths.js'
import { DeliveryScheduler } from './delivery-scheduler.js'
import { DEFAULT_LINK_PROFILE, resolveLinkProfile, type LinkProfile } from './link-profile.js'
import type { Link } from './link.js'
import type {
  FlushOptions,
  LinkOptions,
  MemoryNetwork,
  MemoryNetworkComponents,
  MemoryNetworkInit,
  MemoryTransportInit,
  NetworkPartition,
} from './memory-network.js'
import {
  MemoryTransportImpl,
  type MemoryTransport,
  type NetworkMembership,
} from './memory-transport.js'
import { addressKey, type NetworkEnvironment } from './network-environment.js'
import { Reachability } from './reachability.js'

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

/** The memory network. Private: users hold it as a `MemoryNetwork`. */
export class MemoryNetworkImpl implements MemoryNetwork, NetworkEnvironment, NetworkMembership {
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
  readonly #profiles = new Map<MachineId, Map<MachineId, LinkProfile>>()
  readonly #transports = new Map<MachineId, MemoryTransportImpl>()
  readonly #byAddress = new Map<string, MemoryTransportImpl>()
  readonly #paths = new ConnectionPaths((address) => this.listenerAt(address) !== undefined)
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
    return this.scheduler.size + this.#paths.held + this.#work
  }

  get reachabilityVersion(): number {
    return this.#reachability.version
  }

  createTransport(init: MemoryTransportInit = {}): MemoryTransport {
    const machineId = this.#machineIdOf(init)
    if (this.#transports.has(machineId)) {
      throw new InvalidArgumentError(`a live transport already has machine id ${machineId}`)
    }
    const { host, port } = init.address ?? this.#nextAddress()
    const address: PeerAddress = Object.freeze({ host, port })
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
    const resolved = resolveLinkProfile(this.#defaultProfile, profile)
    for (const [source, destination] of this.#directions(from, to, options)) {
      let bySource = this.#profiles.get(source)
      if (bySource === undefined)
        this.#profiles.set(source, (bySource = new Map<MachineId, LinkProfile>()))
      bySource.set(destination, resolved)
    }
    this.profileVersion++
  }

  clearLink(from: MachineId, to: MachineId, options: LinkOptions = {}): void {
    for (const [source, destination] of this.#directions(from, to, options)) {
      const bySource = this.#profiles.get(source)
      bySource?.delete(destination)
      if (bySource?.size === 0) this.#profiles.delete(source)
    }
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
    this.#paths.restore()
  }

  crash(machineId: MachineId): void {
    const transport = this.#transports.get(machineId)
    if (transport === undefined) throw new InvalidArgumentError(`no live transport ${machineId}`)
    const pairs = [...transport.halves].map((half) => half.pair)
    transport.crash()
    for (const pair of pairs) if (this.#paths.has(pair)) this.#paths.cut(pair)
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
    return this.#profiles.get(from)?.get(to) ?? this.#defaultProfile
  }

  isReachable(from: MachineId, to: MachineId): boolean {
    return this.#reachability.isReachable(from, to)
  }

  onHeld(link: Link, count: number): void {
    this.#paths.onHeld(link, count)
    if (count < 0) this.#checkIdle()
  }

  listenerAt(address: PeerAddress): MemoryTransportImpl | undefined {
    const transport = this.#byAddress.get(addressKey(address))
    return transport?.listening === true ? transport : undefined
  }

  addPair(pair: ConnectionPair): void {
    this.#paths.add(pair)
  }

  removePair(pair: ConnectionPair): void {
    this.#paths.remove(pair)
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
    this.#paths.restore()
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

  #directions(from: MachineId, to: MachineId, options: LinkOptions): [MachineId, MachineId][] {
    const both = (options.direction ?? 'both') === 'both'
    return both
      ? [
          [from, to],
          [to, from],
        ]
      : [[from, to]]
  }

  #cut(lift: () => void): NetworkPartition {
    this.#paths.cutUnreachable()
    return {
      heal: () => {
        lift()
        this.#paths.restore()
      },
    }
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
