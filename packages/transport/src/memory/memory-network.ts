import type { Clock, ComponentLogger, Seed } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import type { TransportLimitsInit } from '../transport-limits.js'
import type { PeerAddress } from '../transport.js'
import type { LinkProfile } from './link-profile.js'
import { MemoryNetworkImpl } from './memory-network-impl.js'
import type { MemoryTransport } from './memory-transport.js'

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
