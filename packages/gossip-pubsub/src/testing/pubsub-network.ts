// Full pub/sub services over real membership services over `MemoryTransport`, on one
// `VirtualClock`: the whole stack (codecs, streams, dials, HyParView, SWIM, Plumtree) at small N,
// for tests of the service's guarantees.
import { createRandom, type Seed } from '@x0x/base'
import {
  createMembershipNetwork,
  type MembershipNetwork,
  type MembershipNetworkNode,
} from '@x0x/gossip-membership/testing'
import type { PqcBackend } from '@x0x/pqc'
import type { LinkProfile } from '@x0x/transport'
import { createPubsub, type Pubsub, type PubsubInit } from '../service/pubsub-service.js'

/** Options of `createPubsubNetwork`. */
export interface PubsubNetworkInit {
  /** Nodes. Required. */
  readonly size: number
  readonly backend: PqcBackend
  /** Seeds the network, membership and agent keys. Default 1. */
  readonly seed?: Seed
  /** Profile of every link. Default: 10 ms one way, 5 ms jitter. */
  readonly link?: Partial<LinkProfile>
  /** Options of every pub/sub service. */
  readonly pubsub?: PubsubInit
  /** Virtual time between two joins, ms. Default 50. */
  readonly joinInterval?: number
  /** Virtual time the overlay settles after the last join, ms. Default 5,000. */
  readonly settle?: number
}

/** One node: membership, transport and its pub/sub service (every node can publish). */
export interface PubsubNetworkNode extends MembershipNetworkNode {
  readonly index: number
  readonly pubsub: Pubsub
}

export interface PubsubNetwork {
  readonly membership: MembershipNetwork
  readonly nodes: readonly PubsubNetworkNode[]
  /** Advances virtual time by `ms`, letting promise chains settle between timers. */
  run(ms: number): Promise<void>
  /** Crashes a node: transport dies silently; its services stop. */
  crash(node: PubsubNetworkNode): Promise<void>
  stop(): Promise<void>
}

/** Builds, joins and settles the network. Pub/sub starts before each join, so no stream is missed. */
export async function createPubsubNetwork(init: PubsubNetworkInit): Promise<PubsubNetwork> {
  const seed = init.seed ?? 1
  const membership = createMembershipNetwork({
    seed,
    link: init.link ?? { latencyMs: 10, jitterMs: 5 },
  })
  const keys = createRandom(seed).derive('agent-keys')
  const nodes: PubsubNetworkNode[] = []
  for (let index = 0; index < init.size; index++) {
    const earlier = nodes.filter((node) => node.alive)
    const base = await membership.addNode()
    const pubsub = createPubsub(init.pubsub ?? {}, {
      transport: base.transport,
      membership: base.membership,
      backend: init.backend,
      agentKey: init.backend.mlDsa65KeyPairFromSeed(keys.derive(`agent-${index}`).bytes(32)),
      clock: membership.clock,
    })
    pubsub.start()
    const node = Object.assign(base, { index, pubsub })
    nodes.push(node)
    const contact = earlier[keys.int(Math.max(1, earlier.length))]
    if (contact !== undefined) node.membership.join([contact.descriptor])
    await membership.run(init.joinInterval ?? 50)
  }
  await membership.run(init.settle ?? 5_000)
  return {
    membership,
    nodes,
    run: (ms) => membership.run(ms),
    async crash(node) {
      membership.crash(node)
      await node.pubsub.stop()
    },
    async stop() {
      await Promise.all(nodes.filter((node) => node.alive).map((node) => node.pubsub.stop()))
      await membership.stop()
    },
  }
}
