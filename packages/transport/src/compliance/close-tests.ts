import { expect, it } from 'vitest'
import type { FrameStream } from '../transport.js'
import {
  defined,
  patternFrame,
  readAll,
  rejectionOf,
  sameBytes,
  text,
  textOf,
  track,
  type ComplianceSuite,
  type Harness,
} from './harness.js'

/** A stream from transport 0 to transport 1, with the remote end as the handler received it. */
async function openPair(harness: Harness): Promise<{ local: FrameStream; remote: FrameStream }> {
  let remote: FrameStream | undefined
  harness.transport(1).handle('direct', (stream) => {
    remote = stream
  })
  const connection = await harness.transport(0).dial(harness.target(1))
  const local = await connection.openStream('direct')
  await local.send(text('open'))
  await harness.waitFor(() => remote !== undefined, 'the handler receives the stream')
  return { local, remote: defined(remote, 'the remote stream') }
}

const STREAM_FAILURES = ['StreamClosedError', 'StreamResetError', 'ConnectionClosedError']

/** Closing: graceful and abrupt closes of connections, and stopping a transport. */
export function registerCloseTests(suite: ComplianceSuite): void {
  it('closing a connection ends its streams and fires peer:disconnect once on each side', async () => {
    const harness = await suite.open(2)
    const [a, b] = [harness.transport(0), harness.transport(1)]
    const { local, remote } = await openPair(harness)
    const connection = defined(a.getConnection(b.machineId), 'the connection')
    const remoteEnd = track(readAll(remote))
    const localRead = track(local.read())

    await connection.close()
    expect(connection.status).toBe('closed')
    expect(a.getConnection(b.machineId)).toBeUndefined()
    expect(a.getConnections()).toEqual([])
    expect(STREAM_FAILURES).toContain((await rejectionOf(local.send(text('x')))).name)
    expect((await rejectionOf(connection.openStream('direct'))).name).toBe('ConnectionClosedError')
    await harness.waitFor(() => localRead.settled && remoteEnd.settled, 'both stream ends finish')
    await harness.waitFor(() => b.getConnections().length === 0, 'b drops the connection')

    const [aLog, bLog] = [harness.log(0), harness.log(1)]
    await harness.waitFor(() => bLog.disconnects.length > 0, 'b reports peer:disconnect')
    await connection.close()
    await harness.settle()
    expect(aLog.disconnects).toHaveLength(1)
    expect(aLog.disconnects[0]?.connection).toBe(connection)
    expect(aLog.disconnects[0]?.reason).toBe('closed-locally')
    expect(bLog.disconnects).toHaveLength(1)
    expect(bLog.disconnects[0]?.connection.remoteMachineId).toBe(a.machineId)
    expect(bLog.disconnects[0]?.reason).toBe('closed-remotely')
  })

  it('closing a connection delivers the frames queued on its streams before they end', async () => {
    const harness = await suite.open(2)
    const [a, b] = [harness.transport(0), harness.transport(1)]
    const { local, remote } = await openPair(harness)
    const connection = defined(a.getConnection(b.machineId), 'the connection')
    // Caught at once: a reset must fail the assertion below, not surface as an unhandled rejection.
    const remoteFrames = readAll(remote).catch((error: unknown) => error as Error)
    const frames = Array.from({ length: 200 }, (_, index) => patternFrame(16 * 1024, index))
    for (const frame of frames) await local.send(frame)

    await connection.close()
    const received = await remoteFrames
    if (received instanceof Error) throw received
    expect(received).toHaveLength(frames.length + 1)
    expect(textOf(received[0])).toBe('open')
    frames.forEach((frame, index) => {
      expect(sameBytes(received[index + 1], frame)).toBe(true)
    })
  })

  it('aborting a connection fails its streams at once and the remote sees peer:disconnect', async () => {
    const harness = await suite.open(2)
    const [a, b] = [harness.transport(0), harness.transport(1)]
    const { local, remote } = await openPair(harness)
    const connection = defined(a.getConnection(b.machineId), 'the connection')
    const pendingRead = rejectionOf(local.read())
    const remoteEnd = track(readAll(remote))

    connection.abort(new Error('test abort'))
    expect(connection.status).toBe('closed')
    expect((await pendingRead).name).toBe('StreamResetError')
    expect(STREAM_FAILURES).toContain((await rejectionOf(local.send(text('x')))).name)
    expect(a.getConnections()).toEqual([])
    await harness.waitFor(() => remoteEnd.settled, 'the remote stream ends')
    await harness.waitFor(() => harness.log(1).disconnects.length > 0, 'b reports peer:disconnect')
    await harness.settle()
    expect(harness.log(0).disconnects).toHaveLength(1)
    expect(harness.log(1).disconnects).toHaveLength(1)
    expect(b.getConnections()).toEqual([])
  })

  it('stop closes every connection and later operations fail with TransportStoppedError', async () => {
    const harness = await suite.open(3)
    const [a, b, c] = [harness.transport(0), harness.transport(1), harness.transport(2)]
    const toB = await a.dial(harness.target(1))
    await a.dial(harness.target(2))

    await a.stop()
    expect(a.getConnections()).toEqual([])
    expect(harness.log(0).disconnects).toHaveLength(2)
    await harness.waitFor(
      () => harness.log(1).disconnects.length === 1 && harness.log(2).disconnects.length === 1,
      'both peers report peer:disconnect',
    )
    expect((await rejectionOf(a.dial(harness.target(1)))).name).toBe('TransportStoppedError')
    expect((await rejectionOf(toB.openStream('direct'))).name).toBe('ConnectionClosedError')
    await a.stop()
    await harness.settle()
    expect(harness.log(0).disconnects).toHaveLength(2)
    expect(harness.log(1).disconnects).toHaveLength(1)
    // The others are unaffected.
    expect((await b.dial(harness.target(2))).remoteMachineId).toBe(c.machineId)
  })

  it('stop fails a dial in progress with TransportStoppedError', async () => {
    const harness = await suite.open(2)
    const a = harness.transport(0)
    const dialing = a.dial(harness.target(1))
    const stopping = a.stop()
    expect((await rejectionOf(dialing)).name).toBe('TransportStoppedError')
    await stopping
    await harness.waitFor(
      () => harness.transport(1).getConnections().length === 0,
      'the remote holds no connection',
    )
  })
}
