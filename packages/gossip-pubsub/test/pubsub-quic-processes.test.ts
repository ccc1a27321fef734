// Four pub/sub nodes in four Node processes over real QUIC on 127.0.0.1 (post-quantum sessions,
// real membership, the system clock): the "one multi-process run over real QUIC". Each
// child (fixtures/quic-pubsub-node.ts) is driven over IPC and reports its deliveries. Every wait
// is an event wait with a bound; every child is killed on every path.
import { spawn, type ChildProcess } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { fileURLToPath } from 'node:url'
import type { PeerDescriptor } from '@x0x/gossip-membership'
import { afterEach, describe, expect, it } from 'vitest'

const NODE_SCRIPT = fileURLToPath(new URL('./fixtures/quic-pubsub-node.ts', import.meta.url))
const NODES = 4
const TOPIC = 'quic-news'
const PER_PUBLISHER = 10
/** Generous bounds: a loaded two-core machine runs post-quantum handshakes in four processes. */
const START_MS = 20_000
const OVERLAY_MS = 30_000
const DELIVERY_MS = 20_000

interface Received {
  readonly topic: string
  readonly text: string
  readonly origin: string
  readonly sequence: number
}

type Report =
  | { type: 'ready'; machineId: string; addresses: PeerDescriptor['addresses']; agentId: string }
  | { type: 'neighbours'; count: number }
  | ({ type: 'delivery' } & Received)
  | { type: 'subscribed'; topic: string }
  | { type: 'published'; topic: string; text: string }
  | { type: 'error'; message: string }

interface ChildNode {
  readonly index: number
  readonly process: ChildProcess
  descriptor: PeerDescriptor | undefined
  agentId: string | undefined
  neighbours: number
  readonly received: Received[]
  readonly subscribed: Set<string>
  readonly errors: string[]
  stderr: string
  exited: boolean
  /** Asked to stop: its exit is expected. */
  stopping: boolean
}

const children: ChildNode[] = []
/** Emits 'update' on every report and exit, so waits re-check their condition. */
const updates = new EventEmitter()

afterEach(() => {
  for (const child of children.splice(0)) if (!child.exited) child.process.kill('SIGKILL')
})

function spawnNode(index: number): ChildNode {
  const child = spawn(process.execPath, [NODE_SCRIPT, String(index + 1)], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  const node: ChildNode = {
    index,
    process: child,
    descriptor: undefined,
    agentId: undefined,
    neighbours: 0,
    received: [],
    subscribed: new Set(),
    errors: [],
    stderr: '',
    exited: false,
    stopping: false,
  }
  children.push(node)
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (node.stderr += chunk))
  child.on('exit', () => {
    node.exited = true
    updates.emit('update')
  })
  child.on('message', (report: Report) => {
    record(node, report)
    updates.emit('update')
  })
  return node
}

function record(node: ChildNode, report: Report): void {
  switch (report.type) {
    case 'ready':
      node.descriptor = { id: report.machineId, addresses: report.addresses } as PeerDescriptor
      node.agentId = report.agentId
      return
    case 'neighbours':
      node.neighbours = report.count
      return
    case 'delivery':
      node.received.push(report)
      return
    case 'subscribed':
      node.subscribed.add(report.topic)
      return
    case 'published':
      return
    case 'error':
      node.errors.push(report.message)
      return
  }
}

/** Resolves once `condition` holds, re-checked on every report; fails with `what` after `ms`. */
function waitFor(condition: () => boolean, what: string, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const died = children.find((child) => child.exited && !child.stopping)
      if (died !== undefined) done(new Error(`child ${died.index} exited: ${died.stderr}`))
      else if (condition()) done(undefined)
    }
    const timer = setTimeout(() => {
      done(new Error(`gave up after ${ms} ms: ${what}\n${children.map((c) => c.stderr).join('')}`))
    }, ms)
    const done = (error: Error | undefined) => {
      clearTimeout(timer)
      updates.off('update', check)
      if (error === undefined) resolve()
      else reject(error)
    }
    updates.on('update', check)
    check()
  })
}

function command(node: ChildNode, message: Record<string, unknown>): void {
  node.process.send(message)
}

const onTopic = (node: ChildNode, topic: string) =>
  node.received.filter((message) => message.topic === topic)

describe('pub/sub across four processes over real QUIC on 127.0.0.1', () => {
  it('delivers every message exactly once to every node, and the first one after subscribe', async () => {
    const nodes = Array.from({ length: NODES }, (_, index) => spawnNode(index))
    await waitFor(
      () => nodes.every((node) => node.agentId !== undefined),
      'every child ready',
      START_MS,
    )
    const [contact, ...joiners] = nodes as [ChildNode, ...ChildNode[]]
    for (const joiner of joiners) command(joiner, { type: 'join', contact: contact.descriptor })
    for (const node of nodes) command(node, { type: 'subscribe', topic: TOPIC })
    // Three peers are fewer than the active view target of 8: every node links to every other.
    await waitFor(
      () => nodes.every((node) => node.neighbours === NODES - 1 && node.subscribed.has(TOPIC)),
      'a full overlay of 4 subscribed nodes',
      OVERLAY_MS,
    )

    const publishers = [nodes[1], nodes[2]] as [ChildNode, ChildNode]
    const sent: string[] = []
    for (let index = 0; index < PER_PUBLISHER; index++)
      for (const publisher of publishers) {
        const text = `m-${publisher.index}-${index}`
        sent.push(text)
        command(publisher, { type: 'publish', topic: TOPIC, text })
      }
    await waitFor(
      () => nodes.every((node) => onTopic(node, TOPIC).length >= sent.length),
      `every node delivering ${sent.length} messages`,
      DELIVERY_MS,
    )

    // No lost first message: subscribe to a fresh topic, and once the child acknowledges it,
    // have another process publish one message on it at once.
    for (let trial = 0; trial < NODES; trial++) {
      const subscriber = nodes[trial] as ChildNode
      const publisher = nodes[(trial + 1) % NODES] as ChildNode
      const topic = `fresh-${trial}`
      command(subscriber, { type: 'subscribe', topic })
      await waitFor(() => subscriber.subscribed.has(topic), `subscribe to ${topic}`, DELIVERY_MS)
      command(publisher, { type: 'publish', topic, text: `first-${trial}` })
      await waitFor(
        () => onTopic(subscriber, topic).length > 0,
        `node ${subscriber.index} delivering the first message on ${topic}`,
        DELIVERY_MS,
      )
      expect(onTopic(subscriber, topic)[0]).toMatchObject({
        text: `first-${trial}`,
        origin: publisher.agentId,
        sequence: 1,
      })
    }

    // Checked after the trials, so late duplicates of the first 20 had time to show up.
    for (const node of nodes) {
      const received = onTopic(node, TOPIC)
      expect(received.map((message) => message.text).sort(), `node ${node.index}`).toEqual(
        [...sent].sort(),
      )
      for (const publisher of publishers) {
        const fromPublisher = received.filter((message) =>
          message.text.startsWith(`m-${publisher.index}-`),
        )
        expect(new Set(fromPublisher.map((message) => message.origin))).toEqual(
          new Set([publisher.agentId]),
        )
        // Contiguous sequences 1…10 per origin: nothing lost, nothing delivered twice.
        expect(fromPublisher.map((message) => message.sequence).sort((a, b) => a - b)).toEqual(
          Array.from({ length: PER_PUBLISHER }, (_, index) => index + 1),
        )
      }
      expect(node.errors).toEqual([])
    }

    for (const node of nodes) {
      node.stopping = true
      command(node, { type: 'stop' })
    }
    await waitFor(() => nodes.every((node) => node.exited), 'every child stopping', START_MS)
    expect(nodes.map((node) => node.process.exitCode)).toEqual(nodes.map(() => 0))
  }, 90_000)
})
