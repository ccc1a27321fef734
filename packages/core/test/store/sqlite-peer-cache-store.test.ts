import { join } from 'node:path'
import { VirtualClock } from '@x0x/base'
import { createPeerCache, type PeerCacheRecord } from '@x0x/transport'
import { describe, expect, it } from 'vitest'
import { openDatabase, openMemoryDatabase } from '../../src/store/database.js'
import { createSqlitePeerCacheStore } from '../../src/store/sqlite-peer-cache-store.js'
import { testId, testMachineId, useTemporaryDirectory } from './temporary-directory.js'

function record(index: number, overrides: Partial<PeerCacheRecord> = {}): PeerCacheRecord {
  return {
    machineId: testMachineId(index),
    addresses: [
      { host: '192.0.2.1', port: 5483 + index, lastSuccessAt: 1_000 },
      { host: '2001:db8::1', port: 5483, lastSuccessAt: 900 },
    ],
    successes: 3,
    failures: 1,
    consecutiveFailures: 0,
    reliability: 0.75,
    rttMs: 42.5,
    lastSuccessAt: 1_000,
    lastFailureAt: undefined,
    ...overrides,
  }
}

describe('createSqlitePeerCacheStore', () => {
  const directory = useTemporaryDirectory()

  it('loads undefined before the first save, and an empty list after saving none', async () => {
    const database = openMemoryDatabase()
    const store = createSqlitePeerCacheStore(database)
    await expect(store.load()).resolves.toBeUndefined()
    await store.save([])
    await expect(store.load()).resolves.toEqual({ records: [], skipped: 0 })
    database.close()
  })

  it('round-trips records through close and reopen, each save replacing the last', async () => {
    const path = join(directory(), 'x0x.sqlite')
    const first = openDatabase(path)
    const records = [record(1), record(2, { rttMs: undefined, lastFailureAt: 2_000 })]
    await createSqlitePeerCacheStore(first).save([record(9)])
    await createSqlitePeerCacheStore(first).save(records)
    first.close()
    const second = openDatabase(path)
    await expect(createSqlitePeerCacheStore(second).load()).resolves.toEqual({
      records,
      skipped: 0,
    })
    second.close()
  })

  it('skips and counts rows that are not valid records, and bounds peers and addresses', async () => {
    const database = openMemoryDatabase()
    const store = createSqlitePeerCacheStore(database, { maxPeers: 3, maxAddressesPerPeer: 1 })
    await store.save([record(1), record(2), record(3), record(4)])
    database.statement("UPDATE peer_cache SET addresses = '[{}]' WHERE rowid = 2").run()
    database.statement('UPDATE peer_cache SET reliability = 7 WHERE rowid = 3').run()
    const snapshot = await store.load()
    expect(snapshot?.records.map((peer) => peer.machineId)).toEqual([testId(1)])
    expect(snapshot?.records[0]?.addresses).toHaveLength(1)
    expect(snapshot?.skipped).toBe(3) // two invalid, one beyond maxPeers
    database.close()
  })

  it('fails with PeerCacheIoError when the database is closed', async () => {
    const database = openMemoryDatabase()
    const store = createSqlitePeerCacheStore(database)
    database.close()
    await expect(store.load()).rejects.toMatchObject({ name: 'PeerCacheIoError' })
    await expect(store.save([record(1)])).rejects.toMatchObject({ name: 'PeerCacheIoError' })
  })

  it('backs the transport peer cache across a restart', async () => {
    const path = join(directory(), 'x0x.sqlite')
    const clock = new VirtualClock({ startTime: 1_700_000_000_000 })
    const database = openDatabase(path)
    const cache = createPeerCache({}, { store: createSqlitePeerCacheStore(database), clock })
    cache.recordSuccess(testMachineId(7), { host: '198.51.100.7', port: 5483 }, 30)
    await cache.close()
    database.close()

    const reopened = openDatabase(path)
    const restored = createPeerCache({}, { store: createSqlitePeerCacheStore(reopened), clock })
    await expect(restored.load()).resolves.toEqual({ loaded: 1, skipped: 0 })
    expect(restored.best(5).map((entry) => entry.machineId)).toEqual([testId(7)])
    await restored.close()
    reopened.close()
  })
})
