// The post-quantum session handshake (transport.md §2) between the two runners over an in-memory
// stream pair whose bytes a test can hold back, tamper with or record: the message flow, the
// round trips, and that neither side opens unless the other proved itself.
import type { QUICStream } from '@matrixai/quic'
import { generateMlDsa65KeyPair, ML_DSA_65_SIGNATURE_BYTES } from '@x0x/pqc'
import { describe, expect, it } from 'vitest'
import { HandshakeError } from '../src/errors.js'
import {
  prepareHello,
  runClientSession,
  runServerSession,
  type SessionSetup,
} from '../src/quic/pq-session.js'
import {
  ACCEPT_BYTES,
  HELLO_BYTES,
  type TranscriptIdentities,
} from '../src/quic/session-handshake.js'

/** A sealed frame of the 22-byte READY or 23-byte FINISH text: length ‖ ciphertext ‖ tag. */
const READY_WIRE_BYTES = 4 + 22 + 16
const FINISH_WIRE_BYTES = 4 + 23 + 16

/** What passes one way: each write, after the tap (undefined: held back, and the end too). */
type Tap = (chunk: Uint8Array, index: number) => Uint8Array | undefined

interface Direction {
  readonly readable: ReadableStream<Uint8Array>
  readonly writable: WritableStream<Uint8Array>
  readonly writes: Uint8Array[]
}

function direction(tap: Tap): Direction {
  const writes: Uint8Array[] = []
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined
  let holding = false
  const readable = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) })
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) => {
      writes.push(chunk.slice())
      const passed = tap(chunk.slice(), writes.length - 1)
      if (passed !== undefined) controller?.enqueue(passed)
      holding ||= passed === undefined
    },
    close: () => {
      if (!holding) controller?.close()
    },
  })
  return { readable, writable, writes }
}

const pass: Tap = (chunk) => chunk

function streamPair(toServer: Tap = pass, toClient: Tap = pass) {
  const up = direction(toServer)
  const down = direction(toClient)
  const asStream = (readable: Direction, writable: Direction): QUICStream =>
    ({
      streamId: 0,
      readable: readable.readable,
      writable: writable.writable,
    }) as unknown as QUICStream
  return { client: asStream(down, up), server: asStream(up, down), up, down }
}

const clientKey = generateMlDsa65KeyPair()
const serverKey = generateMlDsa65KeyPair()
const identities: TranscriptIdentities = {
  clientCertificateKey: new Uint8Array(32).fill(1),
  serverCertificateKey: new Uint8Array(32).fill(2),
  clientMachineKey: clientKey.publicKey,
  serverMachineKey: serverKey.publicKey,
}

function setups(signal: AbortSignal, serverIdentities = identities) {
  const client: SessionSetup = {
    machineKey: clientKey,
    identities,
    bounds: { maxFrameBytes: 1000, maxStreamsPerKind: 7 },
    signal,
  }
  const server: SessionSetup = {
    machineKey: serverKey,
    identities: serverIdentities,
    bounds: { maxFrameBytes: 2000, maxStreamsPerKind: 9 },
    signal,
  }
  return { client, server }
}

const flipLast: Tap = (chunk) => {
  chunk[chunk.length - 1]! ^= 1
  return chunk
}

describe('post-quantum session handshake', () => {
  it('agrees on keys and bounds: HELLO, then ACCEPT and READY in one write, then FINISH', async () => {
    const pair = streamPair()
    const controller = new AbortController()
    const setup = setups(controller.signal)
    const [client, server] = await Promise.all([
      runClientSession(pair.client, setup.client),
      runServerSession(pair.server, setup.server),
    ])
    expect(client.keys).toEqual(server.keys)
    expect(client.keys.clientToServer).not.toEqual(client.keys.serverToClient)
    expect(client.remoteBounds).toMatchObject({ maxFrameBytes: 2000, maxStreamsPerKind: 9 })
    expect(server.remoteBounds).toMatchObject({ maxFrameBytes: 1000, maxStreamsPerKind: 7 })
    expect(pair.up.writes.map((write) => write.length)).toEqual([HELLO_BYTES, FINISH_WIRE_BYTES])
    expect(pair.down.writes.map((write) => write.length)).toEqual([ACCEPT_BYTES + READY_WIRE_BYTES])
  })

  it('opens the client after one round trip: it needs nothing more from the server', async () => {
    // Everything after HELLO is held back: the server never sees FINISH.
    const pair = streamPair((chunk, index) => (index === 0 ? chunk : undefined))
    const controller = new AbortController()
    const setup = setups(controller.signal)
    const server = runServerSession(pair.server, setup.server)
    const client = await runClientSession(pair.client, setup.client)
    expect(client.keys.clientToServer).toHaveLength(32)
    const outcome = await Promise.race([
      server.then(() => 'open'),
      new Promise((resolve) => {
        setTimeout(() => {
          resolve('waiting')
        }, 50)
      }),
    ])
    expect(outcome).toBe('waiting')
    controller.abort(new Error('test over'))
    await expect(server).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('never opens the server on a FINISH that fails to open', async () => {
    const pair = streamPair((chunk, index) => (index === 1 ? flipLast(chunk, index) : chunk))
    const setup = setups(new AbortController().signal)
    const server = runServerSession(pair.server, setup.server)
    await runClientSession(pair.client, setup.client)
    const error = await server.catch((failure: unknown) => failure as Error)
    expect(error).toBeInstanceOf(HandshakeError)
    expect((error as Error).message).toMatch(/FINISH does not open/)
  })

  it('never opens the client on a READY that fails to open', async () => {
    const pair = streamPair(pass, flipLast)
    const controller = new AbortController()
    const setup = setups(controller.signal)
    const server = runServerSession(pair.server, setup.server).catch((error: unknown) => error)
    const error = await runClientSession(pair.client, setup.client).catch(
      (failure: unknown) => failure as Error,
    )
    expect(error).toBeInstanceOf(HandshakeError)
    expect((error as Error).message).toMatch(/READY does not open/)
    controller.abort(new Error('test over'))
    await server
  })

  it('refuses a HELLO whose signature was tampered with, before answering', async () => {
    const pair = streamPair((chunk) => {
      chunk[HELLO_BYTES - ML_DSA_65_SIGNATURE_BYTES + 10]! ^= 1
      return chunk
    })
    const controller = new AbortController()
    const setup = setups(controller.signal)
    const client = runClientSession(pair.client, setup.client).catch((error: unknown) => error)
    await expect(runServerSession(pair.server, setup.server)).rejects.toThrow(
      /client's transcript signature does not verify/,
    )
    expect(pair.down.writes).toEqual([])
    controller.abort(new Error('test over'))
    await client
  })

  it('refuses a HELLO signed by another machine than the one TLS authenticated', async () => {
    const pair = streamPair()
    const controller = new AbortController()
    const setup = setups(controller.signal)
    const impostor = prepareHello(generateMlDsa65KeyPair(), setup.client.bounds)
    const client = runClientSession(pair.client, setup.client, impostor).catch(
      (error: unknown) => error,
    )
    await expect(runServerSession(pair.server, setup.server)).rejects.toThrow(
      /client's transcript signature does not verify/,
    )
    expect(pair.down.writes).toEqual([])
    controller.abort(new Error('test over'))
    await client
  })

  it('opens neither side across a spliced connection (the ends saw other TLS keys)', async () => {
    const pair = streamPair()
    const controller = new AbortController()
    const spliced = { ...identities, serverCertificateKey: new Uint8Array(32).fill(3) }
    const setup = setups(controller.signal, spliced)
    const server = runServerSession(pair.server, setup.server).catch((error: unknown) => error)
    // The server signed a transcript with other TLS keys than the client's: the client refuses
    // it, so no FINISH ever reaches the server.
    await expect(runClientSession(pair.client, setup.client)).rejects.toThrow(
      /server's transcript signature does not verify/,
    )
    expect(pair.up.writes.map((write) => write.length)).toEqual([HELLO_BYTES])
    controller.abort(new Error('test over'))
    expect(await server).toMatchObject({ name: 'AbortError' })
  })

  it('never opens the server on a replayed HELLO: the replayer cannot confirm the keys', async () => {
    const first = streamPair()
    const setup = setups(new AbortController().signal)
    await Promise.all([
      runClientSession(first.client, setup.client),
      runServerSession(first.server, setup.server),
    ])
    const [hello, finish] = first.up.writes as [Uint8Array, Uint8Array]
    // The attacker replays the recorded HELLO and FINISH to a fresh server session.
    const replay = streamPair()
    const server = runServerSession(replay.server, setup.server)
    const writer = replay.client.writable.getWriter()
    await writer.write(hello)
    await writer.write(finish)
    await expect(server).rejects.toThrow(/FINISH does not open/)
  })
})
