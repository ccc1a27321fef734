// Behaviour of the patched @matrixai/quic 2.0.9 (patches/@matrixai__quic@2.0.9.patch) that the
// transport relies on: every hunk of the patch (recv lock, coalesced sends, direct socket sends,
// timer reuse, writer wake-ups, config, socket buffers) runs under these tests.
import dgram from 'node:dgram'
import { once } from 'node:events'
import {
  QUICClient,
  QUICServer,
  QUICSocket,
  errors,
  events,
  native,
  type QUICConnection,
  type QUICStream,
  type QUICServerConfigInput,
} from '@matrixai/quic'
import { silentLogger } from '@x0x/base'
import { generateMlDsa65KeyPair } from '@x0x/pqc'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveTransportLimits } from '../src/index.js'
import { createEd25519Certificate } from '../src/quic/certificate.js'
import {
  clientCrypto,
  createLibraryLogger,
  createQuicConfig,
  createServerCrypto,
} from '../src/quic/quic-library.js'
import { createMachineCertificate } from '../src/quic/certificate.js'

const logger = createLibraryLogger(silentLogger.forComponent('test'))
const limits = resolveTransportLimits({ idleTimeoutMs: 5_000, keepaliveIntervalMs: 1_000 })
const cleanups: (() => Promise<unknown>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined)
})

type Verdict = (certificates: Uint8Array[]) => boolean
/** Options to change, `undefined` to drop one (keepalive off). */
type ConfigOverrides = Record<string, unknown>

function config(accept: Verdict = () => true, overrides: ConfigOverrides = {}) {
  const certificate = createMachineCertificate(generateMlDsa65KeyPair(), Date.now())
  const verifyCallback = (certificates: Uint8Array[]) =>
    Promise.resolve(accept(certificates) ? undefined : native.CryptoError.BadCertificate)
  return {
    ...createQuicConfig(limits, certificate, verifyCallback),
    ...overrides,
  } as QUICServerConfigInput
}

/** A server on its own socket whose connections echo every stream. */
async function echoServer(
  options: { accept?: Verdict; overrides?: ConfigOverrides; socket?: QUICSocket } = {},
) {
  const server = new QUICServer({
    crypto: createServerCrypto(),
    config: config(options.accept, options.overrides),
    logger,
    ...(options.socket === undefined ? {} : { socket: options.socket }),
  })
  const connections: QUICConnection[] = []
  server.addEventListener(events.EventQUICServerConnection.name, (event: Event) => {
    const connection = (event as CustomEvent<QUICConnection>).detail
    connections.push(connection)
    connection.addEventListener(events.EventQUICConnectionStream.name, (streamEvent: Event) => {
      const stream = (streamEvent as CustomEvent<QUICStream>).detail
      stream.readable.pipeTo(stream.writable).catch(() => undefined)
    })
  })
  await server.start({ host: '127.0.0.1', port: 0 })
  cleanups.push(() => server.stop({ force: true }))
  return { server, connections }
}

async function dial(
  port: number,
  options: {
    accept?: Verdict
    overrides?: ConfigOverrides
    socket?: QUICSocket
    timer?: number
  } = {},
): Promise<QUICClient> {
  const client = await QUICClient.createQUICClient(
    {
      host: '127.0.0.1',
      port,
      localHost: '127.0.0.1',
      crypto: clientCrypto,
      config: config(options.accept, options.overrides),
      logger,
      ...(options.socket === undefined ? {} : { socket: options.socket }),
    },
    { timer: options.timer ?? 5_000 },
  )
  cleanups.push(() => client.destroy({ force: true }))
  return client
}

/** Writes `data` while reading the echo (an echo larger than the flow windows would deadlock). */
async function roundTrip(connection: QUICConnection, data: Uint8Array): Promise<Buffer> {
  const stream = connection.newStream()
  const writer = stream.writable.getWriter()
  const writing = writer.write(data).then(() => writer.close())
  const chunks: Uint8Array[] = []
  for await (const chunk of stream.readable) chunks.push(chunk)
  await writing
  return Buffer.concat(chunks)
}

/** Byte equality; vitest's deep equality takes seconds on buffers of this size. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length)
  expect(Buffer.compare(actual, expected)).toBe(0)
}

async function startSocket(): Promise<QUICSocket> {
  const socket = new QUICSocket({ logger })
  await socket.start({ host: '127.0.0.1', port: 0 })
  cleanups.push(() => socket.stop({ force: true }))
  return socket
}

describe('patched @matrixai/quic', () => {
  it('echoes on a stream and shows each side the other’s certificate and address', async () => {
    const { server, connections } = await echoServer()
    const client = await dial(server.port)
    const data = Buffer.alloc(200_000, 7)
    expectSameBytes(await roundTrip(client.connection, data), data)
    expect(connections).toHaveLength(1)
    expect(client.connection.getRemoteCertsChain()).toHaveLength(1)
    expect(connections[0]!.getRemoteCertsChain()).toHaveLength(1)
    expect(client.connection.remotePort).toBe(server.port)
    expect(connections[0]!.remotePort).toBe(client.localPort)
  })

  it('closes gracefully from the client and from the server', async () => {
    const { server, connections } = await echoServer()
    const client = await dial(server.port)
    await roundTrip(client.connection, Buffer.from('hi'))
    const stopped = once(connections[0]!, events.EventQUICConnectionStopped.name)
    await client.destroy({ force: false })
    await stopped
    const second = await dial(server.port)
    await roundTrip(second.connection, Buffer.from('x'))
    const closed = once(second, events.EventQUICClientClose.name)
    await connections[1]!.stop({ isApp: true, errorCode: 7, force: false })
    const [event] = (await closed) as [events.EventQUICClientClose]
    expect(event.detail).toBeInstanceOf(errors.ErrorQUICConnectionPeer)
    await second.closedP
  })

  it('times an idle connection out on both sides when keepalive is off', async () => {
    const idle = { maxIdleTimeout: 300, keepAliveIntervalTime: undefined }
    const { server, connections } = await echoServer({ overrides: idle })
    const client = await dial(server.port, { overrides: idle })
    await roundTrip(client.connection, Buffer.from('x'))
    const started = performance.now()
    const [clientError] = (await once(client, events.EventQUICClientError.name)) as [
      events.EventQUICClientError,
    ]
    const [serverError] = (await once(connections[0]!, events.EventQUICConnectionError.name)) as [
      events.EventQUICConnectionError,
    ]
    expect(clientError.detail).toBeInstanceOf(errors.ErrorQUICConnectionIdleTimeout)
    expect(serverError.detail).toBeInstanceOf(errors.ErrorQUICConnectionIdleTimeout)
    expect(performance.now() - started).toBeGreaterThanOrEqual(250)
    await client.closedP
  })

  it('keeps an idle connection alive with keepalives past the idle timeout', async () => {
    const { server } = await echoServer({
      overrides: { maxIdleTimeout: 300, keepAliveIntervalTime: undefined },
    })
    const client = await dial(server.port, {
      overrides: { maxIdleTimeout: 300, keepAliveIntervalTime: 100 },
    })
    let failed = false
    client.addEventListener(events.EventQUICClientError.name, () => {
      failed = true
    })
    // Three idle timeouts pass; only keepalive PINGs (RFC 9000 §19.2) cross the link meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(failed).toBe(false)
    expect((await roundTrip(client.connection, Buffer.from('alive'))).toString()).toBe('alive')
  })

  it('fails the client when the server’s verify callback refuses its certificate', async () => {
    const { server, connections } = await echoServer({ accept: () => false })
    const failure = await dial(server.port)
      .then(async (client) => {
        const [event] = (await once(client, events.EventQUICClientError.name)) as [
          events.EventQUICClientError,
        ]
        return event.detail
      })
      .catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(errors.ErrorQUICConnectionPeerTLS)
    expect(connections).toHaveLength(0)
  })

  it('rejects the dial when the client’s verify callback refuses the server', async () => {
    const { server } = await echoServer()
    await expect(dial(server.port, { accept: () => false })).rejects.toBeInstanceOf(
      errors.ErrorQUICConnectionLocalTLS,
    )
  })

  it('carries more than 100 concurrent streams, and throws at the peer’s stream credit', async () => {
    const { server } = await echoServer({ overrides: { initialMaxStreamsBidi: 300 } })
    const client = await dial(server.port, { overrides: { initialMaxStreamsBidi: 300 } })
    const replies = await Promise.all(
      Array.from({ length: 250 }, (_, index) =>
        roundTrip(client.connection, Buffer.alloc(2000, index)),
      ),
    )
    replies.forEach((reply, index) => {
      expectSameBytes(reply, Buffer.alloc(2000, index))
    })
    const limited = await echoServer({ overrides: { initialMaxStreamsBidi: 5 } })
    const small = await dial(limited.server.port)
    const open = Array.from({ length: 5 }, () => small.connection.newStream())
    expect(() => small.connection.newStream()).toThrow(errors.ErrorQUICStreamLimit)
    for (const stream of open) stream.cancel()
  })

  it('gives up a dial to a silent UDP port at the ctx timer', async () => {
    const silent = dgram.createSocket('udp4')
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve))
    cleanups.push(
      () =>
        new Promise((resolve) => {
          silent.close(() => {
            resolve(undefined)
          })
        }),
    )
    const started = performance.now()
    await expect(dial(silent.address().port, { timer: 500 })).rejects.toBeInstanceOf(
      errors.ErrorQUICClientCreateTimeout,
    )
    expect(performance.now() - started).toBeLessThan(3_000)
  })

  it('listens and dials on one socket: two nodes dial each other from their listening ports', async () => {
    const [socketA, socketB] = await Promise.all([startSocket(), startSocket()])
    const a = await echoServer({ socket: socketA })
    const b = await echoServer({ socket: socketB })
    const fromA = await dial(socketB.port, { socket: socketA })
    const fromB = await dial(socketA.port, { socket: socketB })
    expect(fromA.localPort).toBe(socketA.port)
    expect((await roundTrip(fromA.connection, Buffer.from('a->b'))).toString()).toBe('a->b')
    expect((await roundTrip(fromB.connection, Buffer.from('b->a'))).toString()).toBe('b->a')
    expect(b.connections[0]!.remotePort).toBe(socketA.port)
    expect(a.connections[0]!.remotePort).toBe(socketB.port)
  })

  it('sends raw UDP from the QUIC port, ignores non-QUIC datagrams, and enlarges socket buffers', async () => {
    const socket = await startSocket()
    await echoServer({ socket })
    const peer = dgram.createSocket('udp4')
    await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', resolve))
    cleanups.push(
      () =>
        new Promise((resolve) => {
          peer.close(() => {
            resolve(undefined)
          })
        }),
    )
    const received = once(peer, 'message')
    await socket.send(Buffer.from('punch'), peer.address().port, '127.0.0.1')
    const [message, remote] = (await received) as [Buffer, dgram.RemoteInfo]
    expect(message.toString()).toBe('punch')
    expect(remote.port).toBe(socket.port)
    peer.send(Buffer.from('not quic'), socket.port, '127.0.0.1')
    const client = await dial(socket.port)
    expect((await roundTrip(client.connection, Buffer.from('ok'))).toString()).toBe('ok')
    // The patch asks for 4 MiB; the kernel may cap it, but never leaves the ~208 KiB default.
    const udp = (socket as unknown as { socket: dgram.Socket }).socket
    expect(udp.getRecvBufferSize()).toBeGreaterThan(256 * 1024)
  })

  it('accepts the options the patch passes to quiche (windows, congestion control)', async () => {
    const overrides = { ccAlgorithm: 'bbr' as const, maxAckDelay: 10, enablePacing: false }
    const { server } = await echoServer({ overrides })
    const client = await dial(server.port, { overrides })
    const data = Buffer.alloc(3 * 1024 * 1024, 1)
    expectSameBytes(await roundTrip(client.connection, data), data)
    expect(createEd25519Certificate([], Date.now()).certPem).toMatch(/BEGIN CERTIFICATE/)
  })
})
