import { expect, it } from 'vitest'
import {
  defined,
  echo,
  rejectionOf,
  text,
  textOf,
  type ComplianceSuite,
  type Harness,
} from './harness.js'

/** Opens a control stream on `connection`'s transport pair and checks an echo through it. */
async function expectEcho(harness: Harness, from: number, to: number): Promise<void> {
  const connection = harness.transport(from).getConnection(harness.transport(to).machineId)
  expect(connection?.status).toBe('open')
  const stream = await defined(connection, 'the connection').openStream('control')
  await stream.send(text('hello'))
  await stream.closeWrite()
  expect(textOf(await stream.read())).toBe('hello')
  expect(await stream.read()).toBeUndefined()
}

/** Connecting: identities, directions, events, sharing, convergence. */
export function registerConnectTests(suite: ComplianceSuite): void {
  it('connects and reports peer:connect on both sides with remote machine ids and directions', async () => {
    const harness = await suite.open(2)
    const [a, b] = [harness.transport(0), harness.transport(1)]
    const connection = await a.dial(harness.target(1))
    expect(connection.remoteMachineId).toBe(b.machineId)
    expect(connection.direction).toBe('outbound')
    expect(connection.status).toBe('open')
    expect(a.getConnection(b.machineId)).toBe(connection)
    expect(a.getConnections()).toEqual([connection])
    expect(harness.log(0).connects).toEqual([connection])

    await harness.waitFor(() => harness.log(1).connects.length > 0, 'b reports peer:connect')
    const inbound = b.getConnection(a.machineId)
    expect(inbound?.direction).toBe('inbound')
    expect(inbound?.remoteMachineId).toBe(a.machineId)
    expect(inbound?.status).toBe('open')
    expect(harness.log(1).connects).toEqual([inbound])
    expect(b.getConnections()).toEqual([inbound])
  })

  it('returns the live connection to a later dial and shares one attempt among concurrent dials', async () => {
    const harness = await suite.open(2)
    const [a, b] = [harness.transport(0), harness.transport(1)]
    const dials = await Promise.all([1, 2, 3].map(() => a.dial(harness.target(1))))
    expect(new Set(dials).size).toBe(1)
    expect(await a.dial(harness.target(1))).toBe(dials[0])
    await harness.settle()
    expect(a.getConnections()).toHaveLength(1)
    expect(b.getConnections()).toHaveLength(1)
    expect(harness.log(0).connects).toHaveLength(1)
    expect(harness.log(1).connects).toHaveLength(1)
  })

  it('learns the machine id of a transport dialled by address alone', async () => {
    const harness = await suite.open(2)
    const [a, b] = [harness.transport(0), harness.transport(1)]
    const connection = await a.dial({ addresses: b.listenAddresses })
    expect(connection.remoteMachineId).toBe(b.machineId)
    expect(await a.dial(harness.target(1))).toBe(connection)
  })

  it('fails with PeerIdentityMismatchError when another machine answers, and keeps nothing', async () => {
    const harness = await suite.open(3)
    const [a, b, c] = [harness.transport(0), harness.transport(1), harness.transport(2)]
    const error = await rejectionOf(
      a.dial({ machineId: c.machineId, addresses: b.listenAddresses }),
    )
    expect(error.name).toBe('PeerIdentityMismatchError')
    await harness.settle()
    expect(a.getConnections()).toEqual([])
    await harness.waitFor(() => b.getConnections().length === 0, 'b drops the handshake')
    expect(harness.log(0).connects).toEqual([])
    expect(harness.log(1).connects).toEqual([])
    // Nothing is left stuck: the right machine is dialled at once.
    expect((await a.dial(harness.target(1))).remoteMachineId).toBe(b.machineId)
  })

  it('rejects a dial aborted mid-way with AbortError and leaves nothing behind', async () => {
    const harness = await suite.open(2)
    const [a, b] = [harness.transport(0), harness.transport(1)]
    const controller = new AbortController()
    const dialing = a.dial(harness.target(1), { signal: controller.signal })
    controller.abort()
    expect((await rejectionOf(dialing)).name).toBe('AbortError')
    const already = a.dial(harness.target(1), { signal: AbortSignal.abort() })
    expect((await rejectionOf(already)).name).toBe('AbortError')

    await harness.settle()
    expect(a.getConnections()).toEqual([])
    expect(harness.log(0).connects).toEqual([])
    await harness.waitFor(() => b.getConnections().length === 0, 'b holds no connection')
    const bLog = harness.log(1)
    await harness.waitFor(
      () => bLog.connects.length === bLog.disconnects.length,
      'b balances every peer:connect with a peer:disconnect',
    )
    // The slot of the aborted dial is free again.
    const connection = await a.dial(harness.target(1))
    expect(connection.status).toBe('open')
  })

  it('converges on one connection when both sides dial each other at once', async () => {
    const harness = await suite.open(2)
    const [a, b] = [harness.transport(0), harness.transport(1)]
    a.handle('control', echo())
    b.handle('control', echo())
    for (let round = 1; round <= 3; round++) {
      const [fromA, fromB] = await Promise.all([
        a.dial(harness.target(1)),
        b.dial(harness.target(0)),
      ])
      await harness.waitFor(
        () => a.getConnections().length === 1 && b.getConnections().length === 1,
        'each side holds exactly one connection',
      )
      await harness.settle()
      const atA = a.getConnection(b.machineId)
      const atB = b.getConnection(a.machineId)
      expect(fromA).toBe(atA)
      expect(fromB).toBe(atB)
      expect(atA?.status).toBe('open')
      expect(atB?.status).toBe('open')
      expect(atA?.direction).not.toBe(atB?.direction)
      await expectEcho(harness, 0, 1)
      await expectEcho(harness, 1, 0)
      for (const log of harness.events) {
        expect(log.connects.length - log.disconnects.length).toBe(1)
      }
      await atA?.close()
      await harness.waitFor(
        () => a.getConnections().length === 0 && b.getConnections().length === 0,
        'both sides drop the closed connection',
      )
    }
  })

  it('reconnects after a connection was closed by either side', async () => {
    const harness = await suite.open(2)
    const [a, b] = [harness.transport(0), harness.transport(1)]
    b.handle('control', echo())
    a.handle('control', echo())
    const first = await a.dial(harness.target(1))
    await first.close()
    await harness.waitFor(() => b.getConnections().length === 0, 'b sees the close')

    const second = await a.dial(harness.target(1))
    expect(second).not.toBe(first)
    expect(second.status).toBe('open')
    await expectEcho(harness, 0, 1)

    await harness.waitFor(() => b.getConnection(a.machineId) !== undefined, 'b sees the redial')
    await b.getConnection(a.machineId)?.close()
    await harness.waitFor(() => a.getConnections().length === 0, 'a sees the close')
    const third = await b.dial(harness.target(0))
    expect(third.status).toBe('open')
    await expectEcho(harness, 1, 0)
    await harness.waitFor(() => harness.log(0).connects.length === 3, 'a reports every connect')
  })

  it('measures the round trip of a ping', async () => {
    const harness = await suite.open(2)
    const connection = await harness.transport(0).dial(harness.target(1))
    const rtt = await connection.ping()
    expect(Number.isFinite(rtt)).toBe(true)
    expect(rtt).toBeGreaterThanOrEqual(0)
  })
}
