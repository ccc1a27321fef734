// QUIC over IPv6: a transport on `::1` or `::` (dual-stack) connects over `::1`, and an IPv4
// dialler reaches a dual-stack listener. Skipped, with the reason, where the host has no IPv6.
import { createSocket } from 'node:dgram'
import { describe, expect, it } from 'vitest'
import type { Connection } from '../src/index.js'
import type { QuicTransport } from '../src/quic/quic-transport.js'
import { echo } from '../src/compliance/harness.js'
import { startQuicTransport, waitUntil } from './quic-fixtures.js'

/**
 * Why a datagram from a `senderType` socket to `to` does not reach a socket bound to `bind`, or
 * undefined if it does: decided at run time, as containers and CI hosts may lack IPv6.
 */
async function probeFailure(
  bind: string,
  senderType: 'udp4' | 'udp6',
  to: string,
): Promise<string | undefined> {
  const receiver = createSocket({ type: 'udp6', ipv6Only: false })
  const sender = createSocket(senderType)
  try {
    return await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => {
        resolve(`no datagram from ${senderType} reached ${bind} within 1 s`)
      }, 1_000)
      const fail = (error: Error): void => {
        clearTimeout(timer)
        resolve(`${bind} from ${senderType}: ${error.message}`)
      }
      receiver.once('error', fail)
      sender.once('error', fail)
      receiver.once('message', () => {
        clearTimeout(timer)
        resolve(undefined)
      })
      receiver.bind(0, bind, () => {
        sender.send('probe', receiver.address().port, to, (error) => {
          if (error !== null) fail(error)
        })
      })
    })
  } finally {
    receiver.close()
    sender.close()
  }
}

const noIpv6 = await probeFailure('::1', 'udp6', '::1')
// A dual-stack socket on `::` (IPV6_V6ONLY off, the kernel's usual default) reached over IPv4.
const noDualStack = noIpv6 ?? (await probeFailure('::', 'udp4', '127.0.0.1'))

async function echoOnce(
  connection: Connection,
  bytes: Uint8Array,
): Promise<Uint8Array | undefined> {
  const stream = await connection.openStream('direct')
  await stream.send(bytes)
  await stream.closeWrite()
  const reply = await stream.read()
  expect(await stream.read()).toBeUndefined()
  return reply
}

function portOf(transport: QuicTransport): number {
  const port = transport.listenAddresses[0]?.port
  if (port === undefined) throw new Error('the transport listens nowhere')
  return port
}

describe('QuicTransport over IPv6', () => {
  it('connects ::1 to a dual-stack :: listener over ::1, both ends authenticated', async (context) => {
    context.skip(noIpv6 !== undefined, `IPv6 loopback unavailable: ${noIpv6}`)
    const [alice, bob] = await Promise.all([
      startQuicTransport({}, undefined, { host: '::1' }),
      startQuicTransport({}, undefined, { host: '::' }),
    ])
    expect(alice.listenAddresses).toEqual([{ host: '::1', port: portOf(alice) }])
    expect(bob.listenAddresses).toContainEqual({ host: '::1', port: portOf(bob) })
    expect(bob.listenAddresses).toContainEqual({ host: '127.0.0.1', port: portOf(bob) })
    bob.handle('direct', echo())
    const connection = await alice.dial({
      machineId: bob.machineId,
      addresses: [{ host: '::1', port: portOf(bob) }],
    })
    expect(connection.remoteMachineId).toBe(bob.machineId)
    expect(connection.remoteAddress).toEqual({ host: '::1', port: portOf(bob) })
    expect(await echoOnce(connection, Uint8Array.of(6, 6))).toEqual(Uint8Array.of(6, 6))
    await waitUntil(() => bob.getConnection(alice.machineId) !== undefined, 'bob connects')
    expect(bob.getConnection(alice.machineId)?.remoteAddress).toEqual({
      host: '::1',
      port: portOf(alice),
    })
  })

  it('refuses a ::1 peer that is not the machine dialled', async (context) => {
    context.skip(noIpv6 !== undefined, `IPv6 loopback unavailable: ${noIpv6}`)
    const [alice, bob, carol] = await Promise.all([
      startQuicTransport({}, undefined, { host: '::1' }),
      startQuicTransport({}, undefined, { host: '::1' }),
      startQuicTransport({}, undefined, { host: '::1' }),
    ])
    const error = await alice
      .dial({ machineId: carol.machineId, addresses: [{ host: '::1', port: portOf(bob) }] })
      .catch((failure: unknown) => failure as Error)
    expect((error as Error).name).toBe('PeerIdentityMismatchError')
    expect(alice.getConnections()).toEqual([])
  })

  it('accepts an IPv4 dialler on a dual-stack :: listener and reports its IPv4 address', async (context) => {
    context.skip(noDualStack !== undefined, `no dual-stack IPv6 socket: ${noDualStack}`)
    const [alice, bob] = await Promise.all([
      startQuicTransport({}, undefined, { host: '127.0.0.1' }),
      startQuicTransport({}, undefined, { host: '::' }),
    ])
    bob.handle('direct', echo())
    const connection = await alice.dial({
      machineId: bob.machineId,
      addresses: [{ host: '127.0.0.1', port: portOf(bob) }],
    })
    expect(connection.remoteMachineId).toBe(bob.machineId)
    expect(await echoOnce(connection, Uint8Array.of(4))).toEqual(Uint8Array.of(4))
    await waitUntil(() => bob.getConnection(alice.machineId) !== undefined, 'bob connects')
    // Not `::ffff:127.0.0.1`: the address an IPv4-only socket can dial back.
    expect(bob.getConnection(alice.machineId)?.remoteAddress).toEqual({
      host: '127.0.0.1',
      port: portOf(alice),
    })
  })
})
