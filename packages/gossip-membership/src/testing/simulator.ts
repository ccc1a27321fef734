import {
  VirtualClock,
  createRandom,
  toHex,
  type Random,
  type Seed,
  type TimerHandle,
} from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import { decodeMembershipMessage, encodeMembershipMessage } from '../codec.js'
import type { MembershipMessage } from '../messages.js'
import type { MembershipInit } from '../options.js'
import type { PeerDescriptor } from '../peer.js'
import {
  createMembershipState,
  type MembershipAction,
  type MembershipInput,
  type MembershipState,
} from '../state.js'
import { nextWakeup, stepMembership } from '../transition.js'
import { computeOverlayMetrics, type OverlayMetrics } from './overlay-metrics.js'

/** One-way delay of a message: uniform in [minMs, maxMs]. */
export interface LatencyModel {
  readonly minMs: number
  readonly maxMs: number
}

/**
 * What a lost packet does: `retransmit` delays the frame by a retransmission timeout per loss, as
 * a QUIC stream does; `drop` loses the frame for good, as a datagram would (the harsher case).
 */
export type LossMode = 'retransmit' | 'drop'

/** Options of `createSimulation`. */
export interface SimulationInit {
  /** Seeds node ids, protocol randomness, latency and loss. Default: 1. */
  seed?: Seed
  /** Protocol parameters of every node. Default: the protocol defaults. */
  membership?: MembershipInit
  /** Default: 10–50 ms. */
  latency?: LatencyModel
  /** Probability that a packet is lost, in [0, 1). Default: 0. */
  lossRate?: number
  /** Default: `retransmit`. */
  lossMode?: LossMode
  /** A message to an unreachable peer without a link reports a failed dial after this. Default: 1,000 ms. */
  dialFailureMs?: number
  /** Round-trips every message through the wire codec (slower; checks the codec in the loop). Default: false. */
  encodeMessages?: boolean
}

/** One simulated node running the real protocol core. */
export interface SimulatedNode {
  readonly index: number
  readonly id: MachineId
  readonly descriptor: PeerDescriptor
  readonly state: MembershipState
  alive: boolean
  /** Nodes in different groups cannot reach each other. */
  group: number
  timer: TimerHandle | undefined
  timerAt: number | undefined
}

/** Options of `Simulation.addNodes`. */
export interface AddNodesOptions {
  /** Virtual time between two joins. Default: 0 (all at once). */
  intervalMs?: number
  /** Default: `random-contact`. */
  pattern?: 'random-contact' | 'single-contact'
  /** Contacts each node is given with `random-contact`. Default: 3. */
  contacts?: number
}

/** Options of `runUntil`. */
export interface RunUntilOptions {
  /** Give up after this much virtual time. */
  readonly maxMs: number
  /** How often the condition is checked. Default: 1,000 ms (one probe period). */
  readonly stepMs?: number
}

const RETRANSMISSION_FLOOR_MS = 25

/**
 * A seeded overlay of N nodes running the real membership core (`stepMembership`) over a
 * lightweight message-passing network on a `VirtualClock`: per-link FIFO delivery with latency,
 * loss, partitions and crashes, but no connections or streams. It is what lets 10,000 nodes run
 * in minutes on two cores; `createMembershipNetwork` runs the full service over
 * `MemoryTransport` for small N.
 */
export class Simulation {
  readonly clock = new VirtualClock()
  readonly nodes: SimulatedNode[] = []
  readonly random: Random
  latency: LatencyModel
  lossRate: number
  lossMode: LossMode
  /** Messages sent since the start, by type. */
  readonly sent = new Map<MembershipMessage['type'], number>()
  readonly #seed: Random
  readonly #init: SimulationInit
  readonly #byId = new Map<string, SimulatedNode>()
  readonly #lastDelivery: Map<number, number>[] = []
  readonly #dialFailureMs: number
  #listeners: ((node: SimulatedNode, action: MembershipAction) => void)[] = []

  constructor(init: SimulationInit = {}) {
    this.#init = init
    this.#seed = createRandom(init.seed ?? 1)
    this.random = this.#seed.derive('network')
    this.latency = init.latency ?? { minMs: 10, maxMs: 50 }
    this.lossRate = init.lossRate ?? 0
    this.lossMode = init.lossMode ?? 'retransmit'
    this.#dialFailureMs = init.dialFailureMs ?? 1_000
  }

  /** Live nodes. */
  get aliveNodes(): SimulatedNode[] {
    return this.nodes.filter((node) => node.alive)
  }

  /** Observes every action a node emits (neighbor events, sends). */
  onAction(listener: (node: SimulatedNode, action: MembershipAction) => void): void {
    this.#listeners.push(listener)
  }

  /** Creates and starts a node that knows nobody. */
  addNode(): SimulatedNode {
    const index = this.nodes.length
    const random = this.#seed.derive(`node-${index}`)
    const id = toHex(random.bytes(32)) as MachineId
    const descriptor: PeerDescriptor = {
      id,
      addresses: [{ host: `10.${index >> 16}.${(index >> 8) & 255}.${index & 255}`, port: 5483 }],
    }
    const state = createMembershipState(descriptor, {
      ...this.#init.membership,
      seed: random.next(),
    })
    const node: SimulatedNode = {
      index,
      id,
      descriptor,
      state,
      alive: true,
      group: 0,
      timer: undefined,
      timerAt: undefined,
    }
    this.nodes.push(node)
    this.#lastDelivery.push(new Map())
    this.#byId.set(id, node)
    this.input(node, { type: 'start' })
    return node
  }

  /** Makes `node` join through `contacts`. */
  join(node: SimulatedNode, contacts: readonly SimulatedNode[]): void {
    this.input(node, { type: 'join', contacts: contacts.map((contact) => contact.descriptor) })
  }

  /**
   * Adds `count` nodes, one every `intervalMs`, each joining through `contacts` random live nodes
   * already in (`random-contact`, a bootstrap list) or through the first node (`single-contact`).
   */
  addNodes(count: number, options: AddNodesOptions = {}): SimulatedNode[] {
    const added: SimulatedNode[] = []
    const contactCount = options.contacts ?? 3
    // Kept up to date rather than filtered per node (O(n²) at 10,000 nodes): nodes die only by
    // `kill`, never while this loop runs the clock.
    const candidates = this.aliveNodes
    for (let index = 0; index < count; index++) {
      const node = this.addNode()
      if (candidates.length > 0) {
        const contacts =
          options.pattern === 'single-contact'
            ? candidates.slice(0, 1)
            : this.random.sample(candidates, Math.min(contactCount, candidates.length))
        this.join(node, contacts)
      }
      added.push(node)
      candidates.push(node)
      if (options.intervalMs !== undefined && options.intervalMs > 0) this.run(options.intervalMs)
    }
    return added
  }

  /** Crashes nodes: they stop at once, without a word. */
  kill(nodes: Iterable<SimulatedNode>): void {
    for (const node of nodes) {
      node.alive = false
      this.clock.clearTimeout(node.timer)
      node.timer = undefined
    }
  }

  /** Crashes a random `fraction` of the live nodes and returns them. */
  killFraction(fraction: number): SimulatedNode[] {
    const alive = this.aliveNodes
    const victims = this.random.sample(alive, Math.round(alive.length * fraction))
    this.kill(victims)
    return victims
  }

  /** Splits the nodes into groups that cannot reach each other (node → group number). */
  partition(groupOf: (node: SimulatedNode) => number): void {
    for (const node of this.nodes) node.group = groupOf(node)
  }

  /** Lifts every partition. */
  heal(): void {
    for (const node of this.nodes) node.group = 0
  }

  /** Advances virtual time by `ms`, delivering messages and firing timers. */
  run(ms: number): void {
    this.clock.advance(ms)
  }

  /** Runs until `condition` holds (checked every `stepMs`); the virtual time it took, or undefined. */
  runUntil(condition: () => boolean, options: RunUntilOptions): number | undefined {
    const start = this.clock.now()
    const stepMs = options.stepMs ?? 1_000
    while (!condition()) {
      if (this.clock.now() - start >= options.maxMs) return undefined
      this.run(stepMs)
    }
    return this.clock.now() - start
  }

  /** Overlay metrics over the live nodes. */
  metrics(): OverlayMetrics {
    return computeOverlayMetrics(
      this.nodes.map((node) => ({
        id: node.id,
        alive: node.alive,
        active: node.state.active.keys(),
        passiveSize: node.state.passive.size,
      })),
    )
  }

  /** The node with `id`. */
  node(id: string): SimulatedNode | undefined {
    return this.#byId.get(id)
  }

  /** Feeds one input to a live node's core and performs its actions. */
  input(node: SimulatedNode, input: MembershipInput): void {
    if (!node.alive) return
    const { actions } = stepMembership(node.state, input, this.clock.now())
    for (const action of actions) {
      if (action.type === 'send') this.#send(node, action.to, action.message)
      for (const listener of this.#listeners) listener(node, action)
    }
    this.#schedule(node)
  }

  #schedule(node: SimulatedNode): void {
    const wakeAt = nextWakeup(node.state)
    if (wakeAt === node.timerAt) return
    this.clock.clearTimeout(node.timer)
    node.timerAt = wakeAt
    node.timer = undefined
    if (wakeAt === undefined) return
    node.timer = this.clock.setTimeout(
      () => {
        node.timer = undefined
        node.timerAt = undefined
        this.input(node, { type: 'tick' })
      },
      Math.max(0, wakeAt - this.clock.now()),
    )
  }

  #reachable(from: SimulatedNode, to: SimulatedNode): boolean {
    return to.alive && to.group === from.group
  }

  #send(from: SimulatedNode, to: PeerDescriptor, message: MembershipMessage): void {
    this.sent.set(message.type, (this.sent.get(message.type) ?? 0) + 1)
    const target = this.#byId.get(to.id)
    if (target === undefined || !this.#reachable(from, target)) {
      // With no link to it, the sender would have dialled and failed; an existing link dies silently.
      const linked = from.state.active.has(to.id) || (target?.state.active.has(from.id) ?? false)
      if (!linked) {
        this.clock.setTimeout(() => {
          this.input(from, { type: 'send-failed', peer: to.id })
        }, this.#dialFailureMs)
      }
      return
    }
    const oneWay =
      this.latency.minMs + this.random.float() * (this.latency.maxMs - this.latency.minMs)
    let delay = oneWay
    while (this.lossRate > 0 && this.random.chance(this.lossRate)) {
      if (this.lossMode === 'drop') return
      delay += Math.max(RETRANSMISSION_FLOOR_MS, 3 * oneWay)
    }
    const links = this.#lastDelivery[from.index] as Map<number, number>
    const at = Math.max(this.clock.now() + delay, links.get(target.index) ?? 0)
    links.set(target.index, at)
    const payload =
      this.#init.encodeMessages === true
        ? decodeMembershipMessage(encodeMembershipMessage(message))
        : message
    this.clock.setTimeout(() => {
      if (this.#reachable(from, target))
        this.input(target, { type: 'receive', from: from.id, message: payload })
    }, at - this.clock.now())
  }
}

/** A seeded simulation; see `Simulation`. */
export function createSimulation(init: SimulationInit = {}): Simulation {
  return new Simulation(init)
}
