// An in-process broadcast simulation over pub/sub nodes on a static random overlay, driven by a
// `VirtualClock`: links have seeded random latency, frames are real encoded bytes, signatures are
// real ML-DSA-65. For tests of the core's behaviour (delivery, RMR, repair, forgery); the
// large B3/B4 runs use real membership on `MemoryTransport` instead.
import { VirtualClock, createRandom, type Random, type TimerHandle } from '@x0x/base'
import type { PqcBackend } from '@x0x/pqc'
import { decodeFrame, resolveFrameLimits } from '../pubsub-frame.js'
import {
  createPubsubNode,
  type Delivery,
  type PubsubNode,
  type PubsubNodeInit,
  type PubsubOutput,
} from '../pubsub-node.js'
import { messageIdOf, signedBodyOf, type MessageId } from '../signed-envelope.js'

/** Options of `createBroadcastSimulation`. */
export interface BroadcastSimulationInit {
  /** Nodes. Required. */
  readonly size: number
  /** Target average overlay degree (a ring plus random links). Default 8. */
  readonly degree?: number
  /** Drives the overlay, latencies and keys. Default 1. */
  readonly seed?: number
  /** Link latency range in ms. Default 10–50. */
  readonly latency?: { readonly min: number; readonly max: number }
  /** How many nodes (the first ones) get an agent key and may publish. Default 1. */
  readonly publishers?: number
  /** The topic of the simulation. Default 'sim'. */
  readonly topic?: string
  /** Which nodes subscribe to the topic at start (interest-scoped trees). Default: every node. */
  readonly subscribed?: (index: number) => boolean
  readonly nodeInit?: PubsubNodeInit
  readonly backend: PqcBackend
}

/** One simulated node and what reached it. */
export interface SimulatedNode {
  readonly index: number
  readonly peer: string
  readonly node: PubsubNode
  readonly neighbours: readonly string[]
  readonly deliveries: Delivery[]
  /** The most hops any delivered envelope had travelled (LDH). */
  lastDeliveryHops: number
  /** MESSAGE frames (payloads) this node received, repairs included. */
  messageFrames: number
}

/** Per-message dissemination figures. */
export interface MessageFigures {
  /** Nodes (other than the publisher) that delivered it. */
  readonly delivered: number
  /** MESSAGE frames of it received by any node, repairs included. */
  readonly received: number
  /** Relative message redundancy: received ÷ (n − 1) − 1 (0 for a perfect tree). */
  readonly rmr: number
}

export interface BroadcastSimulation {
  readonly clock: VirtualClock
  readonly nodes: readonly SimulatedNode[]
  readonly topic: string
  /** Publishes from node `index` (subscribed or not); returns the message ids. */
  publish(index: number, payloads: readonly Uint8Array[]): MessageId[]
  subscribe(index: number): void
  unsubscribe(index: number): void
  /** Advances virtual time by `ms`, delivering frames and firing node timers. */
  run(ms: number): void
  /** Drops every frame between `side` and the other nodes until `heal()`. */
  partition(side: ReadonlySet<number>): void
  heal(): void
  /** Delivers raw bytes to node `to` as if neighbour `from` sent them (forgery tests). */
  inject(from: number, to: number, frame: Uint8Array): void
  /** Lets a test see (and alter) every frame before it is delivered. Return undefined to drop. */
  intercept(
    filter: ((from: number, to: number, frame: Uint8Array) => Uint8Array | undefined) | undefined,
  ): void
  figures(id: MessageId): MessageFigures
}

export function createBroadcastSimulation(init: BroadcastSimulationInit): BroadcastSimulation {
  const random = createRandom(init.seed ?? 1)
  const clock = new VirtualClock()
  const topic = init.topic ?? 'sim'
  const latency = init.latency ?? { min: 10, max: 50 }
  const limits = resolveFrameLimits(init.nodeInit)
  const adjacency = randomOverlay(init.size, init.degree ?? 8, random.derive('overlay'))
  const links = random.derive('links')
  const indexOf = new Map<string, number>()
  const receivedById = new Map<MessageId, number>()
  const originOf = new Map<MessageId, number>()
  const wakeTimers = new Map<number, { at: number; handle: TimerHandle }>()
  let cut: ReadonlySet<number> | undefined
  let filter: ((from: number, to: number, frame: Uint8Array) => Uint8Array | undefined) | undefined

  const nodes: SimulatedNode[] = adjacency.map((neighbours, index) => {
    const seed = random.derive(`key-${index}`).bytes(32)
    const agentKey =
      index < (init.publishers ?? 1) ? init.backend.mlDsa65KeyPairFromSeed(seed) : undefined
    const components =
      agentKey === undefined ? { backend: init.backend } : { backend: init.backend, agentKey }
    const peer = `node-${index}`
    indexOf.set(peer, index)
    const node = createPubsubNode(components, init.nodeInit, clock.now())
    return {
      index,
      peer,
      node,
      neighbours: neighbours.map((other) => `node-${other}`),
      deliveries: [],
      lastDeliveryHops: 0,
      messageFrames: 0,
    }
  })

  const apply = (index: number, output: PubsubOutput, hops = 0): void => {
    const simulated = nodes[index]
    if (simulated === undefined) return
    simulated.deliveries.push(...output.deliveries)
    if (output.deliveries.length > 0)
      simulated.lastDeliveryHops = Math.max(simulated.lastDeliveryHops, hops)
    for (const { to, frame } of output.sends) {
      const target = indexOf.get(to)
      if (target !== undefined) send(index, target, frame)
    }
    schedule(index)
  }

  const send = (from: number, to: number, frame: Uint8Array): void => {
    const delay = latency.min + links.float() * (latency.max - latency.min)
    clock.setTimeout(() => {
      if (cut !== undefined && cut.has(from) !== cut.has(to)) return
      const delivered = filter === undefined ? frame : filter(from, to, frame)
      if (delivered !== undefined) receive(from, to, delivered)
    }, delay)
  }

  const receive = (from: number, to: number, frame: Uint8Array): void => {
    const target = nodes[to]
    if (target === undefined) return
    let hops = 0
    try {
      const decoded = decodeFrame(frame, limits)
      if (decoded.type === 'message') {
        target.messageFrames++
        hops = decoded.hops
        const id = messageIdOf(signedBodyOf(decoded.envelope))
        receivedById.set(id, (receivedById.get(id) ?? 0) + 1)
      }
    } catch {
      // Garbage is the node's to count; the simulation only observes.
    }
    apply(to, target.node.receive(`node-${from}`, frame, clock.now()), hops)
  }

  /** Keeps one timer per node at its `wakeAt()`. */
  const schedule = (index: number): void => {
    const simulated = nodes[index]
    if (simulated === undefined) return
    const at = simulated.node.wakeAt()
    const current = wakeTimers.get(index)
    if (current !== undefined && current.at <= at && current.at > clock.now()) return
    if (current !== undefined) clock.clearTimeout(current.handle)
    const handle = clock.setTimeout(
      () => {
        wakeTimers.delete(index)
        apply(index, simulated.node.tick(clock.now()))
      },
      Math.max(0, at - clock.now()),
    )
    wakeTimers.set(index, { at, handle })
  }

  const subscribed = init.subscribed ?? (() => true)
  for (const simulated of nodes) {
    if (subscribed(simulated.index))
      apply(simulated.index, simulated.node.subscribe(topic, clock.now()))
    for (const neighbour of simulated.neighbours)
      apply(simulated.index, simulated.node.neighbourUp(neighbour, clock.now()))
  }

  return {
    clock,
    nodes,
    topic,
    publish(index, payloads) {
      const simulated = nodes[index]
      if (simulated === undefined) throw new RangeError(`no node ${index}`)
      const output = simulated.node.publish(topic, payloads, clock.now())
      apply(index, output)
      // A publisher that is not subscribed delivers nothing: read the ids off its MESSAGE frames.
      const ids = output.deliveries.map((delivery) => delivery.id)
      for (const { frame } of output.sends) {
        const decoded = decodeFrame(frame, limits)
        if (decoded.type === 'message') ids.push(messageIdOf(signedBodyOf(decoded.envelope)))
      }
      for (const id of ids) originOf.set(id, index)
      return [...new Set(ids)]
    },
    subscribe(index) {
      const simulated = nodes[index]
      if (simulated !== undefined) apply(index, simulated.node.subscribe(topic, clock.now()))
    },
    unsubscribe(index) {
      const simulated = nodes[index]
      if (simulated !== undefined) apply(index, simulated.node.unsubscribe(topic, clock.now()))
    },
    run(ms) {
      clock.advance(ms)
    },
    partition(side) {
      cut = side
    },
    heal() {
      cut = undefined
    },
    inject(from, to, frame) {
      receive(from, to, frame)
    },
    intercept(next) {
      filter = next
    },
    figures(id) {
      const delivered = nodes.filter(
        (simulated) =>
          simulated.index !== originOf.get(id) &&
          simulated.deliveries.some((delivery) => delivery.id === id),
      ).length
      const received = receivedById.get(id) ?? 0
      const others = Math.max(1, nodes.length - 1)
      return { delivered, received, rmr: received / others - 1 }
    },
  }
}

/** A connected random overlay: a ring, then random links until the average degree is reached. */
export function randomOverlay(size: number, degree: number, random: Random): number[][] {
  const edges = Array.from({ length: size }, () => new Set<number>())
  const link = (left: number, right: number) => {
    if (left === right) return
    edges[left]?.add(right)
    edges[right]?.add(left)
  }
  for (let index = 0; index < size && size > 1; index++) link(index, (index + 1) % size)
  const target = Math.min(degree, size - 1)
  let attempts = size * degree * 4
  while (attempts-- > 0 && edges.reduce((sum, set) => sum + set.size, 0) < size * target) {
    link(random.int(size), random.int(size))
  }
  return edges.map((set) => [...set].sort((left, right) => left - right))
}
