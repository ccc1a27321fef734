import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { FrameStream, LinkProfile, MemoryNetworkInit } from '../src/index.js'
import {
  connect,
  indexOf,
  indexedFrame,
  recordArrivals,
  recordEvents,
  testNetwork,
} from './memory-fixtures.js'

/** Two started nodes, connected, with `direct` streams at b recorded as they arrive. */
async function linkedPair(init: MemoryNetworkInit, transport = {}) {
  const test = testNetwork({ ...init, transport })
  const a = await test.node()
  const b = await test.node()
  const arrivals: ReturnType<typeof recordArrivals>[] = []
  b.handle('direct', (stream) => {
    arrivals.push(recordArrivals(stream, test.clock))
  })
  const connection = await connect(test.network, a, b)
  return { ...test, a, b, connection, arrivals }
}

/** Sends frames `0 … count - 1` at once on a new stream, ends it, and flushes. */
async function sendAll(stream: FrameStream, count: number, length = 4): Promise<void> {
  for (let index = 0; index < count; index++) await stream.send(indexedFrame(index, length))
  await stream.closeWrite()
}

describe('memory links', () => {
  it('opens the dialler’s end after one round trip and the acceptor’s half a round trip later', async () => {
    const { clock, network, node } = testNetwork({ link: { latencyMs: 30 } })
    const a = await node()
    const b = await node()
    const [aEvents, bEvents] = [recordEvents(a, clock), recordEvents(b, clock)]
    await connect(network, a, b)
    expect(aEvents.connects.map((event) => event.at)).toEqual([60])
    expect(bEvents.connects.map((event) => event.at)).toEqual([90])
  })

  it('delivers a frame one latency after it is sent', async () => {
    const { clock, network, connection, arrivals } = await linkedPair({ link: { latencyMs: 30 } })
    const sentAt = clock.now()
    await sendAll(await connection.openStream('direct'), 1)
    await network.flush()
    expect(arrivals[0]?.frames).toEqual([{ at: sentAt + 30, index: 0 }])
  })

  it('gives the same arrival times for the same seed, and others for another seed', async () => {
    const arrivalTimes = async (seed: number): Promise<number[]> => {
      const link = { latencyMs: 10, jitterMs: 20, loss: 0.2 }
      const { network, connection, arrivals } = await linkedPair({ seed, link })
      await sendAll(await connection.openStream('direct'), 50)
      await network.flush()
      return arrivals[0]?.frames.map((frame) => frame.at) ?? []
    }
    const first = await arrivalTimes(7)
    expect(first).toHaveLength(50)
    expect(await arrivalTimes(7)).toEqual(first)
    expect(await arrivalTimes(8)).not.toEqual(first)
  })

  it('turns loss into whole retransmission timeouts, never dropping or reordering a frame', async () => {
    const link = { latencyMs: 10, loss: 0.3 }
    const { clock, network, connection, arrivals } = await linkedPair(
      { seed: 3, link },
      { streamReceiveQueueFrames: 256 },
    )
    const sentAt = clock.now()
    await sendAll(await connection.openStream('direct'), 200)
    await network.flush()
    const frames = arrivals[0]?.frames ?? []
    expect(frames.map((frame) => frame.index)).toEqual(Array.from({ length: 200 }, (_, i) => i))
    // Retransmission timeout max(3 × 10 ms, 25 ms) = 30 ms; a later frame waits for a lost one.
    const delays = frames.map((frame) => frame.at - sentAt - 10)
    for (const delay of delays) expect(delay % 30).toBe(0)
    expect(Math.max(...delays)).toBeGreaterThanOrEqual(30)
    // Head-of-line blocking: a lost frame holds back the later ones, so delays never decrease.
    expect(delays).toEqual([...delays].sort((x, y) => x - y))
    expect(new Set(delays).size).toBeGreaterThan(1)
  })

  it('serializes frames at the link’s bandwidth', async () => {
    const link = { latencyMs: 10, bandwidthBytesPerSecond: 100_000 }
    const { clock, network, connection, arrivals } = await linkedPair({ link })
    const sentAt = clock.now()
    await sendAll(await connection.openStream('direct'), 2, 10_000)
    await network.flush()
    expect(arrivals[0]?.frames.map((frame) => frame.at - sentAt)).toEqual([110, 210])
  })

  it('lets jitter reorder frames of different streams but never of one stream', async () => {
    const { network, connection, b } = await linkedPair({ seed: 5, link: { jitterMs: 40 } })
    const received: { stream: string; index: number }[] = []
    b.handle('pubsub', (stream) => {
      void (async () => {
        for await (const frame of stream)
          received.push({ stream: stream.id, index: indexOf(frame) })
      })()
    })
    const streams = [await connection.openStream('pubsub'), await connection.openStream('pubsub')]
    for (let index = 0; index < 40; index++) {
      await streams[index % 2]?.send(indexedFrame(index))
    }
    await network.flush()
    expect(received).toHaveLength(40)
    for (const stream of streams) {
      const indices = received.filter((entry) => entry.stream === stream.id).map((e) => e.index)
      expect(indices).toEqual([...indices].sort((x, y) => x - y))
    }
    const order = received.map((entry) => entry.index)
    expect(order).not.toEqual([...order].sort((x, y) => x - y))
  })

  it('applies a one-way profile in its direction only', async () => {
    const { clock, network, node } = testNetwork()
    const a = await node()
    const b = await node()
    network.setLink(a.machineId, b.machineId, { latencyMs: 100 }, { direction: 'one-way' })
    const aEvents = recordEvents(a, clock)
    const bEvents = recordEvents(b, clock)
    const connection = await connect(network, a, b)
    expect(aEvents.connects[0]?.at).toBe(101)
    expect(bEvents.connects[0]?.at).toBe(201)
    const pinging = connection.ping()
    await network.flush()
    expect(await pinging).toBe(101)
    network.clearLink(a.machineId, b.machineId)
    const again = connection.ping()
    await network.flush()
    expect(await again).toBe(2)
  })

  it('refuses impossible link profiles', () => {
    const { network } = testNetwork()
    const [a, b] = [network.createTransport(), network.createTransport()]
    const invalid: Partial<LinkProfile>[] = [
      { loss: 1 },
      { loss: -0.1 },
      { latencyMs: -1 },
      { jitterMs: Number.NaN },
      { bandwidthBytesPerSecond: 0 },
    ]
    for (const profile of invalid) {
      expect(() => {
        network.setLink(a.machineId, b.machineId, profile)
      }).toThrow(expect.objectContaining({ name: 'InvalidArgumentError' }))
    }
  })

  it('delivers every frame whole and in order on any link profile', async () => {
    const profile = fc.record({
      latencyMs: fc.integer({ min: 0, max: 50 }),
      jitterMs: fc.integer({ min: 0, max: 50 }),
      loss: fc.double({ min: 0, max: 0.6, noNaN: true }),
      bandwidthBytesPerSecond: fc.oneof(
        fc.constant(Infinity),
        fc.integer({ min: 1_000, max: 10_000_000 }),
      ),
    })
    const sizes = fc.array(fc.integer({ min: 0, max: 3_000 }), { maxLength: 30 })
    await fc.assert(
      fc.asyncProperty(profile, sizes, fc.integer(), async (link, lengths, seed) => {
        const { clock, network, connection, arrivals } = await linkedPair({ seed, link })
        const sentAt = clock.now()
        const stream = await connection.openStream('direct')
        const sending = (async () => {
          for (const [index, length] of lengths.entries()) {
            await stream.send(indexedFrame(index, length))
          }
          await stream.closeWrite()
        })()
        await network.flush()
        await sending
        await arrivals[0]?.done
        const frames = arrivals[0]?.frames ?? []
        expect(frames.map((frame) => frame.index)).toEqual(lengths.map((_, index) => index))
        for (const frame of frames) expect(frame.at - sentAt).toBeGreaterThanOrEqual(link.latencyMs)
      }),
      { numRuns: 60, seed: 20261122 },
    )
  })
})
