import { describe, expect, it } from 'vitest'
import { echo } from '../src/compliance/harness.js'
import { startQuicTransport, targetOf, waitUntil } from './quic-fixtures.js'

const text = (value: string): Uint8Array => new TextEncoder().encode(value)
const textOf = (frame: Uint8Array | undefined): string | undefined =>
  frame === undefined ? undefined : new TextDecoder().decode(frame)

describe('QuicTransport', () => {
  it('connects with the post-quantum session and echoes frames', async () => {
    const [alice, bob] = await Promise.all([startQuicTransport(), startQuicTransport()])
    bob.handle('direct', echo())
    const connection = await alice.dial(targetOf(bob))
    expect(connection.remoteMachineId).toBe(bob.machineId)
    const stream = await connection.openStream('direct')
    await stream.send(text('hello'))
    await stream.closeWrite()
    expect(textOf(await stream.read())).toBe('hello')
    expect(await stream.read()).toBeUndefined()
    await waitUntil(() => bob.getConnection(alice.machineId) !== undefined, 'bob connects')
    expect(await connection.ping()).toBeGreaterThanOrEqual(0)
  })
})
