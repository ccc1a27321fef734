import { VirtualClock, type ComponentLogger, type Seed } from '@x0x/base'
import {
  createMemoryNetwork,
  type LinkProfile,
  type MemoryNetwork,
  type MemoryTransport,
} from '@x0x/transport'
import {
  createMembership,
  type Membership,
  type MembershipServiceInit,
} from '../membership-service.js'
import type { PeerDescriptor } from '../peer.js'
import { computeOverlayMetrics, type OverlayMetrics } from './overlay-metrics.js'

/** Options of `createMembershipNetwork`. */
export interface MembershipNetworkInit {
  /** Seeds the memory network and every node's protocol. Default: 1. */
  seed?: Seed
  /** Profile of every link. Default: 10 ms one way, 5 ms jitter. */
  link?: Partial<LinkProfile>
  /** Options of every membership service. Default: the protocol defaults. */
  membership?: MembershipServiceInit
  /** Logger of every service and the network. Default: `silentLogger`. */
  logger?: ComponentLogger
}

/** One node of a `MembershipNetwork`. */
export interface MembershipNetworkNode {
  readonly transport: MemoryTransport
  readonly membership: Membership
  readonly descriptor: PeerDescriptor
  alive: boolean
}

/**
 * Full membership services over `MemoryTransport` on one `VirtualClock`: the whole stack
 * (codec, streams, dials, connection loss) at small N. Drive it with `run`, which advances virtual
 * time and lets promise chains settle between timer firings.
 */
export interface MembershipNetwork {
  readonly clock: VirtualClock
  readonly network: MemoryNetwork
  readonly nodes: MembershipNetworkNode[]
  /** Creates, starts and returns a node (its membership has not joined yet). */
  addNode(): Promise<MembershipNetworkNode>
  /** Adds `count` nodes, each joining through a random earlier one, `intervalMs` apart. */
  addNodes(count: number, intervalMs: number): Promise<MembershipNetworkNode[]>
  /** Crashes a node's process: its transport dies without a word. */
  crash(node: MembershipNetworkNode): void
  /** Advances virtual time by `ms`. */
  run(ms: number): Promise<void>
  /** Overlay metrics over the live nodes. */
  metrics(): OverlayMetrics
  /** Stops every live membership and transport. */
  stop(): Promise<void>
}

class MembershipNetworkImpl implements MembershipNetwork {
  readonly clock = new VirtualClock()
  readonly network: MemoryNetwork
  readonly nodes: MembershipNetworkNode[] = []
  readonly #init: MembershipNetworkInit
  readonly #seed: Seed

  constructor(init: MembershipNetworkInit) {
    this.#init = init
    this.#seed = init.seed ?? 1
    this.network = createMemoryNetwork(
      { seed: this.#seed, link: init.link ?? { latencyMs: 10, jitterMs: 5 } },
      { clock: this.clock, ...(init.logger === undefined ? {} : { logger: init.logger }) },
    )
  }

  async addNode(): Promise<MembershipNetworkNode> {
    const transport = this.network.createTransport()
    await transport.start()
    const seed = `${String(this.#seed)}/${this.nodes.length}`
    const membership = createMembership(
      { ...this.#init.membership, seed: new TextEncoder().encode(seed) },
      {
        transport,
        clock: this.clock,
        ...(this.#init.logger === undefined ? {} : { logger: this.#init.logger }),
      },
    )
    membership.start()
    const node = {
      transport,
      membership,
      descriptor: { id: transport.machineId, addresses: transport.listenAddresses },
      alive: true,
    }
    this.nodes.push(node)
    return node
  }

  async addNodes(count: number, intervalMs: number): Promise<MembershipNetworkNode[]> {
    const added: MembershipNetworkNode[] = []
    for (let index = 0; index < count; index++) {
      const earlier = this.nodes.filter((node) => node.alive)
      const node = await this.addNode()
      const contact = earlier[(index * 7919) % Math.max(1, earlier.length)]
      if (contact !== undefined) node.membership.join([contact.descriptor])
      added.push(node)
      await this.run(intervalMs)
    }
    return added
  }

  crash(node: MembershipNetworkNode): void {
    node.alive = false
    this.network.crash(node.transport.machineId)
    void node.membership.stop()
  }

  async run(ms: number): Promise<void> {
    await this.clock.advanceAsync(ms)
  }

  metrics(): OverlayMetrics {
    return computeOverlayMetrics(
      this.nodes.map((node) => ({
        id: node.transport.machineId,
        alive: node.alive,
        active: node.membership.state.active.keys(),
        passiveSize: node.membership.state.passive.size,
      })),
    )
  }

  async stop(): Promise<void> {
    const live = this.nodes.filter((node) => node.alive)
    await Promise.all(live.map((node) => node.membership.stop()))
    this.clock.clearAll()
    await this.network.stop()
  }
}

/** A small network of full membership services over `MemoryTransport`; see `MembershipNetwork`. */
export function createMembershipNetwork(init: MembershipNetworkInit = {}): MembershipNetwork {
  return new MembershipNetworkImpl(init)
}
