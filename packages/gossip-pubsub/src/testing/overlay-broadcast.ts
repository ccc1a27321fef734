// Plumtree over real HyParView at scale (PERF.md B3/B4): the membership simulator
// (`createSimulation`: the real membership core over a lightweight seeded network, virtual time)
// drives one `PubsubNode` per simulated node through its `neighbor:up` / `neighbor:down` actions.
// Pub/sub frames are real encoded bytes with real ML-DSA-65 signatures, delivered after the
// simulator's link latency; frames to dead or partitioned nodes are lost.
import { InvalidStateError, createRandom, type TimerHandle } from '@x0x/base'
import {
  createSimulation,
  type Simulation,
  type SimulationInit,
} from '@x0x/gossip-membership/testing'
import type { PqcBackend } from '@x0x/pqc'
import {
  createPubsubNode,
  type PubsubNode,
  type PubsubNodeInit,
  type PubsubOutput,
} from '../pubsub-node.js'
import { decodeFrame, resolveFrameLimits } from '../pubsub-frame.js'
import { messageIdOf, signedBodyOf, type MessageId } from '../signed-envelope.js'

function decodeMessage(frame: Uint8Array): Uint8Array {
  const decoded = decodeFrame(frame, resolveFrameLimits())
  if (decoded.type !== 'message') throw new InvalidStateError('not a MESSAGE frame')
  return decoded.envelope
}

/** Options of `createOverlayBroadcast`. */
export interface OverlayBroadcastInit {
  readonly backend: PqcBackend
  /** Membership simulator options (seed, latency 10–50 ms by default, loss). */
  readonly simulation?: SimulationInit
  readonly pubsub?: PubsubNodeInit
  /** The topic broadcast on. Default 'b3'. */
  readonly topic?: string
  /** Which nodes (by index) subscribe to the topic (interest-scoped trees). Default: every node. */
  readonly subscribed?: (index: number) => boolean
}

/** Traffic counted since the last `resetCounters()`. */
export interface BroadcastCounters {
  /** MESSAGE frames received by live nodes (repairs included). */
  messageFrames: number
  /** MESSAGE frames received, by node index. */
  readonly messageFramesByNode: number[]
  /** Every pub/sub frame sent, and its bytes. */
  frames: number
  bytes: number
}

export interface OverlayBroadcast {
  readonly simulation: Simulation
  readonly topic: string
  readonly counters: BroadcastCounters
  /** Adds `count` nodes joining through random live nodes, `intervalMs` apart. */
  addNodes(count: number, intervalMs: number): void
  /** Publishes one message from node `index`; returns its id. */
  publish(index: number, payload: Uint8Array): MessageId
  /** Live nodes (other than the origin) that delivered `id`, and the most hops it took (LDH). */
  delivery(id: MessageId): { delivered: number; lastDeliveryHops: number }
  run(ms: number): void
  resetCounters(): void
  /** The pub/sub node of node `index` (its stats, say). */
  node(index: number): PubsubNode
}

interface Member {
  readonly node: PubsubNode
  timer: TimerHandle | undefined
  timerAt: number | undefined
}

export function createOverlayBroadcast(init: OverlayBroadcastInit): OverlayBroadcast {
  const simulation = createSimulation(init.simulation)
  const clock = simulation.clock
  const topic = init.topic ?? 'b3'
  const keys = createRandom(1).derive('overlay-broadcast-keys')
  const links = simulation.random.derive('pubsub-links')
  const latency = simulation.latency
  const members: Member[] = []
  const delivered = new Map<MessageId, { origin: number; nodes: Set<number>; hops: number }>()
  const counters: BroadcastCounters = {
    messageFrames: 0,
    messageFramesByNode: [],
    frames: 0,
    bytes: 0,
  }
  const subscribed = init.subscribed ?? (() => true)

  const member = (index: number): Member => {
    let existing = members[index]
    if (existing === undefined) {
      const agentKey = init.backend.mlDsa65KeyPairFromSeed(keys.derive(`${index}`).bytes(32))
      const node = createPubsubNode({ backend: init.backend, agentKey }, init.pubsub, clock.now())
      existing = { node, timer: undefined, timerAt: undefined }
      members[index] = existing
      if (subscribed(index)) apply(index, node.subscribe(topic, clock.now()), 0)
    }
    return existing
  }

  const apply = (index: number, output: PubsubOutput, hops: number): void => {
    for (const delivery of output.deliveries) {
      const entry = delivered.get(delivery.id)
      if (entry === undefined || entry.origin === index) continue
      entry.nodes.add(index)
      entry.hops = Math.max(entry.hops, hops)
    }
    for (const { to, frame } of output.sends) send(index, to, frame)
    schedule(index)
  }

  const send = (from: number, to: string, frame: Uint8Array): void => {
    counters.frames++
    counters.bytes += frame.length
    const target = simulation.node(to)
    const source = simulation.nodes[from]
    if (target === undefined || source === undefined) return
    const delay = latency.minMs + links.float() * (latency.maxMs - latency.minMs)
    clock.setTimeout(() => {
      if (!target.alive || !source.alive || target.group !== source.group) return
      // MESSAGE frames: version, type 1, hops u16 (docs/protocols/pubsub.md "Frames").
      const isMessage = frame[1] === 1
      if (isMessage) {
        counters.messageFrames++
        counters.messageFramesByNode[target.index] =
          (counters.messageFramesByNode[target.index] ?? 0) + 1
      }
      const hops = isMessage ? ((frame[2] ?? 0) << 8) | (frame[3] ?? 0) : 0
      const output = member(target.index).node.receive(source.id, frame, clock.now())
      apply(target.index, output, hops)
    }, delay)
  }

  const schedule = (index: number): void => {
    const entry = member(index)
    const at = entry.node.wakeAt()
    if (at === entry.timerAt) return
    clock.clearTimeout(entry.timer)
    entry.timerAt = at
    entry.timer = clock.setTimeout(
      () => {
        entry.timer = undefined
        entry.timerAt = undefined
        if (simulation.nodes[index]?.alive !== true) return
        apply(index, entry.node.tick(clock.now()), 0)
      },
      Math.max(0, at - clock.now()),
    )
  }

  simulation.onAction((node, action) => {
    if (action.type === 'neighbor:up')
      apply(node.index, member(node.index).node.neighbourUp(action.peer.id, clock.now()), 0)
    else if (action.type === 'neighbor:down')
      apply(node.index, member(node.index).node.neighbourDown(action.peer.id, clock.now()), 0)
  })

  return {
    simulation,
    topic,
    counters,
    addNodes(count, intervalMs) {
      const added = simulation.addNodes(count, { intervalMs })
      for (const node of added) member(node.index)
    },
    publish(index, payload) {
      const entry = member(index)
      const output = entry.node.publish(topic, [payload], clock.now())
      // A publisher that is not subscribed delivers nothing: read the id off a MESSAGE frame.
      const frame = output.sends.find(({ frame }) => frame[1] === 1)?.frame
      const id =
        output.deliveries[0]?.id ??
        (frame === undefined ? undefined : messageIdOf(signedBodyOf(decodeMessage(frame))))
      if (id === undefined) throw new InvalidStateError('publish produced no delivery')
      delivered.set(id, { origin: index, nodes: new Set(), hops: 0 })
      apply(index, output, 0)
      return id
    },
    delivery(id) {
      const entry = delivered.get(id)
      if (entry === undefined) return { delivered: 0, lastDeliveryHops: 0 }
      let count = 0
      for (const index of entry.nodes) if (simulation.nodes[index]?.alive === true) count++
      return { delivered: count, lastDeliveryHops: entry.hops }
    },
    run(ms) {
      simulation.run(ms)
    },
    node(index) {
      return member(index).node
    },
    resetCounters() {
      counters.messageFrames = 0
      counters.messageFramesByNode.length = 0
      counters.frames = 0
      counters.bytes = 0
    },
  }
}
