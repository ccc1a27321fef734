import { describe, expect, it } from 'vitest'
import {
  connect,
  indexedFrame,
  recordArrivals,
  recordEvents,
  targetOf,
  testNetwork,
} from './memory-fixtures.js'

describe('memory network faults', () => {
  it('kills connections across a partition after idleTimeoutMs on both sides, sparing the rest', async () => {
    const { clock, network, node } = testNetwork()
    const [a, b, c] = [await node(), await node(), await node()]
    const toB = await connect(network, a, b)
    const toC = await connect(network, a, c)
    const [aEvents, bEvents] = [recordEvents(a, clock), recordEvents(b, clock)]
    const cutAt = clock.now()
    network.partition([a.machineId], [b.machineId])
    await network.flush()
    expect(
      aEvents.disconnects.map((event) => [event.at, event.detail.connection, event.detail.reason]),
    ).toEqual([[cutAt + 15_000, toB, 'idle-timeout']])
    expect(bEvents.disconnects.map((event) => [event.at, event.detail.reason])).toEqual([
      [cutAt + 15_000, 'idle-timeout'],
    ])
    expect(a.getConnections()).toEqual([toC])
  })

  it('fails dials across a partition after the dial timeout, and they succeed after the heal', async () => {
    const { clock, network, node } = testNetwork({ transport: { dialTimeoutMs: 4_000 } })
    const [a, b] = [await node(), await node()]
    const partition = network.partition([a.machineId], [b.machineId])
    const startedAt = clock.now()
    let failedAt = Number.NaN
    const failure = a.dial(targetOf(b)).catch((error: unknown) => {
      failedAt = clock.now()
      return error as Error
    })
    await network.flush()
    const error = await failure
    expect(error).toMatchObject({ name: 'DialError', cause: { name: 'TimeoutError' } })
    expect(failedAt - startedAt).toBe(4_000)
    expect(b.getConnections()).toEqual([])
    partition.heal()
    expect((await connect(network, a, b)).remoteMachineId).toBe(b.machineId)
  })

  it('holds frames sent during a short partition and delivers them in order after the heal', async () => {
    const { clock, network, node } = testNetwork()
    const [a, b] = [await node(), await node()]
    const arrivals: ReturnType<typeof recordArrivals>[] = []
    b.handle('direct', (stream) => {
      arrivals.push(recordArrivals(stream, clock))
    })
    const connection = await connect(network, a, b)
    const stream = await connection.openStream('direct')
    const aEvents = recordEvents(a, clock)
    const partition = network.partition([b.machineId], [a.machineId])
    for (let index = 0; index < 5; index++) await stream.send(indexedFrame(index))
    await clock.advanceAsync(5_000)
    expect(arrivals).toEqual([])
    const healedAt = clock.now()
    partition.heal()
    await network.flush()
    expect(arrivals[0]?.frames.map((frame) => frame.index)).toEqual([0, 1, 2, 3, 4])
    expect(arrivals[0]?.frames[0]?.at).toBe(healedAt + 1)
    expect(aEvents.disconnects).toEqual([])
    expect(connection.status).toBe('open')
  })

  it('resets the survivor at once when the other end died during the partition', async () => {
    const { clock, network, node } = testNetwork()
    const a = await node({ idleTimeoutMs: 5_000 })
    const b = await node({ idleTimeoutMs: 20_000 })
    await connect(network, a, b)
    const [aEvents, bEvents] = [recordEvents(a, clock), recordEvents(b, clock)]
    const cutAt = clock.now()
    network.partition([a.machineId], [b.machineId])
    await clock.advanceAsync(6_000)
    expect(aEvents.disconnects.map((event) => [event.at - cutAt, event.detail.reason])).toEqual([
      [5_000, 'idle-timeout'],
    ])
    expect(b.getConnections()).toHaveLength(1)
    network.heal()
    await network.flush()
    expect(bEvents.disconnects.map((event) => [event.at - cutAt, event.detail.reason])).toEqual([
      [6_001, 'error'],
    ])
  })

  it('isolates one machine from everyone until the isolation is lifted', async () => {
    const { network, node } = testNetwork()
    const [a, b, c] = [await node(), await node(), await node()]
    await connect(network, a, b)
    await connect(network, c, b)
    const aToC = await connect(network, a, c)
    const isolation = network.isolate(b.machineId)
    await network.flush()
    expect(b.getConnections()).toEqual([])
    expect(a.getConnections()).toEqual([aToC])
    isolation.heal()
    expect((await connect(network, a, b)).status).toBe('open')
  })

  it('lets the peers of a crashed machine find out only after their own idle timeouts', async () => {
    const { clock, network, node } = testNetwork()
    const b = await node()
    const a = await node({ idleTimeoutMs: 15_000 })
    const c = await node({ idleTimeoutMs: 8_000 })
    await connect(network, a, b)
    await connect(network, b, c)
    const events = [a, b, c].map((transport) => recordEvents(transport, clock))
    const crashedAt = clock.now()
    network.crash(b.machineId)
    expect(network.getTransport(b.machineId)).toBeUndefined()
    await network.flush()
    const timeline = events.map((log) =>
      log.disconnects.map((event) => [event.at - crashedAt, event.detail.reason]),
    )
    expect(timeline).toEqual([[[15_000, 'idle-timeout']], [], [[8_000, 'idle-timeout']]])
    await expect(b.dial(targetOf(a))).rejects.toMatchObject({ name: 'TransportStoppedError' })
  })

  it('replaces the stale connection when a crashed machine comes back and dials', async () => {
    const { clock, network, node } = testNetwork()
    const [a, b] = [await node(), await node()]
    const old = await connect(network, a, b)
    const aEvents = recordEvents(a, clock)
    network.crash(b.machineId)
    const reborn = await node({ machineId: b.machineId, address: b.address })
    const fresh = await connect(network, reborn, a)
    expect(fresh.status).toBe('open')
    const current = a.getConnection(b.machineId)
    expect(current).not.toBe(old)
    expect(current?.direction).toBe('inbound')
    expect(a.getConnections()).toEqual([current])
    expect(aEvents.disconnects.map((event) => event.detail.connection)).toEqual([old])
    expect(aEvents.connects.map((event) => event.connection)).toEqual([current])
    await network.flush()
    expect(network.inFlight).toBe(0)
  })

  it('resets a survivor as soon as a process answers again at the crashed address', async () => {
    const { clock, network, node } = testNetwork()
    const [a, b] = [await node(), await node()]
    await connect(network, a, b)
    const aEvents = recordEvents(a, clock)
    network.crash(b.machineId)
    await clock.advanceAsync(2_000)
    const restartedAt = clock.now()
    await node({ address: b.address })
    await network.flush()
    expect(
      aEvents.disconnects.map((event) => [event.at - restartedAt, event.detail.reason]),
    ).toEqual([[1, 'error']])
  })

  it('refuses to crash a machine that is not live', () => {
    const { network } = testNetwork()
    const transport = network.createTransport()
    network.crash(transport.machineId)
    expect(() => {
      network.crash(transport.machineId)
    }).toThrow(expect.objectContaining({ name: 'InvalidArgumentError' }))
  })
})
