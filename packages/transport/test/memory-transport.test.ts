import { generateMlDsa65KeyPair, machineIdFromPublicKey } from '@x0x/pqc'
import { describe, expect, it } from 'vitest'
import type { Connection, FrameStream } from '../src/index.js'
import {
  collectStreams,
  connect,
  indexedFrame,
  recordEvents,
  targetOf,
  testNetwork,
} from './memory-fixtures.js'

describe('MemoryTransport', () => {
  it('lets a sender run exactly streamReceiveQueueFrames frames ahead of a reader that does not read', async () => {
    const { network, node } = testNetwork({ transport: { streamReceiveQueueFrames: 6 } })
    const [a, b] = [await node(), await node()]
    const held = collectStreams(b, 'bulk')
    const stream = await (await connect(network, a, b)).openStream('bulk')
    const sends = Array.from({ length: 10 }, (_, index) => {
      const sending = { done: false }
      void stream.send(indexedFrame(index)).then(() => {
        sending.done = true
      })
      return sending
    })
    await network.flush()
    expect(sends.map((sending) => sending.done)).toEqual(
      Array.from({ length: 10 }, (_, index) => index < 6),
    )
    const reader = held[0] as FrameStream
    for (let index = 0; index < 3; index++) await reader.read()
    await network.flush()
    expect(sends.filter((sending) => sending.done)).toHaveLength(9)
  })

  it('cancels a send waiting for credit through its signal, keeping later frames in order', async () => {
    const { network, node } = testNetwork({ transport: { streamReceiveQueueFrames: 1 } })
    const [a, b] = [await node(), await node()]
    const held = collectStreams(b, 'bulk')
    const stream = await (await connect(network, a, b)).openStream('bulk')
    await stream.send(indexedFrame(0))
    const controller = new AbortController()
    const cancelled = stream.send(indexedFrame(1), { signal: controller.signal })
    const next = stream.send(indexedFrame(2))
    controller.abort()
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' })
    await network.flush()
    const reader = held[0] as FrameStream
    const first = reader.read()
    const second = reader.read()
    await network.flush()
    await next
    expect([await first, await second].map((frame) => frame?.[3])).toEqual([0, 2])
  })

  it('refuses dials beyond maxPendingDials with ConnectionLimitError', async () => {
    const { network, node } = testNetwork({
      transport: { maxPendingDials: 2, dialTimeoutMs: 1_000 },
    })
    const a = await node()
    const nowhere = (port: number) => ({ addresses: [{ host: '192.0.2.1', port }] })
    const pending = [a.dial(nowhere(1)), a.dial(nowhere(2))].map((dial) =>
      dial.catch((error: unknown) => error as Error),
    )
    await expect(a.dial(nowhere(3))).rejects.toMatchObject({ name: 'ConnectionLimitError' })
    await network.flush()
    for (const failure of await Promise.all(pending)) {
      expect(failure).toMatchObject({ name: 'DialError', cause: { name: 'TimeoutError' } })
    }
    const again = a.dial(nowhere(4))
    await network.flush()
    await expect(again).rejects.toMatchObject({ name: 'DialError' })
  })

  it('gives each address of a target an equal share of the dial timeout', async () => {
    const { clock, network, node } = testNetwork({ transport: { dialTimeoutMs: 10_000 } })
    const [a, b] = [await node(), await node()]
    const aEvents = recordEvents(a, clock)
    const startedAt = clock.now()
    const dialing = a.dial({
      machineId: b.machineId,
      addresses: [{ host: '192.0.2.1', port: 9 }, ...b.listenAddresses],
    })
    await network.flush()
    expect((await dialing).remoteMachineId).toBe(b.machineId)
    expect(aEvents.connects[0]?.at).toBe(startedAt + 5_000 + 2)
  })

  it('fails flush with TimeoutError on a network that never quiesces', async () => {
    const { network, node } = testNetwork()
    const [a, b] = [await node(), await node()]
    const bounce = (stream: FrameStream): void => {
      void (async () => {
        for await (const frame of stream) await stream.send(frame)
      })().catch(() => undefined)
    }
    b.handle('control', bounce)
    const stream = await (await connect(network, a, b)).openStream('control')
    bounce(stream)
    await stream.send(indexedFrame(0))
    await expect(network.flush({ maxSteps: 50 })).rejects.toMatchObject({ name: 'TimeoutError' })
    stream.abort()
    await network.flush()
  })

  it('leaves no timer and nothing in flight once every transport stopped mid-traffic', async () => {
    const { clock, network, node } = testNetwork({
      link: { latencyMs: 10, jitterMs: 10, loss: 0.1 },
    })
    const nodes = [await node(), await node(), await node(), await node()]
    for (const transport of nodes) collectStreams(transport, 'pubsub')
    const connections: Connection[] = []
    for (const [index, from] of nodes.entries()) {
      for (const to of nodes.slice(index + 1)) connections.push(await connect(network, from, to))
    }
    for (const connection of connections) {
      const stream = await connection.openStream('pubsub')
      for (let index = 0; index < 10; index++)
        void stream.send(indexedFrame(index)).catch(() => undefined)
    }
    network.partition([nodes[0]!.machineId], [nodes[1]!.machineId])
    void nodes[2]!.dial({ addresses: [{ host: '192.0.2.1', port: 1 }] }).catch(() => undefined)
    await clock.advanceAsync(3)
    expect(network.inFlight).toBeGreaterThan(0)
    await network.stop()
    await network.flush()
    expect(network.inFlight).toBe(0)
    expect(clock.pendingTimers).toBe(0)
  })

  it('derives the machine id from a public key and presents the key to peers', async () => {
    const { network, node } = testNetwork()
    const { publicKey } = generateMlDsa65KeyPair()
    const a = await node({ publicKey })
    expect(a.machineId).toBe(machineIdFromPublicKey(publicKey))
    const b = await node()
    await connect(network, b, a)
    expect(b.getConnection(a.machineId)?.remotePublicKey).toEqual(publicKey)
    expect(a.getConnection(b.machineId)?.remotePublicKey).toBeUndefined()
    expect(() => network.createTransport({ publicKey, machineId: b.machineId })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
    expect(() => network.createTransport({ machineId: b.machineId })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
    expect(() => network.createTransport({ address: b.address })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError' }),
    )
    await b.stop()
    expect(network.createTransport({ machineId: b.machineId }).machineId).toBe(b.machineId)
  })

  it('refuses to dial before start or after stop, and to start again after stop', async () => {
    const { network } = testNetwork()
    const [a, b] = [network.createTransport(), network.createTransport()]
    expect(a.listenAddresses).toEqual([])
    await expect(a.dial(targetOf(b))).rejects.toMatchObject({ name: 'TransportStoppedError' })
    await a.start()
    expect(a.listenAddresses).toEqual([a.address])
    await a.stop()
    expect(a.listenAddresses).toEqual([])
    await expect(a.start()).rejects.toMatchObject({ name: 'TransportStoppedError' })
    await expect(a.dial(targetOf(b))).rejects.toMatchObject({ name: 'TransportStoppedError' })
  })

  it('converges simultaneous dials on one connection for many pairs under jitter', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const { clock, network, node } = testNetwork({ seed, link: { latencyMs: 5, jitterMs: 30 } })
      const nodes = await Promise.all(Array.from({ length: 20 }, () => node()))
      const events = nodes.map((transport) => recordEvents(transport, clock))
      const dials = nodes.slice(0, 10).flatMap((left, index) => {
        const right = nodes[index + 10]!
        return [left.dial(targetOf(right)), right.dial(targetOf(left))]
      })
      await network.flush()
      const results = await Promise.all(dials)
      for (let index = 0; index < 10; index++) {
        const [left, right] = [nodes[index]!, nodes[index + 10]!]
        const [fromLeft, fromRight] = [results[2 * index], results[2 * index + 1]]
        expect(left.getConnections()).toEqual([fromLeft])
        expect(right.getConnections()).toEqual([fromRight])
        expect(fromLeft?.direction).not.toBe(fromRight?.direction)
      }
      for (const log of events) {
        expect(log.connects).toHaveLength(1)
        expect(log.disconnects).toHaveLength(0)
      }
    }
  })
})
