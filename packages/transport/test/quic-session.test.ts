import { X509Certificate, generateKeyPairSync } from 'node:crypto'
import {
  generateMlDsa65KeyPair,
  machineIdFromPublicKey,
  signingContext,
  verifyMlDsa65,
  type MlDsa65KeyPair,
} from '@x0x/pqc'
import { describe, expect, it } from 'vitest'
import {
  createEd25519Certificate,
  createMachineBinding,
  createMachineCertificate,
  verifyMachineCertificate,
} from '../src/quic/certificate.js'
import {
  MACHINE_BINDING_OID,
  PQ_CLIENT_SIGNATURE_CONTEXT,
  PQ_SERVER_SIGNATURE_CONTEXT,
} from '../src/quic/constants.js'
import { FrameOpener, FrameSealer } from '../src/quic/frame-codec.js'
import {
  decodeAccept,
  decodeHello,
  deriveSessionKeys,
  helloTranscript,
  HELLO_BYTES,
} from '../src/quic/session-handshake.js'
import { PreparedHellos } from '../src/quic/prepared-hellos.js'
import { startQuicTransport, targetOf, waitUntil } from './quic-fixtures.js'

const machineKey = generateMlDsa65KeyPair()
const key = new Uint8Array(32).fill(7)
const otherKey = new Uint8Array(32).fill(8)

function rawKeyOf(certificatePem: string): Uint8Array {
  const spki = new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' })
  return new Uint8Array(spki.subarray(spki.length - 32))
}

describe('machine certificates', () => {
  it('carry a binding that proves the machine id, and parse in OpenSSL', () => {
    const certificate = createMachineCertificate(machineKey, Date.now())
    const parsed = new X509Certificate(certificate.certPem)
    expect(parsed.verify(parsed.publicKey)).toBe(true)
    expect(rawKeyOf(certificate.certPem)).toEqual(certificate.certificateKey)
    const verified = verifyMachineCertificate(certificate.certDer, Date.now())
    expect(verified.machineId).toBe(machineIdFromPublicKey(machineKey.publicKey))
    expect(verified.certificateKey).toEqual(certificate.certificateKey)
  })

  it('rejects a binding whose signature was tampered with', () => {
    const keyPair = generateKeyPairSync('ed25519')
    const certificate = createMachineCertificate(machineKey, Date.now())
    const binding = createMachineBinding(machineKey, certificate.certificateKey)
    binding[binding.length - 100]! ^= 1
    const tampered = createEd25519Certificate(
      [{ oid: MACHINE_BINDING_OID, value: binding }],
      Date.now(),
      keyPair,
    )
    expect(() => verifyMachineCertificate(tampered.certDer, Date.now())).toThrow(/does not verify/)
  })

  it('rejects a valid binding made for another certificate key', () => {
    const stolen = createMachineCertificate(machineKey, Date.now())
    const binding = createMachineBinding(machineKey, stolen.certificateKey)
    const forged = createEd25519Certificate(
      [{ oid: MACHINE_BINDING_OID, value: binding }],
      Date.now(),
    )
    expect(() => verifyMachineCertificate(forged.certDer, Date.now())).toThrow(/does not verify/)
  })

  it('rejects a certificate without a binding, and garbage', () => {
    const plain = createEd25519Certificate([], Date.now())
    expect(() => verifyMachineCertificate(plain.certDer, Date.now())).toThrow(/no machine binding/)
    expect(() => verifyMachineCertificate(Uint8Array.of(0x30, 0x84, 1), Date.now())).toThrow(
      /malformed/,
    )
    expect(() => verifyMachineCertificate(new Uint8Array(0), Date.now())).toThrow(/malformed/)
  })
})

describe('sealed frames', () => {
  const frames = [Uint8Array.of(1), new Uint8Array(0), new Uint8Array(5000).fill(3)]

  function wireOf(sealer: FrameSealer, plaintexts: Uint8Array[]): Uint8Array[] {
    return plaintexts.map((plaintext) => sealer.seal(plaintext))
  }

  function openAll(opener: FrameOpener, chunks: Uint8Array[]): Uint8Array[] {
    const opened: Uint8Array[] = []
    for (const chunk of chunks) {
      opener.push(chunk)
      for (let frame = opener.next(); frame !== undefined; frame = opener.next()) opened.push(frame)
    }
    return opened
  }

  it('round-trip in order, however the bytes are chunked', () => {
    const wire = Buffer.concat(wireOf(new FrameSealer(key, 4), frames))
    const chunks = Array.from({ length: Math.ceil(wire.length / 7) }, (_, index) =>
      wire.subarray(index * 7, index * 7 + 7),
    )
    expect(openAll(new FrameOpener(key, 4, 10_000), chunks)).toEqual(frames)
  })

  it('reject a tampered frame', () => {
    const [first] = wireOf(new FrameSealer(key, 0), frames)
    first![6]! ^= 0x40
    expect(() => openAll(new FrameOpener(key, 0, 10_000), [first!])).toThrow(
      expect.objectContaining({ name: 'DecryptionFailedError' }),
    )
  })

  it('reject a replayed frame and reordered frames', () => {
    const [first, second] = wireOf(new FrameSealer(key, 0), frames)
    expect(() => openAll(new FrameOpener(key, 0, 10_000), [first!, first!])).toThrow(
      expect.objectContaining({ name: 'DecryptionFailedError' }),
    )
    expect(() => openAll(new FrameOpener(key, 0, 10_000), [second!, first!])).toThrow(
      expect.objectContaining({ name: 'DecryptionFailedError' }),
    )
  })

  it('reject a frame moved to another stream or sealed with the other direction’s key', () => {
    const [first] = wireOf(new FrameSealer(key, 0), frames)
    expect(() => openAll(new FrameOpener(key, 4, 10_000), [first!])).toThrow(
      expect.objectContaining({ name: 'DecryptionFailedError' }),
    )
    expect(() => openAll(new FrameOpener(otherKey, 0, 10_000), [first!])).toThrow(
      expect.objectContaining({ name: 'DecryptionFailedError' }),
    )
  })

  it('refuse a length prefix over the limit before buffering the frame', () => {
    const opener = new FrameOpener(key, 0, 100)
    opener.push(Uint8Array.of(0, 0, 0, 117))
    expect(() => opener.next()).toThrow(expect.objectContaining({ name: 'FrameTooLargeError' }))
  })
})

describe('session handshake codec', () => {
  it('rejects messages of the wrong size, type or version', () => {
    expect(() => decodeHello(new Uint8Array(HELLO_BYTES - 1))).toThrow(/HELLO must be/)
    expect(() => decodeHello(new Uint8Array(HELLO_BYTES))).toThrow(/expected HELLO/)
    const wrongVersion = new Uint8Array(HELLO_BYTES)
    wrongVersion[0] = 1
    wrongVersion[1] = 9
    expect(() => decodeHello(wrongVersion)).toThrow(/version 9/)
    expect(() => decodeAccept(new Uint8Array(10))).toThrow(/ACCEPT must be/)
  })

  it('derives distinct keys per direction, bound to the transcript', () => {
    const secret = new Uint8Array(32).fill(1)
    const keys = deriveSessionKeys(secret, new Uint8Array(32).fill(2))
    const others = deriveSessionKeys(secret, new Uint8Array(32).fill(3))
    expect(keys.clientToServer).not.toEqual(keys.serverToClient)
    expect(keys.clientToServer).not.toEqual(others.clientToServer)
  })
})

/** A machine key that signs one handshake context with an unrelated key. */
function forgingKey(label: string): MlDsa65KeyPair {
  const real = generateMlDsa65KeyPair()
  const impostor = generateMlDsa65KeyPair()
  const forged = signingContext(label)
  return {
    ...real,
    publicKey: real.publicKey,
    exportSeed: () => real.exportSeed(),
    sign: (message, context) =>
      context !== undefined && Buffer.compare(context, forged) === 0
        ? impostor.sign(message, context)
        : real.sign(message, context),
  }
}

describe('post-quantum handshake over QUIC', () => {
  it('refuses a server whose transcript signature is wrong; nobody reports peer:connect', async () => {
    const client = await startQuicTransport()
    const server = await startQuicTransport({}, forgingKey(PQ_SERVER_SIGNATURE_CONTEXT))
    const connects: string[] = []
    client.addEventListener('peer:connect', () => connects.push('client'))
    server.addEventListener('peer:connect', () => connects.push('server'))
    const error = await client.dial(targetOf(server)).catch((failure: unknown) => failure as Error)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).name).toBe('DialError')
    expect(((error as Error).cause as Error).message).toMatch(/server's transcript signature/)
    await waitUntil(() => server.getConnections().length === 0, 'the server holds nothing')
    expect(connects).toEqual([])
  })

  it('refuses a client whose transcript signature is wrong; nobody reports peer:connect', async () => {
    const client = await startQuicTransport({}, forgingKey(PQ_CLIENT_SIGNATURE_CONTEXT))
    const server = await startQuicTransport()
    const connects: string[] = []
    client.addEventListener('peer:connect', () => connects.push('client'))
    server.addEventListener('peer:connect', () => connects.push('server'))
    const error = await client.dial(targetOf(server)).catch((failure: unknown) => failure as Error)
    expect((error as Error).name).toBe('DialError')
    expect(connects).toEqual([])
    expect(client.getConnections()).toEqual([])
    expect(server.getConnections()).toEqual([])
  })

  it('announces peer:connect on both ends, the server once FINISH confirmed the keys', async () => {
    const [client, server] = await Promise.all([startQuicTransport(), startQuicTransport()])
    const serverConnects: string[] = []
    server.addEventListener('peer:connect', (event) => {
      serverConnects.push(event.detail.remoteMachineId)
    })
    const connection = await client.dial(targetOf(server))
    // The dialler is open after READY (one round trip); the server after FINISH, half a round
    // trip later: the stream the dialler opens meanwhile is held, then delivered.
    server.handle('direct', (stream) => {
      void stream.read().then((frame) => stream.send(frame ?? new Uint8Array(0)))
    })
    const stream = await connection.openStream('direct')
    await stream.send(Uint8Array.of(42))
    expect(await stream.read()).toEqual(Uint8Array.of(42))
    expect(serverConnects).toEqual([client.machineId])
  })

  it('a dialler that closes at once still lets the server announce, then disconnect', async () => {
    const [client, server] = await Promise.all([startQuicTransport(), startQuicTransport()])
    const events: string[] = []
    server.addEventListener('peer:connect', () => events.push('connect'))
    server.addEventListener('peer:disconnect', () => events.push('disconnect'))
    const connection = await client.dial(targetOf(server))
    // The close waits until the server acknowledged FINISH before CONNECTION_CLOSE goes out.
    await connection.close()
    await waitUntil(() => events.length === 2, 'the server reports connect and disconnect')
    expect(events).toEqual(['connect', 'disconnect'])
  })
})

describe('prepared HELLOs', () => {
  const bounds = { maxFrameBytes: 1000, maxStreamsPerKind: 7 }

  it('hand each HELLO out once, signed for the machine, and make the next one on request', async () => {
    const hellos = new PreparedHellos(machineKey, bounds)
    hellos.prepare()
    await new Promise((resolve) => setImmediate(resolve))
    expect(hellos.ready).toBe(true)
    const first = hellos.take()
    expect(hellos.ready).toBe(false)
    const decoded = decodeHello(first.hello)
    expect(decoded).toMatchObject(bounds)
    expect(decoded.kemPublicKey).toEqual(first.kem.publicKey)
    const signed = helloTranscript(machineKey.publicKey, decoded.body)
    const context = signingContext(PQ_CLIENT_SIGNATURE_CONTEXT)
    expect(verifyMlDsa65(machineKey.publicKey, signed, decoded.signature, context)).toBe(true)
    // No refill until asked: making one must not compete with the handshake that took it.
    await new Promise((resolve) => setImmediate(resolve))
    expect(hellos.ready).toBe(false)
    hellos.prepare()
    await new Promise((resolve) => setImmediate(resolve))
    const second = hellos.take()
    expect(second.kem.publicKey).not.toEqual(first.kem.publicKey)
    expect(decodeHello(second.hello).nonce).not.toEqual(decoded.nonce)
    hellos.stop()
    hellos.prepare()
    await new Promise((resolve) => setImmediate(resolve))
    expect(hellos.ready).toBe(false)
    expect(hellos.take().kem.publicKey).toHaveLength(1184)
  })
})
