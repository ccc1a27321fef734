import {
  silentLogger,
  systemClock,
  type Clock,
  type ComponentLogger,
  type Logger,
  type TimerHandle,
} from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import {
  DEFAULT_PEER_CACHE_MAX_ADDRESSES,
  DEFAULT_PEER_CACHE_MAX_AGE_MS,
  DEFAULT_PEER_CACHE_MAX_CONSECUTIVE_FAILURES,
  DEFAULT_PEER_CACHE_MAX_PEERS,
  DEFAULT_PEER_CACHE_SAVE_DELAY_MS,
} from '../constants.js'
import type { AbortOptions, DialTarget, PeerAddress } from '../transport.js'
import { isValidHost, isValidPort } from './peer-address-text.js'
import type { PeerCacheStore } from './peer-cache-store.js'
import {
  recordWithFailure,
  recordWithRtt,
  recordWithSuccess,
  scoreOf,
  type PeerCacheRecord,
} from './peer-record.js'

/** Options of `createPeerCache`. */
export interface PeerCacheInit {
  /** Peers remembered; when full, the lowest-scored is evicted. Default: 1,024. */
  maxPeers?: number
  /** Addresses per peer; when full, the least recently successful is dropped. Default: 8. */
  maxAddressesPerPeer?: number
  /** A peer with no success for this long is forgotten. Default: 30 days. */
  maxAgeMs?: number
  /** A peer whose dials failed this many times in a row is forgotten. Default: 10. */
  maxConsecutiveFailures?: number
  /** A change is saved at most this long after it happened (saves coalesce). Default: 5,000 ms. */
  saveDelayMs?: number
}

/** What a peer cache needs injected. */
export interface PeerCacheComponents {
  /** Where the cache persists. Default: none (the cache lives in memory only). */
  store?: PeerCacheStore
  /** Default: `systemClock`. */
  clock?: Clock
  /** Default: `silentLogger`. */
  logger?: ComponentLogger
}

/** A cached peer with its current score. */
export interface PeerCacheEntry extends PeerCacheRecord {
  /** In [0, 1]; see `scoreOf`. Higher is dialled first and evicted last. */
  readonly score: number
}

/** What `load` found. */
export interface PeerCacheLoadResult {
  /** Peers added to the cache. */
  readonly loaded: number
  /** Entries dropped as invalid, too old or beyond the bounds. */
  readonly skipped: number
  /** Why nothing was loaded, when the store failed; the cache then starts empty. */
  readonly error?: Error
}

/** Options of `best`. */
export interface PeerCacheBestOptions {
  /** Peers to leave out, e.g. those already connected. Default: none. */
  exclude?: (machineId: MachineId) => boolean
}

/**
 * The addresses that worked, per machine, with quality scores: what lets a node rejoin after a
 * restart without seeds. Bounded in peers and addresses; persisted through a `PeerCacheStore`
 * with coalesced saves.
 */
export interface PeerCache {
  /** Peers cached. */
  readonly size: number
  /**
   * Reads the store once, adding its peers. A corrupt, oversized or unreadable store is logged
   * as a warning and reported in the result, never thrown: a node must start regardless.
   */
  load(options?: AbortOptions): Promise<PeerCacheLoadResult>
  /** Notes a connection to `machineId` at `address` (with its round trip when measured). */
  recordSuccess(machineId: MachineId, address: PeerAddress, rttMs?: number): void
  /** Folds a measured round trip into a cached peer's smoothed RTT; unknown peers are ignored. */
  recordRtt(machineId: MachineId, rttMs: number): void
  /** Notes a failed dial of a cached peer; unknown peers are ignored (the cache holds what worked). */
  recordFailure(machineId: MachineId): void
  /** Forgets a peer; `true` when it was cached. */
  remove(machineId: MachineId): boolean
  get(machineId: MachineId): PeerCacheEntry | undefined
  /** Every cached peer, best first. */
  entries(): PeerCacheEntry[]
  /** Dial targets of the `count` best peers, best first, addresses most recent first. */
  best(count: number, options?: PeerCacheBestOptions): DialTarget[]
  /** Saves pending changes now; resolves once written. @throws PeerCacheIoError, AbortError */
  flush(options?: AbortOptions): Promise<void>
  /** Saves pending changes and stops the save timer; later changes are kept in memory only. */
  close(options?: AbortOptions): Promise<void>
}

/** A peer cache; call `load()` once at start and `close()` at shutdown. */
export function createPeerCache(
  init: PeerCacheInit = {},
  components: PeerCacheComponents = {},
): PeerCache {
  return new PeerCacheImpl(init, components)
}

class PeerCacheImpl implements PeerCache {
  readonly #maxPeers: number
  readonly #maxAddressesPerPeer: number
  readonly #maxAgeMs: number
  readonly #maxConsecutiveFailures: number
  readonly #saveDelayMs: number
  readonly #store: PeerCacheStore | undefined
  readonly #clock: Clock
  readonly #log: Logger
  readonly #records = new Map<MachineId, PeerCacheRecord>()
  #dirty = false
  #closed = false
  #saveTimer: TimerHandle | undefined
  #saving: Promise<void> = Promise.resolve()

  constructor(init: PeerCacheInit, components: PeerCacheComponents) {
    this.#maxPeers = init.maxPeers ?? DEFAULT_PEER_CACHE_MAX_PEERS
    this.#maxAddressesPerPeer = init.maxAddressesPerPeer ?? DEFAULT_PEER_CACHE_MAX_ADDRESSES
    this.#maxAgeMs = init.maxAgeMs ?? DEFAULT_PEER_CACHE_MAX_AGE_MS
    this.#maxConsecutiveFailures =
      init.maxConsecutiveFailures ?? DEFAULT_PEER_CACHE_MAX_CONSECUTIVE_FAILURES
    this.#saveDelayMs = init.saveDelayMs ?? DEFAULT_PEER_CACHE_SAVE_DELAY_MS
    this.#store = components.store
    this.#clock = components.clock ?? systemClock
    this.#log = (components.logger ?? silentLogger).forComponent('x0x:transport:peer-cache')
  }

  get size(): number {
    return this.#records.size
  }

  async load(options: AbortOptions = {}): Promise<PeerCacheLoadResult> {
    if (this.#store === undefined) return { loaded: 0, skipped: 0 }
    let snapshot
    try {
      snapshot = await this.#store.load(options)
    } catch (error) {
      if (options.signal?.aborted === true) throw error
      this.#log.warn('ignoring the stored peer cache: %s', String(error))
      return { loaded: 0, skipped: 0, error: error as Error }
    }
    if (snapshot === undefined) return { loaded: 0, skipped: 0 }
    const now = this.#clock.now()
    let loaded = 0
    let skipped = snapshot.skipped
    for (const record of snapshot.records) {
      const fresh = now - record.lastSuccessAt <= this.#maxAgeMs
      if (!fresh || this.#records.has(record.machineId) || !this.#makeRoom(now)) {
        skipped++
        continue
      }
      this.#records.set(record.machineId, record)
      loaded++
    }
    if (skipped > 0) this.#log('skipped %d stored peer cache entries', skipped)
    return { loaded, skipped }
  }

  recordSuccess(machineId: MachineId, address: PeerAddress, rttMs?: number): void {
    if (!isValidHost(address.host) || !isValidPort(address.port)) {
      this.#log('not caching %s: invalid address', machineId)
      return
    }
    const validRtt = rttMs !== undefined && Number.isFinite(rttMs) && rttMs >= 0 ? rttMs : undefined
    const now = this.#clock.now()
    const previous = this.#records.get(machineId)
    if (previous === undefined && !this.#makeRoom(now)) return
    const record = recordWithSuccess(
      previous,
      machineId,
      address,
      validRtt,
      now,
      this.#maxAddressesPerPeer,
    )
    this.#records.set(machineId, record)
    this.#changed()
  }

  recordRtt(machineId: MachineId, rttMs: number): void {
    const previous = this.#records.get(machineId)
    if (previous === undefined || !Number.isFinite(rttMs) || rttMs < 0) return
    this.#records.set(machineId, recordWithRtt(previous, rttMs))
    this.#changed()
  }

  recordFailure(machineId: MachineId): void {
    const previous = this.#records.get(machineId)
    if (previous === undefined) return
    const record = recordWithFailure(previous, this.#clock.now())
    if (record.consecutiveFailures >= this.#maxConsecutiveFailures) {
      this.#records.delete(machineId)
    } else {
      this.#records.set(machineId, record)
    }
    this.#changed()
  }

  remove(machineId: MachineId): boolean {
    const removed = this.#records.delete(machineId)
    if (removed) this.#changed()
    return removed
  }

  get(machineId: MachineId): PeerCacheEntry | undefined {
    const record = this.#records.get(machineId)
    return record === undefined
      ? undefined
      : { ...record, score: scoreOf(record, this.#clock.now()) }
  }

  entries(): PeerCacheEntry[] {
    const now = this.#clock.now()
    return [...this.#records.values()]
      .map((record) => ({ ...record, score: scoreOf(record, now) }))
      .sort((a, b) => b.score - a.score)
  }

  best(count: number, options: PeerCacheBestOptions = {}): DialTarget[] {
    const now = this.#clock.now()
    const exclude = options.exclude
    return this.entries()
      .filter((entry) => now - entry.lastSuccessAt <= this.#maxAgeMs)
      .filter((entry) => exclude === undefined || !exclude(entry.machineId))
      .slice(0, Math.max(0, count))
      .map((entry) => ({
        machineId: entry.machineId,
        addresses: entry.addresses.map(({ host, port }) => ({ host, port })),
      }))
  }

  async flush(options: AbortOptions = {}): Promise<void> {
    this.#clock.clearTimeout(this.#saveTimer)
    this.#saveTimer = undefined
    await this.#save(options)
  }

  async close(options: AbortOptions = {}): Promise<void> {
    this.#closed = true
    await this.flush(options)
  }

  /** Evicts the lowest-scored peer when full; `false` when there is no room (zero capacity). */
  #makeRoom(now: number): boolean {
    if (this.#records.size < this.#maxPeers) return true
    let victim: PeerCacheRecord | undefined
    let lowest = Infinity
    for (const record of this.#records.values()) {
      const score = scoreOf(record, now)
      if (score < lowest) {
        lowest = score
        victim = record
      }
    }
    if (victim === undefined) return false
    this.#records.delete(victim.machineId)
    return true
  }

  #changed(): void {
    this.#dirty = true
    if (this.#store === undefined || this.#closed || this.#saveTimer !== undefined) return
    // Coalesced, not debounced: steady churn must not postpone the save forever.
    this.#saveTimer = this.#clock.setTimeout(() => {
      this.#saveTimer = undefined
      this.#save().catch((error: unknown) => {
        this.#log.warn('saving the peer cache failed, will retry: %s', String(error))
        this.#changed()
      })
    }, this.#saveDelayMs)
  }

  #save(options: AbortOptions = {}): Promise<void> {
    const store = this.#store
    if (store === undefined) return Promise.resolve()
    // Saves run one at a time, each writing the state as of its own start.
    const run = async (): Promise<void> => {
      if (!this.#dirty) return
      this.#dirty = false
      try {
        await store.save([...this.#records.values()], options)
      } catch (error) {
        this.#dirty = true
        throw error
      }
    }
    const next = this.#saving.then(run, run)
    this.#saving = next.catch(() => undefined)
    return next
  }
}
