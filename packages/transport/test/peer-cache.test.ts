import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VirtualClock, createRandom, memoryLogger, toHex } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPeerCache } from '../src/bootstrap/peer-cache.js'
import {
  createFilePeerCacheStore,
  createMemoryPeerCacheStore,
} from '../src/bootstrap/peer-cache-store.js'
import { decodePeerCacheFile, encodePeerCacheFile } from '../src/bootstrap/peer-cache-codec.js'

const random = createRandom(7)
const machineId = (): MachineId => toHex(random.bytes(32)) as MachineId
const at = (last: number) => ({ host: `10.0.0.${last}`, port: 5483 })

let directory: string
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'x0x-peer-cache-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

describe('peer cache scoring and bounds', () => {
  it('ranks a reliable, fast peer above one whose dials fail', () => {
    const clock = new VirtualClock()
    const cache = createPeerCache({}, { clock })
    const good = machineId()
    const flaky = machineId()
    cache.recordSuccess(flaky, at(2), 20)
    cache.recordSuccess(good, at(1), 20)
    cache.recordFailure(flaky)
    cache.recordFailure(flaky)
    expect(cache.best(2).map((target) => target.machineId)).toEqual([good, flaky])
    expect(cache.get(good)!.score).toBeGreaterThan(cache.get(flaky)!.score)
  })

  it('prefers a recent success and a lower RTT, all else equal', () => {
    const clock = new VirtualClock()
    const cache = createPeerCache({}, { clock })
    const old = machineId()
    const fresh = machineId()
    const slow = machineId()
    cache.recordSuccess(old, at(1), 20)
    clock.advance(48 * 60 * 60 * 1_000)
    cache.recordSuccess(fresh, at(2), 20)
    cache.recordSuccess(slow, at(3), 900)
    expect(cache.best(3).map((target) => target.machineId)).toEqual([fresh, slow, old])
  })

  it('evicts the lowest-scored peer when maxPeers is reached', () => {
    const cache = createPeerCache({ maxPeers: 3 }, { clock: new VirtualClock() })
    const [a, b, c, d] = [machineId(), machineId(), machineId(), machineId()]
    cache.recordSuccess(a, at(1))
    cache.recordSuccess(b, at(2))
    cache.recordSuccess(c, at(3))
    cache.recordFailure(b)
    cache.recordSuccess(d, at(4))
    expect(cache.size).toBe(3)
    expect(cache.get(b)).toBeUndefined()
    expect(cache.get(d)).toBeDefined()
  })

  it('keeps the most recently successful maxAddressesPerPeer addresses', () => {
    const clock = new VirtualClock()
    const cache = createPeerCache({ maxAddressesPerPeer: 3 }, { clock })
    const peer = machineId()
    for (let index = 1; index <= 5; index++) {
      clock.advance(1)
      cache.recordSuccess(peer, at(index))
    }
    cache.recordSuccess(peer, at(3))
    expect(cache.best(1)[0]!.addresses).toEqual([at(3), at(5), at(4)])
  })

  it('forgets a peer after maxConsecutiveFailures and ignores failures of unknown peers', () => {
    const cache = createPeerCache({ maxConsecutiveFailures: 3 }, { clock: new VirtualClock() })
    const peer = machineId()
    cache.recordFailure(peer)
    expect(cache.size).toBe(0)
    cache.recordSuccess(peer, at(1))
    cache.recordFailure(peer)
    cache.recordFailure(peer)
    expect(cache.get(peer)?.consecutiveFailures).toBe(2)
    cache.recordFailure(peer)
    expect(cache.get(peer)).toBeUndefined()
  })

  it('ignores invalid addresses and excludes peers on request', () => {
    const cache = createPeerCache({}, { clock: new VirtualClock() })
    const [a, b] = [machineId(), machineId()]
    cache.recordSuccess(a, { host: 'not a host!', port: 1 })
    cache.recordSuccess(a, { host: '10.0.0.1', port: 0 })
    expect(cache.size).toBe(0)
    cache.recordSuccess(a, at(1))
    cache.recordSuccess(b, at(2))
    expect(cache.best(5, { exclude: (id) => id === a }).map((t) => t.machineId)).toEqual([b])
    expect(cache.remove(b)).toBe(true)
    expect(cache.remove(b)).toBe(false)
  })

  it('never exceeds its bounds under any sequence of outcomes (property)', () => {
    const ids = Array.from({ length: 12 }, machineId)
    const operation = fc.record({
      peer: fc.integer({ min: 0, max: 11 }),
      success: fc.boolean(),
      address: fc.integer({ min: 1, max: 20 }),
      rtt: fc.option(fc.double({ min: 0, max: 5_000, noNaN: true }), { nil: undefined }),
      elapsed: fc.integer({ min: 0, max: 10_000_000 }),
    })
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 200 }), (operations) => {
        const clock = new VirtualClock()
        const cache = createPeerCache({ maxPeers: 5, maxAddressesPerPeer: 2 }, { clock })
        for (const { peer, success, address, rtt, elapsed } of operations) {
          clock.advance(elapsed)
          const id = ids[peer]!
          if (success) cache.recordSuccess(id, at(address), rtt)
          else cache.recordFailure(id)
        }
        const entries = cache.entries()
        expect(entries.length).toBeLessThanOrEqual(5)
        for (let index = 0; index < entries.length; index++) {
          const entry = entries[index]!
          expect(entry.addresses.length).toBeLessThanOrEqual(2)
          expect(entry.score).toBeGreaterThanOrEqual(0)
          expect(entry.score).toBeLessThanOrEqual(1)
          if (index > 0) expect(entry.score).toBeLessThanOrEqual(entries[index - 1]!.score)
        }
      }),
      { seed: 42, numRuns: 200 },
    )
  })
})

describe('peer cache persistence', () => {
  it('round-trips through the file store, written with mode 0600', async () => {
    const path = join(directory, 'nested', 'peer-cache.json')
    const clock = new VirtualClock({ startTime: 1_000_000 })
    const first = createPeerCache({}, { clock, store: createFilePeerCacheStore({ path }) })
    const [a, b] = [machineId(), machineId()]
    first.recordSuccess(a, at(1), 30)
    first.recordSuccess(b, { host: 'fd00::2', port: 9000 })
    first.recordFailure(b)
    await first.close()
    expect((await stat(path)).mode & 0o777).toBe(0o600)

    const second = createPeerCache({}, { clock, store: createFilePeerCacheStore({ path }) })
    expect(await second.load()).toEqual({ loaded: 2, skipped: 0 })
    expect(second.entries()).toEqual(first.entries())
  })

  it('coalesces changes into one save saveDelayMs after the first', async () => {
    const clock = new VirtualClock()
    const store = createMemoryPeerCacheStore()
    const cache = createPeerCache({ saveDelayMs: 5_000 }, { clock, store })
    cache.recordSuccess(machineId(), at(1))
    clock.advance(4_000)
    cache.recordSuccess(machineId(), at(2))
    clock.advance(999)
    await Promise.resolve()
    expect(store.saves).toBe(0)
    clock.advance(1)
    await cache.flush() // waits for the save the timer started; nothing new to write
    expect(store.saves).toBe(1)
    expect(store.records).toHaveLength(2)
    expect(clock.pendingTimers).toBe(0)
  })

  it.each([
    ['garbage', 'not json at all {'],
    ['the wrong version', JSON.stringify({ version: 99, peers: [] })],
    ['no peers array', JSON.stringify({ version: 1, peers: 'x' })],
    ['deep nesting', '['.repeat(200_000) + ']'.repeat(200_000)],
  ])('starts empty with a logged warning on a file with %s', async (_what, text) => {
    const path = join(directory, 'peer-cache.json')
    await writeFile(path, text)
    const logger = memoryLogger()
    const cache = createPeerCache({}, { store: createFilePeerCacheStore({ path }), logger })
    const result = await cache.load()
    expect(result.error?.name).toBe('PeerCacheCorruptError')
    expect(cache.size).toBe(0)
    expect(logger.entries.some((entry) => entry.level === 'warn')).toBe(true)
  })

  it('refuses a file over maxFileBytes without reading it', async () => {
    const path = join(directory, 'peer-cache.json')
    await writeFile(path, ' '.repeat(2_000))
    const cache = createPeerCache(
      {},
      { store: createFilePeerCacheStore({ path, maxFileBytes: 1_000 }) },
    )
    expect((await cache.load()).error?.name).toBe('PeerCacheTooLargeError')
  })

  it('skips hostile entries and keeps at most maxPeers valid ones', () => {
    const good = (id: string, host = '10.0.0.1') => ({
      machineId: id,
      addresses: [{ host, port: 5483, lastSuccessAt: 1 }],
      successes: 1,
      failures: 0,
      consecutiveFailures: 0,
      reliability: 0.65,
      lastSuccessAt: 1,
    })
    const ids = [machineId(), machineId(), machineId()]
    const text = JSON.stringify({
      version: 1,
      peers: [
        good('ABC'),
        { ...good(ids[0]!), reliability: 7 },
        { ...good(ids[0]!), successes: -1 },
        good(ids[0]!, 'evil host'),
        { ...good(ids[0]!), addresses: [] },
        { ...good(ids[0]!), __proto__: { polluted: true } },
        good(ids[0]!),
        good(ids[0]!),
        good(ids[1]!),
        good(ids[2]!),
        null,
      ],
    })
    const decoded = decodePeerCacheFile(text, { maxPeers: 2, maxAddressesPerPeer: 8 })
    expect(decoded.records.map((record) => record.machineId)).toEqual([ids[0], ids[1]])
    expect(decoded.skipped).toBe(9)
    expect(Object.prototype).not.toHaveProperty('polluted')
  })

  it('decodes what it encodes (property)', () => {
    const record = fc.record({
      machineId: fc
        .uint8Array({ minLength: 32, maxLength: 32 })
        .map((bytes) => toHex(bytes) as MachineId),
      addresses: fc.array(
        fc.record({
          host: fc.ipV4(),
          port: fc.integer({ min: 1, max: 65_535 }),
          lastSuccessAt: fc.nat(),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      successes: fc.nat(),
      failures: fc.nat(),
      consecutiveFailures: fc.nat(),
      reliability: fc.double({ min: 0, max: 1, noNaN: true }),
      rttMs: fc.option(fc.double({ min: 0, max: 60_000, noNaN: true }), { nil: undefined }),
      lastSuccessAt: fc.nat(),
      lastFailureAt: fc.option(fc.nat(), { nil: undefined }),
    })
    fc.assert(
      fc.property(
        fc.uniqueArray(record, { selector: (r) => r.machineId, maxLength: 10 }),
        (records) => {
          const decoded = decodePeerCacheFile(encodePeerCacheFile(records, 0), {
            maxPeers: 10,
            maxAddressesPerPeer: 8,
          })
          expect(decoded.skipped).toBe(0)
          expect(JSON.stringify(decoded.records)).toBe(JSON.stringify(records))
        },
      ),
      { seed: 42, numRuns: 100 },
    )
  })

  it('leaves no temporary file behind after saving', async () => {
    const path = join(directory, 'peer-cache.json')
    const store = createFilePeerCacheStore({ path })
    await store.save([])
    await store.save([])
    const text = await readFile(path, 'utf8')
    expect(JSON.parse(text)).toMatchObject({ version: 1, peers: [] })
    const { readdir } = await import('node:fs/promises')
    expect(await readdir(directory)).toEqual(['peer-cache.json'])
  })
})
