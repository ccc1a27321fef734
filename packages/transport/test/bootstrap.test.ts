import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  TypedEventTarget,
  VirtualClock,
  createRandom,
  errorFromSignal,
  once,
  toHex,
} from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBootstrap, type BootstrapRoundResult } from '../src/bootstrap/bootstrap.js'
import { formatPeerAddress } from '../src/bootstrap/peer-address-text.js'
import { createPeerCache } from '../src/bootstrap/peer-cache.js'
import { createFilePeerCacheStore } from '../src/bootstrap/peer-cache-store.js'
import { DialError } from '../src/errors.js'
import { createMemoryNetwork, type MemoryNetwork } from '../src/index.js'
import type {
  AbortOptions,
  Connection,
  DialTarget,
  Transport,
  TransportEvents,
} from '../src/transport.js'
import { driveClock, type ClockDriver } from './clock-driver.js'

/** A transport whose dials fail at once, or hang until aborted: for timing tests. */
class UnreachableTransport extends TypedEventTarget<TransportEvents> implements Transport {
  readonly machineId = toHex(new Uint8Array(32).fill(1)) as MachineId
  readonly listenAddresses = [{ host: '10.9.9.9', port: 5483 }]
  readonly dials: DialTarget[] = []
  readonly hang: boolean
  constructor(hang = false) {
    super()
    this.hang = hang
  }
  start(): Promise<void> {
    return Promise.resolve()
  }
  stop(): Promise<void> {
    return Promise.resolve()
  }
  dial(target: DialTarget, options: AbortOptions = {}): Promise<Connection> {
    this.dials.push(target)
    if (!this.hang) return Promise.reject(new DialError('unreachable'))
    return new Promise((_resolve, reject) => {
      options.signal?.addEventListener('abort', () => {
        reject(errorFromSignal(options.signal))
      })
    })
  }
  getConnection(): Connection | undefined {
    return undefined
  }
  getConnections(): readonly Connection[] {
    return []
  }
  handle(): void {}
  unhandle(): void {}
}

describe('bootstrap backoff (virtual clock, no network)', () => {
  async function roundTimes(jitter: number, seed: number, rounds: number): Promise<number[]> {
    const clock = new VirtualClock()
    const transport = new UnreachableTransport()
    const bootstrap = createBootstrap(
      { seeds: ['192.0.2.1:5483'], initialBackoffMs: 1_000, maxBackoffMs: 5_000, jitter },
      { transport, clock, random: createRandom(seed) },
    )
    const times: number[] = []
    bootstrap.addEventListener('round:complete', () => times.push(clock.now()))
    bootstrap.start()
    while (times.length < rounds) await clock.runNextAsync()
    await bootstrap.stop()
    expect(clock.pendingTimers).toBe(0)
    expect(transport.dials).toHaveLength(rounds)
    return times
  }

  it('doubles the delay after each failed round up to maxBackoffMs', async () => {
    expect(await roundTimes(0, 1, 6)).toEqual([0, 1_000, 3_000, 7_000, 12_000, 17_000])
  })

  it('draws each delay from [1 − jitter, 1] × the backoff, reproducibly from the seed', async () => {
    const times = await roundTimes(0.5, 3, 6)
    const delays = times.slice(1).map((time, index) => time - times[index]!)
    const bases = [1_000, 2_000, 4_000, 5_000, 5_000]
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(bases[index]! / 2)
      expect(delay).toBeLessThanOrEqual(bases[index]!)
    })
    expect(new Set(delays).size).toBeGreaterThan(1)
    expect(await roundTimes(0.5, 3, 6)).toEqual(times)
  })

  it('stop aborts dials in flight and clears every timer', async () => {
    const clock = new VirtualClock()
    const transport = new UnreachableTransport(true)
    const bootstrap = createBootstrap(
      { seeds: ['192.0.2.1:5483', '[2001:db8::1]:5483'] },
      { transport, clock },
    )
    const failures: unknown[] = []
    bootstrap.addEventListener('target:fail', (event) => failures.push(event.detail))
    bootstrap.start()
    await Promise.resolve()
    expect(transport.dials).toHaveLength(2)
    await bootstrap.stop()
    expect(clock.pendingTimers).toBe(0)
    expect(failures).toEqual([])
    expect(bootstrap.stats).toMatchObject({ attempts: 2, successes: 0, failures: 0 })
  })

  it('rejects malformed seeds at creation', () => {
    const transport = new UnreachableTransport()
    for (const seed of ['no-port', '1.2.3.4:0', '1.2.3.4:70000', '[1.2.3.4]:5', 'fd00::1:5483']) {
      expect(() => createBootstrap({ seeds: [seed] }, { transport })).toThrow(
        expect.objectContaining({ name: 'InvalidPeerAddressError' }),
      )
    }
  })
})

describe('bootstrap on MemoryTransport', () => {
  let clock: VirtualClock
  let network: MemoryNetwork
  let driver: ClockDriver
  let directory: string

  beforeEach(async () => {
    clock = new VirtualClock({ startTime: 1_700_000_000_000 })
    network = createMemoryNetwork({ seed: 5, link: { latencyMs: 10, jitterMs: 2 } }, { clock })
    driver = driveClock(clock)
    directory = await mkdtemp(join(tmpdir(), 'x0x-bootstrap-'))
  })
  afterEach(async () => {
    await network.stop()
    await network.flush()
    driver.stop()
    await rm(directory, { recursive: true, force: true })
  })

  const nextRound = (
    bootstrap: ReturnType<typeof createBootstrap>,
  ): Promise<BootstrapRoundResult> => once(bootstrap, 'round:complete')

  it('dials host:port seeds and caches the machines that answered, with an RTT', async () => {
    const [seedA, seedB, node] = [
      network.createTransport(),
      network.createTransport(),
      network.createTransport(),
    ]
    await Promise.all([seedA.start(), seedB.start(), node.start()])
    const peerCache = createPeerCache({}, { clock })
    const bootstrap = createBootstrap(
      {
        seeds: [
          formatPeerAddress(seedA.listenAddresses[0]!),
          { address: seedB.listenAddresses[0]!, machineId: seedB.machineId },
        ],
      },
      { transport: node, peerCache, clock },
    )
    const round = nextRound(bootstrap)
    bootstrap.start()
    expect(await round).toMatchObject({
      attempted: 2,
      succeeded: 2,
      failed: 0,
      nextRoundInMs: undefined,
    })
    expect(new Set(node.getConnections().map((c) => c.remoteMachineId))).toEqual(
      new Set([seedA.machineId, seedB.machineId]),
    )
    expect(peerCache.get(seedA.machineId)?.addresses).toEqual([
      { ...seedA.listenAddresses[0]!, lastSuccessAt: expect.any(Number) as number },
    ])
    expect(peerCache.get(seedA.machineId)?.rttMs).toBeGreaterThan(0)
    expect(bootstrap.stats).toMatchObject({
      rounds: 1,
      attempts: 2,
      successes: 2,
      failures: 0,
      connected: 2,
    })
    await bootstrap.stop()
  })

  it('reconnects from the cache file alone after a restart', async () => {
    const path = join(directory, 'peer-cache.json')
    const seeds = [network.createTransport(), network.createTransport()]
    const first = network.createTransport()
    await Promise.all([...seeds, first].map((transport) => transport.start()))
    const firstCache = createPeerCache({}, { clock, store: createFilePeerCacheStore({ path }) })
    const firstBootstrap = createBootstrap(
      { seeds: seeds.map((seed) => formatPeerAddress(seed.listenAddresses[0]!)) },
      { transport: first, peerCache: firstCache, clock },
    )
    firstBootstrap.start()
    expect((await nextRound(firstBootstrap)).succeeded).toBe(2)
    await firstBootstrap.stop()
    await firstCache.close()
    const { machineId, listenAddresses } = first
    await first.stop()

    const restarted = network.createTransport({ machineId, address: listenAddresses[0]! })
    await restarted.start()
    const cache = createPeerCache({}, { clock, store: createFilePeerCacheStore({ path }) })
    expect(await cache.load()).toEqual({ loaded: 2, skipped: 0 })
    const bootstrap = createBootstrap({}, { transport: restarted, peerCache: cache, clock })
    bootstrap.start()
    expect(await nextRound(bootstrap)).toMatchObject({ attempted: 2, succeeded: 2 })
    expect(restarted.getConnections()).toHaveLength(2)
    await bootstrap.stop()
    await cache.close()
  })

  it('learns the addresses of inbound connections', async () => {
    const [node, visitor] = [network.createTransport(), network.createTransport()]
    await Promise.all([node.start(), visitor.start()])
    const peerCache = createPeerCache({}, { clock })
    const bootstrap = createBootstrap({ minConnections: 0 }, { transport: node, peerCache, clock })
    bootstrap.start()
    const accepted = once(node, 'peer:connect')
    await visitor.dial({ machineId: node.machineId, addresses: node.listenAddresses })
    await accepted
    expect(peerCache.get(visitor.machineId)?.successes).toBe(1)
    await bootstrap.stop()
  })

  it('runs again when the last connection drops, and rejoins once the seed is back', async () => {
    const seed = network.createTransport()
    const node = network.createTransport()
    await Promise.all([seed.start(), node.start()])
    const { machineId, listenAddresses } = seed
    const peerCache = createPeerCache({ maxConsecutiveFailures: 1_000 }, { clock })
    const bootstrap = createBootstrap(
      { seeds: [formatPeerAddress(listenAddresses[0]!)], dialTimeoutMs: 2_000 },
      { transport: node, peerCache, clock },
    )
    bootstrap.start()
    expect((await nextRound(bootstrap)).succeeded).toBe(1)
    const failedRound = once(bootstrap, 'round:complete')
    await seed.stop()
    expect(await failedRound).toMatchObject({
      succeeded: 0,
      nextRoundInMs: expect.any(Number) as number,
    })
    const back = network.createTransport({ machineId, address: listenAddresses[0]! })
    await back.start()
    await once(bootstrap, 'round:complete', {
      filter: (result: BootstrapRoundResult) => result.succeeded === 1,
    })
    expect(node.getConnection(machineId)).toBeDefined()
    await bootstrap.stop()
  })
})
