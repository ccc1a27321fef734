// The transport's peer cache kept in the core database instead of its own JSON file: one row
// per peer, replaced as a whole in one transaction per save, so a crash leaves the previous save
// or the new one. Rows are validated on load like the file store's JSON (a hand-edited database
// is hostile input too): an invalid row is skipped and counted.
import { throwIfAborted } from '@x0x/base'
import { parseMachineId } from '@x0x/pqc'
import {
  PeerCacheIoError,
  formatPeerAddress,
  parsePeerAddress,
  type AbortOptions,
  type CachedAddress,
  type PeerCacheRecord,
  type PeerCacheSnapshot,
  type PeerCacheStore,
} from '@x0x/transport'
import type { CoreDatabase } from './database.js'
import { nullableNumberColumn, numberColumn, textColumn, type Row } from './rows.js'

/** Peers read at most, as the file store (`DEFAULT_PEER_CACHE_MAX_PEERS`). */
export const DEFAULT_SQLITE_PEER_CACHE_MAX_PEERS = 1_024
/** Addresses read per peer at most (`DEFAULT_PEER_CACHE_MAX_ADDRESSES`). */
export const DEFAULT_SQLITE_PEER_CACHE_MAX_ADDRESSES = 8

/** The metadata key whose presence tells "saved empty" from "never saved". */
const SAVED_AT_KEY = 'peer_cache.saved_at'

const SELECT_SAVED_AT = 'SELECT value FROM store_metadata WHERE key = ?'
const UPSERT_SAVED_AT = `INSERT INTO store_metadata (key, value) VALUES (?, ?)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value`
const SELECT_PEERS = 'SELECT * FROM peer_cache ORDER BY rowid LIMIT ?'
const COUNT_PEERS = 'SELECT count(*) AS count FROM peer_cache'
const DELETE_PEERS = 'DELETE FROM peer_cache'
const INSERT_PEER = `INSERT OR REPLACE INTO peer_cache (machine_id, addresses, successes, failures,
  consecutive_failures, reliability, rtt_ms, last_success_at, last_failure_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`

/** Options of `createSqlitePeerCacheStore`. */
export interface SqlitePeerCacheStoreOptions {
  /** Records read at most. Default: 1,024. */
  maxPeers?: number
  /** Addresses read per record at most. Default: 8. */
  maxAddressesPerPeer?: number
  /** The save time recorded. Default: `Date.now`. */
  now?: () => number
}

/** A `PeerCacheStore` in `database`; see the module comment. */
export function createSqlitePeerCacheStore(
  database: CoreDatabase,
  options: SqlitePeerCacheStoreOptions = {},
): PeerCacheStore {
  const maxPeers = options.maxPeers ?? DEFAULT_SQLITE_PEER_CACHE_MAX_PEERS
  const maxAddresses = options.maxAddressesPerPeer ?? DEFAULT_SQLITE_PEER_CACHE_MAX_ADDRESSES
  const now = options.now ?? Date.now
  return {
    load(abort: AbortOptions = {}): Promise<PeerCacheSnapshot | undefined> {
      throwIfAborted(abort.signal)
      return settle('read', () => {
        if (database.statement(SELECT_SAVED_AT).get(SAVED_AT_KEY) === undefined) return undefined
        const rows = database.statement(SELECT_PEERS).all(maxPeers)
        const total = numberColumn(database.statement(COUNT_PEERS).get() ?? {}, 'count')
        const records: PeerCacheRecord[] = []
        for (const row of rows) {
          const record = recordFromRow(row, maxAddresses)
          if (record !== undefined) records.push(record)
        }
        return { records, skipped: total - records.length }
      })
    },
    save(records: readonly PeerCacheRecord[], abort: AbortOptions = {}): Promise<void> {
      throwIfAborted(abort.signal)
      return settle('write', () => {
        database.transaction(() => {
          database.statement(DELETE_PEERS).run()
          for (const record of records) writeRecord(database, record)
          database.statement(UPSERT_SAVED_AT).run(SAVED_AT_KEY, String(now()))
        })
      })
    },
  }
}

/** Runs synchronous SQLite work behind the store's promise interface and error contract. */
function settle<T>(what: 'read' | 'write', work: () => T): Promise<T> {
  try {
    return Promise.resolve(work())
  } catch (error) {
    return Promise.reject(new PeerCacheIoError(`cannot ${what} the peer cache`, { cause: error }))
  }
}

function writeRecord(database: CoreDatabase, record: PeerCacheRecord): void {
  const addresses = record.addresses.map((address) => ({
    address: formatPeerAddress(address),
    lastSuccessAt: address.lastSuccessAt,
  }))
  database
    .statement(INSERT_PEER)
    .run(
      record.machineId,
      JSON.stringify(addresses),
      record.successes,
      record.failures,
      record.consecutiveFailures,
      record.reliability,
      record.rttMs ?? null,
      record.lastSuccessAt,
      record.lastFailureAt ?? null,
    )
}

function recordFromRow(row: Row, maxAddresses: number): PeerCacheRecord | undefined {
  try {
    const addresses = addressesFromJson(textColumn(row, 'addresses'), maxAddresses)
    const record = {
      machineId: parseMachineId(textColumn(row, 'machine_id')),
      addresses,
      successes: numberColumn(row, 'successes'),
      failures: numberColumn(row, 'failures'),
      consecutiveFailures: numberColumn(row, 'consecutive_failures'),
      reliability: numberColumn(row, 'reliability'),
      rttMs: nullableNumberColumn(row, 'rtt_ms') ?? undefined,
      lastSuccessAt: numberColumn(row, 'last_success_at'),
      lastFailureAt: nullableNumberColumn(row, 'last_failure_at') ?? undefined,
    }
    const valid =
      addresses.length > 0 &&
      [record.successes, record.failures, record.consecutiveFailures].every(isCount) &&
      record.reliability >= 0 &&
      record.reliability <= 1 &&
      (record.rttMs === undefined || isTime(record.rttMs)) &&
      isTime(record.lastSuccessAt) &&
      (record.lastFailureAt === undefined || isTime(record.lastFailureAt))
    return valid ? record : undefined
  } catch {
    return undefined
  }
}

/** @throws when the JSON is not a list of valid addresses */
function addressesFromJson(text: string, maxAddresses: number): CachedAddress[] {
  const entries: unknown = JSON.parse(text)
  if (!Array.isArray(entries)) throw new TypeError('addresses is not a list')
  return entries.slice(0, maxAddresses).map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) throw new TypeError('not an address')
    const { address, lastSuccessAt } = entry as Record<string, unknown>
    if (typeof address !== 'string' || !isTime(lastSuccessAt)) throw new TypeError('bad address')
    return { ...parsePeerAddress(address), lastSuccessAt }
  })
}

function isCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
