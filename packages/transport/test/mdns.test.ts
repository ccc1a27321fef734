import { VirtualClock, createRandom, once, systemClock, toHex, type Random } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MDNS_MAX_RECORDS_PER_PACKET } from '../src/constants.js'
import {
  decodeDnsMessage,
  encodeDnsMessage,
  type DnsMessage,
} from '../src/discovery/dns-message.js'
import {
  createMdnsDiscovery,
  type MdnsDiscovery,
  type MdnsDiscoveryEvents,
} from '../src/discovery/mdns-discovery.js'
import { advertisementResponse, type MdnsPeer } from '../src/discovery/mdns-records.js'
import {
  createMemoryMdnsBus,
  createUdpMdnsSocket,
  type MemoryMdnsBus,
} from '../src/discovery/mdns-socket.js'
import { createMemoryNetwork, type MemoryNetwork } from '../src/index.js'
import type { TransportEvents } from '../src/transport.js'
import { driveClock, type ClockDriver } from './clock-driver.js'

const SERVICE = '_x0x._udp.local'

function randomMachineId(random: Random): MachineId {
  return toHex(random.bytes(32)) as MachineId
}

describe('DNS message codec', () => {
  it('round-trips an advertisement', () => {
    const machineId = randomMachineId(createRandom(1))
    const message = advertisementResponse(
      {
        serviceType: SERVICE,
        machineId,
        port: 5483,
        hosts: ['192.0.2.7', 'fd00::7'],
        ttlSeconds: 120,
      },
      120,
    )
    expect(decodeDnsMessage(encodeDnsMessage(message))).toEqual(message)
  })

  it('rejects a compression pointer loop', () => {
    // Header with one question whose name is a pointer to itself (offset 12).
    const packet = Uint8Array.of(0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 12, 0, 1)
    expect(() => decodeDnsMessage(packet)).toThrow(expect.objectContaining({ name: 'DecodeError' }))
  })

  it('rejects a packet claiming more than MDNS_MAX_RECORDS_PER_PACKET records', () => {
    const packet = new Uint8Array(12)
    new DataView(packet.buffer).setUint16(6, MDNS_MAX_RECORDS_PER_PACKET + 1)
    expect(() => decodeDnsMessage(packet)).toThrow(/over the limit/)
  })

  it('throws nothing but DecodeError on arbitrary bytes (property)', () => {
    const header = fc.uint8Array({ minLength: 12, maxLength: 12 })
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 600 }), (start, rest) => {
        const packet = new Uint8Array([...start, ...rest])
        // Small counts, so that the body is actually parsed rather than refused by the count check.
        packet[4] = 0
        packet[6] = 0
        packet[8] = 0
        packet[10] = 0
        try {
          decodeDnsMessage(packet)
        } catch (error) {
          expect((error as Error).name).toBe('DecodeError')
        }
      }),
      { seed: 42, numRuns: 2_000 },
    )
  })
})

describe('mDNS discovery on an in-memory multicast bus', () => {
  let clock: VirtualClock
  let network: MemoryNetwork
  let bus: MemoryMdnsBus
  let driver: ClockDriver
  const discoveries: MdnsDiscovery[] = []

  beforeEach(() => {
    clock = new VirtualClock()
    network = createMemoryNetwork({ seed: 9 }, { clock })
    bus = createMemoryMdnsBus({ clock })
    driver = driveClock(clock)
  })
  afterEach(async () => {
    await Promise.all(discoveries.splice(0).map((discovery) => discovery.stop()))
    await network.stop()
    await network.flush()
    driver.stop()
  })

  async function node(autoDial = false) {
    const transport = network.createTransport()
    await transport.start()
    const host = transport.listenAddresses[0]!.host
    const discovery = createMdnsDiscovery(
      { autoDial },
      {
        transport,
        socket: bus.createSocket(host),
        clock,
        random: createRandom(new TextEncoder().encode(host)),
      },
    )
    discoveries.push(discovery)
    return { transport, discovery }
  }

  it('two nodes discover each other with no configuration', async () => {
    const a = await node()
    const b = await node()
    const aFindsB = once(a.discovery, 'peer:discovered', {
      filter: (peer: MdnsPeer) => peer.machineId === b.transport.machineId,
    })
    const bFindsA = once<MdnsDiscoveryEvents, 'peer:discovered'>(b.discovery, 'peer:discovered')
    await a.discovery.start()
    await b.discovery.start()
    expect(await aFindsB).toEqual({
      machineId: b.transport.machineId,
      addresses: b.transport.listenAddresses,
    })
    expect((await bFindsA).machineId).toBe(a.transport.machineId)
    expect(a.discovery.peers().map((peer) => peer.machineId)).toEqual([b.transport.machineId])
    expect(a.discovery).toMatchObject({ advertising: true, browsing: true })
  })

  it('emits each peer once while its addresses stay the same', async () => {
    const a = await node()
    const b = await node()
    await a.discovery.start()
    await b.discovery.start()
    for (let step = 0; step < 100_000 && clock.now() < 10_000; step++) {
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(clock.now()).toBeGreaterThanOrEqual(10_000)
    expect(a.discovery.stats.discovered).toBe(1)
    expect(a.discovery.stats.packetsReceived).toBeGreaterThan(5)
  })

  it('auto-dials discovered peers through the transport', async () => {
    const a = await node(true)
    const b = await node(true)
    const connected = once<TransportEvents, 'peer:connect'>(a.transport, 'peer:connect')
    await a.discovery.start()
    await b.discovery.start()
    expect((await connected).remoteMachineId).toBe(b.transport.machineId)
    await network.flush()
    expect(a.transport.getConnections()).toHaveLength(1)
  })

  it('forgets a peer that says goodbye', async () => {
    const a = await node()
    const b = await node()
    const found = once(a.discovery, 'peer:discovered')
    await a.discovery.start()
    await b.discovery.start()
    await found
    await b.discovery.stop()
    for (let step = 0; step < 100 && a.discovery.peers().length > 0; step++) {
      await new Promise((resolve) => setImmediate(resolve))
    }
    expect(a.discovery.peers()).toEqual([])
  })

  it('drops malformed packets and bounds state under a flood of spoofed peers', async () => {
    const a = await node()
    await a.discovery.start()
    const attacker = bus.createSocket('192.0.2.66')
    await attacker.open(() => undefined)
    const random = createRandom(77)
    for (let index = 0; index < 200; index++) await attacker.send(random.bytes(random.int(100)))
    const flood: DnsMessage[] = Array.from({ length: 400 }, () =>
      advertisementResponse(
        {
          serviceType: SERVICE,
          machineId: randomMachineId(random),
          port: 1,
          hosts: ['192.0.2.66'],
          ttlSeconds: 120,
        },
        120,
      ),
    )
    for (const message of flood) await attacker.send(encodeDnsMessage(message))
    driver.stop()
    await clock.advanceAsync(0) // delivers every datagram sent, without moving time
    driver = driveClock(clock)
    expect(a.discovery.stats.packetsReceived).toBeGreaterThanOrEqual(600)
    expect(a.discovery.stats.packetsRejected).toBeGreaterThanOrEqual(190)
    expect(a.discovery.peers().length).toBeLessThanOrEqual(256)
    await attacker.close()
  })

  it('answers a burst of queries at most once per second', async () => {
    const a = await node()
    await a.discovery.start()
    const prober = bus.createSocket('192.0.2.99')
    let responses = 0
    await prober.open((packet) => {
      if (decodeDnsMessage(packet).response) responses++
    })
    driver.stop()
    await clock.advanceAsync(5_000) // past the two announcements
    responses = 0
    const query = encodeDnsMessage({
      id: 0,
      response: false,
      questions: [{ name: SERVICE, type: 12, unicastResponse: false }],
      answers: [],
      additionals: [],
    })
    for (let index = 0; index < 50; index++) {
      await prober.send(query)
      await clock.advanceAsync(50)
    }
    // 50 queries over 2.5 s of virtual time: at most one answer per second, plus one in flight.
    expect(responses).toBeGreaterThanOrEqual(2)
    expect(responses).toBeLessThanOrEqual(4)
    driver = driveClock(clock)
    await prober.close()
  })
})

/** Whether a datagram sent to the mDNS group on `port` over loopback comes back; else why not. */
async function probeLoopbackMulticast(port: number): Promise<string | undefined> {
  const receiver = createUdpMdnsSocket({ port, interfaceAddress: '127.0.0.1' })
  const sender = createUdpMdnsSocket({ port, interfaceAddress: '127.0.0.1' })
  try {
    const state = { heard: false }
    await receiver.open(() => {
      state.heard = true
    })
    await sender.open(() => undefined)
    await sender.send(Uint8Array.of(0))
    for (let attempt = 0; attempt < 100 && !state.heard; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    return state.heard
      ? undefined
      : 'a datagram to 224.0.0.251 on 127.0.0.1 did not come back within 1 s'
  } catch (error) {
    return `multicast on 127.0.0.1 is unavailable: ${String(error)}`
  } finally {
    await Promise.all([receiver.close(), sender.close()])
  }
}

const REAL_PORT = 40_000 + createRandom(BigInt(process.pid)).int(20_000)
const noMulticast = await probeLoopbackMulticast(REAL_PORT)
if (noMulticast !== undefined) {
  console.warn(`skipping the real-socket mDNS test: ${noMulticast}`)
}

describe('mDNS discovery on real UDP multicast (loopback)', () => {
  it.skipIf(noMulticast !== undefined)(
    'two nodes on one host find each other through 224.0.0.251',
    async () => {
      const network = createMemoryNetwork({ seed: 3 }, { clock: systemClock })
      const [a, b] = [network.createTransport(), network.createTransport()]
      await Promise.all([a.start(), b.start()])
      const make = (transport: typeof a) =>
        createMdnsDiscovery(
          { hosts: ['127.0.0.1'] },
          {
            transport,
            socket: createUdpMdnsSocket({ port: REAL_PORT, interfaceAddress: '127.0.0.1' }),
          },
        )
      const [discoveryA, discoveryB] = [make(a), make(b)]
      const deadline = AbortSignal.timeout(10_000)
      const found = once(discoveryA, 'peer:discovered', {
        signal: deadline,
        filter: (peer: MdnsPeer) => peer.machineId === b.machineId,
      })
      try {
        await discoveryA.start()
        await discoveryB.start()
        expect(await found).toEqual({
          machineId: b.machineId,
          addresses: [{ host: '127.0.0.1', port: b.listenAddresses[0]!.port }],
        })
      } finally {
        await Promise.all([discoveryA.stop(), discoveryB.stop()])
        await network.stop()
      }
    },
  )
})
