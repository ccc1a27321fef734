import { expect, it } from 'vitest'
import type { FrameStream } from '../transport.js'
import {
  defined,
  echo,
  readAll,
  rejectionOf,
  text,
  textOf,
  type ComplianceSuite,
} from './harness.js'

/** Frames a flooding peer sends at most: far more than any bounded queue should accept. */
const MAX_FLOOD_FRAMES = 100_000

/** Bounds: streams per kind, connections, and one peer flooding while others are served. */
export function registerLimitTests(suite: ComplianceSuite): void {
  it('refuses a stream beyond maxStreamsPerKind with StreamLimitError, per kind, until one ends', async () => {
    const harness = await suite.open(2)
    const limit = harness.limits.maxStreamsPerKind
    const held: FrameStream[] = []
    harness.transport(1).handle('bulk', (stream) => {
      held.push(stream)
    })
    harness.transport(1).handle('pubsub', echo())
    const connection = await harness.transport(0).dial(harness.target(1))
    const streams: FrameStream[] = []
    for (let index = 0; index < limit; index++) {
      const stream = await connection.openStream('bulk')
      await stream.send(text(`stream ${index}`))
      streams.push(stream)
    }
    expect((await rejectionOf(connection.openStream('bulk'))).name).toBe('StreamLimitError')
    // Another kind has its own budget.
    const other = await connection.openStream('pubsub')
    await other.send(text('other kind'))
    await other.closeWrite()
    expect((await readAll(other)).map(textOf)).toEqual(['other kind'])

    await harness.waitFor(() => held.length === limit, 'the remote holds every stream')
    await defined(streams[0], 'a local stream').close()
    await defined(held[0], 'a remote stream').close()
    const next = await harness.eventually(
      () => connection.openStream('bulk'),
      'opening a stream once one has ended',
    )
    await next.send(text('after'))
    await harness.waitFor(() => held.length === limit + 1, 'the remote receives the new stream')
  })

  it('releases stream slots as streams end, many times over the limit', async () => {
    const harness = await suite.open(2)
    harness.transport(1).handle('direct', echo())
    const connection = await harness.transport(0).dial(harness.target(1))
    for (let index = 0; index < harness.limits.maxStreamsPerKind * 4; index++) {
      const stream = await harness.eventually(
        () => connection.openStream('direct'),
        `opening stream ${index}`,
      )
      await stream.send(text(String(index)))
      await stream.closeWrite()
      expect((await readAll(stream)).map(textOf)).toEqual([String(index)])
    }
  })

  it('refuses connections beyond maxConnections, locally with ConnectionLimitError and remotely', async () => {
    const harness = await suite.open(4, { maxConnections: 2 })
    const [a, d] = [harness.transport(0), harness.transport(3)]
    await a.dial(harness.target(1))
    const toC = await a.dial(harness.target(2))
    expect((await rejectionOf(a.dial(harness.target(3)))).name).toBe('ConnectionLimitError')
    const refused = await rejectionOf(d.dial(harness.target(0)))
    expect(['DialError', 'ConnectionLimitError']).toContain(refused.name)
    await harness.settle()
    expect(a.getConnections()).toHaveLength(2)
    expect(harness.log(0).connects).toHaveLength(2)
    expect(d.getConnections()).toEqual([])

    await toC.close()
    const admitted = await harness.eventually(
      () => d.dial(harness.target(0)),
      'dialling once a slot is free',
    )
    expect(admitted.remoteMachineId).toBe(a.machineId)
  })

  it('answers a flood of dials to one machine with one connection', async () => {
    const harness = await suite.open(2)
    const [a, b] = [harness.transport(0), harness.transport(1)]
    const connections = await Promise.all(
      Array.from({ length: 50 }, () => a.dial(harness.target(1))),
    )
    expect(new Set(connections).size).toBe(1)
    await harness.settle()
    expect(b.getConnections()).toHaveLength(1)
    expect(harness.log(1).connects).toHaveLength(1)
  })

  it('keeps serving another peer while one peer floods frames and streams', async () => {
    const harness = await suite.open(3)
    const [server, flooder, polite] = [
      harness.transport(0),
      harness.transport(1),
      harness.transport(2),
    ]
    let delivered = 0
    server.handle('bulk', (stream) => {
      void (async () => {
        for (let frame = await stream.read(); frame !== undefined; frame = await stream.read()) {
          delivered++
        }
      })().catch(() => undefined)
    })
    server.handle('direct', echo())
    const flooded = await flooder.dial(harness.target(0))
    const served = await polite.dial(harness.target(0))

    const streams: FrameStream[] = []
    let refusal: Error | undefined
    while (refusal === undefined && streams.length <= harness.limits.maxStreamsPerKind) {
      try {
        streams.push(await flooded.openStream('bulk'))
      } catch (error) {
        refusal = error as Error
      }
    }
    expect(refusal?.name).toBe('StreamLimitError')
    let flooding = true
    let sent = 0
    const frame = new Uint8Array(1024)
    const flood = Promise.all(
      streams.map(async (stream) => {
        // Bounded, so that a transport without back-pressure fails here rather than spinning.
        while (flooding && sent < MAX_FLOOD_FRAMES) {
          await stream.send(frame)
          sent++
        }
      }),
    )

    const sentBefore = sent
    for (let round = 0; round < 5; round++) {
      const stream = await served.openStream('direct')
      await stream.send(text(`request ${round}`))
      await stream.closeWrite()
      expect((await readAll(stream)).map(textOf)).toEqual([`request ${round}`])
    }
    const sentDuring = sent - sentBefore
    flooding = false
    await flood
    expect(sentDuring).toBeGreaterThan(0)
    expect(delivered).toBeLessThanOrEqual(sent)
  })
}
