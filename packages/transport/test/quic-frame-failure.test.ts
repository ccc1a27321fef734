// A frame that fails to open (tampered, replayed, reordered) closes the whole connection with
// close code 4, on both ends, and is counted: the rule of transport.md §3. The sender's sealer
// is intercepted in-process to play the attacker on the path.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Connection, FrameStream, TransportEvents } from '../src/index.js'
import { FrameSealer } from '../src/quic/frame-codec.js'
import { startQuicTransport, targetOf, waitUntil } from './quic-fixtures.js'

type Attack = 'tampered' | 'replayed' | 'reordered' | 'oversized'

// eslint-disable-next-line @typescript-eslint/unbound-method -- called with `.call(sealer, …)`
const originalSeal = FrameSealer.prototype.seal
let lastWire: Uint8Array | undefined

/** Makes the next sealed frame arrive `attack`ed. */
function armAttack(attack: Attack): void {
  vi.spyOn(FrameSealer.prototype, 'seal').mockImplementationOnce(function (
    this: FrameSealer,
    plaintext: Uint8Array,
  ) {
    if (attack === 'replayed') return (lastWire as Uint8Array).slice()
    // Reordered: the frame after a withheld one overtakes it.
    if (attack === 'reordered') originalSeal.call(this, Uint8Array.of(0))
    const wire = originalSeal.call(this, plaintext)
    if (attack === 'tampered') wire[wire.length - 1]! ^= 0x01
    // A length prefix over the receiver's limit: refused before the frame is buffered.
    if (attack === 'oversized') new DataView(wire.buffer).setUint32(0, 0x7fff_ffff)
    return wire
  })
}

afterEach(() => {
  vi.restoreAllMocks()
})

interface Observed {
  readonly disconnects: TransportEvents['peer:disconnect'][]
  readonly readFailures: Error[]
}

async function connectedPair(): Promise<{
  client: Awaited<ReturnType<typeof startQuicTransport>>
  server: Awaited<ReturnType<typeof startQuicTransport>>
  connection: Connection
  client_: Observed
  server_: Observed
}> {
  const [client, server] = await Promise.all([startQuicTransport(), startQuicTransport()])
  const client_: Observed = { disconnects: [], readFailures: [] }
  const server_: Observed = { disconnects: [], readFailures: [] }
  client.addEventListener('peer:disconnect', (event) => client_.disconnects.push(event.detail))
  server.addEventListener('peer:disconnect', (event) => server_.disconnects.push(event.detail))
  server.handle('direct', (stream: FrameStream) => {
    void (async () => {
      for await (const frame of stream) await stream.send(frame)
    })().catch((error: unknown) => server_.readFailures.push(error as Error))
  })
  const connection = await client.dial(targetOf(server))
  await waitUntil(() => server.getConnection(client.machineId) !== undefined, 'the server opens')
  return { client, server, connection, client_, server_ }
}

describe('a frame that fails to open over QUIC', () => {
  it.each<Attack>(['tampered', 'replayed', 'reordered'])(
    'a %s frame resets its stream and closes the connection on both ends (code 4), counted',
    async (attack) => {
      const { client, server, connection, client_, server_ } = await connectedPair()
      const stream = await connection.openStream('direct')
      const bystander = await connection.openStream('direct')
      await stream.send(Uint8Array.of(1))
      lastWire = undefined
      const spy = vi.spyOn(FrameSealer.prototype, 'seal')
      await stream.send(Uint8Array.of(2))
      lastWire = spy.mock.results[0]?.value as Uint8Array
      expect(await stream.read()).toEqual(Uint8Array.of(1))
      expect(await stream.read()).toEqual(Uint8Array.of(2))
      spy.mockRestore()
      armAttack(attack)
      await stream.send(Uint8Array.of(3))

      await waitUntil(() => server_.disconnects.length === 1, 'the server closes the connection')
      await waitUntil(() => client_.disconnects.length === 1, 'the client sees it closed')
      expect(server_.disconnects[0]?.reason).toBe('error')
      expect(server_.disconnects[0]?.error?.name).toBe('DecryptionFailedError')
      expect(server_.disconnects[0]?.error?.message).toMatch(
        /^frame 3 of stream \d+ failed to open/,
      )
      expect(client_.disconnects[0]?.reason).toBe('error')
      expect(server_.readFailures.map((error) => error.name)).toContain('StreamResetError')
      expect(server.stats).toEqual({ framesFailedToOpen: 1, protocolErrors: 1 })
      expect(client.stats).toEqual({ framesFailedToOpen: 0, protocolErrors: 0 })
      // Every stream of the connection fails with it, not only the one that carried the frame.
      await expect(bystander.read()).rejects.toMatchObject({ name: 'StreamResetError' })
      expect(client.getConnections()).toEqual([])
      expect(server.getConnections()).toEqual([])
    },
  )

  it('a tampered stream header closes the connection too', async () => {
    const { server, connection, server_ } = await connectedPair()
    armAttack('tampered')
    const stream = await connection.openStream('direct')
    await waitUntil(() => server_.disconnects.length === 1, 'the server closes the connection')
    expect(server_.disconnects[0]?.error?.name).toBe('DecryptionFailedError')
    expect(server.stats).toEqual({ framesFailedToOpen: 1, protocolErrors: 1 })
    await expect(stream.read()).rejects.toMatchObject({ name: 'StreamResetError' })
  })

  it('a frame over the receiver’s limit closes the connection, counted as a protocol error', async () => {
    const { server, connection, server_ } = await connectedPair()
    const stream = await connection.openStream('direct')
    armAttack('oversized')
    await stream.send(Uint8Array.of(1))
    await waitUntil(() => server_.disconnects.length === 1, 'the server closes the connection')
    expect(server_.disconnects[0]?.error?.name).toBe('FrameTooLargeError')
    expect(server.stats).toEqual({ framesFailedToOpen: 0, protocolErrors: 1 })
  })
})
