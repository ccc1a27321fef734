// Where the peer cache lives between runs. The file store writes atomically and durably (temp
// file with mode 0600, fsync, rename, fsync directory), so a crash leaves the old file or the new
// one, never a torn one. The daemon's core layer will replace it with a SQLite-backed store.
import { randomBytes } from 'node:crypto'
import { mkdir, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { throwIfAborted } from '@x0x/base'
import {
  DEFAULT_PEER_CACHE_MAX_ADDRESSES,
  DEFAULT_PEER_CACHE_MAX_FILE_BYTES,
  DEFAULT_PEER_CACHE_MAX_PEERS,
  PEER_CACHE_FILE_MODE,
} from '../constants.js'
import { PeerCacheIoError, PeerCacheTooLargeError } from '../errors.js'
import type { AbortOptions } from '../transport.js'
import { decodePeerCacheFile, encodePeerCacheFile } from './peer-cache-codec.js'
import type { PeerCacheRecord } from './peer-record.js'

/** What a store returns from `load`. */
export interface PeerCacheSnapshot {
  readonly records: readonly PeerCacheRecord[]
  /** Entries that were present but not valid, and so were dropped. */
  readonly skipped: number
}

/** Persistence of the peer cache: a file by default, SQLite in the daemon later. */
export interface PeerCacheStore {
  /**
   * The saved records, or `undefined` when nothing was ever saved.
   *
   * @throws PeerCacheCorruptError, PeerCacheTooLargeError, PeerCacheIoError, AbortError
   */
  load(options?: AbortOptions): Promise<PeerCacheSnapshot | undefined>
  /**
   * Replaces the saved records with `records`, atomically.
   *
   * @throws PeerCacheIoError, AbortError
   */
  save(records: readonly PeerCacheRecord[], options?: AbortOptions): Promise<void>
}

/** Options of `createFilePeerCacheStore`. */
export interface FilePeerCacheStoreInit {
  /** The cache file, e.g. `<data_dir>/peer-cache.json`. Required. */
  path: string
  /** Larger files are refused unread. Default: `DEFAULT_PEER_CACHE_MAX_FILE_BYTES` (4 MiB). */
  maxFileBytes?: number
  /** Records read at most. Default: `DEFAULT_PEER_CACHE_MAX_PEERS` (1,024). */
  maxPeers?: number
  /** Addresses read per record at most. Default: `DEFAULT_PEER_CACHE_MAX_ADDRESSES` (8). */
  maxAddressesPerPeer?: number
  /** The `savedAt` written into the file. Default: `Date.now`. */
  now?: () => number
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  return typeof error.code === 'string' ? error.code : undefined
}

/** A store in one JSON file; see the module comment for its durability. */
export function createFilePeerCacheStore(init: FilePeerCacheStoreInit): PeerCacheStore {
  return new FilePeerCacheStore(init)
}

class FilePeerCacheStore implements PeerCacheStore {
  readonly #path: string
  readonly #maxFileBytes: number
  readonly #maxPeers: number
  readonly #maxAddressesPerPeer: number
  readonly #now: () => number

  constructor(init: FilePeerCacheStoreInit) {
    this.#path = init.path
    this.#maxFileBytes = init.maxFileBytes ?? DEFAULT_PEER_CACHE_MAX_FILE_BYTES
    this.#maxPeers = init.maxPeers ?? DEFAULT_PEER_CACHE_MAX_PEERS
    this.#maxAddressesPerPeer = init.maxAddressesPerPeer ?? DEFAULT_PEER_CACHE_MAX_ADDRESSES
    this.#now = init.now ?? Date.now
  }

  async load(options: AbortOptions = {}): Promise<PeerCacheSnapshot | undefined> {
    throwIfAborted(options.signal)
    const text = await this.#read()
    if (text === undefined) return undefined
    return decodePeerCacheFile(text, {
      maxPeers: this.#maxPeers,
      maxAddressesPerPeer: this.#maxAddressesPerPeer,
    })
  }

  async save(records: readonly PeerCacheRecord[], options: AbortOptions = {}): Promise<void> {
    throwIfAborted(options.signal)
    const text = encodePeerCacheFile(records, this.#now())
    const directory = dirname(this.#path)
    const temporary = join(
      directory,
      `.${basename(this.#path)}.${randomBytes(6).toString('hex')}.tmp`,
    )
    try {
      await mkdir(directory, { recursive: true, mode: 0o700 })
      const handle = await open(temporary, 'wx', PEER_CACHE_FILE_MODE)
      try {
        await handle.writeFile(text, 'utf8')
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temporary, this.#path)
      await syncDirectory(directory)
    } catch (error) {
      await unlink(temporary).catch(() => undefined)
      throw new PeerCacheIoError(`cannot write the peer cache ${this.#path}`, { cause: error })
    }
  }

  async #read(): Promise<string | undefined> {
    let handle
    try {
      handle = await open(this.#path, 'r')
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined
      throw new PeerCacheIoError(`cannot open the peer cache ${this.#path}`, { cause: error })
    }
    try {
      const { size } = await handle.stat()
      if (size > this.#maxFileBytes) throw this.#tooLarge(size)
      // Reads at most one byte past the bound, so a file growing after `stat` is still caught.
      const buffer = Buffer.alloc(size + 1)
      let length = 0
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length)
        if (bytesRead === 0) break
        length += bytesRead
        if (length === buffer.length) break
      }
      if (length > this.#maxFileBytes) throw this.#tooLarge(length)
      return new TextDecoder('utf-8', { fatal: false }).decode(buffer.subarray(0, length))
    } catch (error) {
      if (error instanceof PeerCacheTooLargeError) throw error
      throw new PeerCacheIoError(`cannot read the peer cache ${this.#path}`, { cause: error })
    } finally {
      await handle.close()
    }
  }

  #tooLarge(size: number): PeerCacheTooLargeError {
    return new PeerCacheTooLargeError(
      `the peer cache ${this.#path} is ${size} bytes, over the ${this.#maxFileBytes}-byte bound`,
    )
  }
}

async function syncDirectory(directory: string): Promise<void> {
  // Makes the rename durable (POSIX); platforms that cannot sync a directory skip it.
  const handle = await open(directory, 'r').catch(() => undefined)
  if (handle === undefined) return
  try {
    await handle.sync()
  } catch {
    // EINVAL/EISDIR/EPERM on platforms without directory fsync: the rename stands regardless.
  } finally {
    await handle.close()
  }
}

/** A `PeerCacheStore` in memory that shows what was saved. */
export interface MemoryPeerCacheStore extends PeerCacheStore {
  /** Completed saves so far. */
  readonly saves: number
  /** The records of the last save, or `undefined` before the first. */
  readonly records: readonly PeerCacheRecord[] | undefined
}

/** A store in memory: for tests, and for nodes that must leave nothing on disk. */
export function createMemoryPeerCacheStore(): MemoryPeerCacheStore {
  let saved: readonly PeerCacheRecord[] | undefined
  let saves = 0
  return {
    get saves() {
      return saves
    },
    get records() {
      return saved
    },
    load: (options: AbortOptions = {}) => {
      throwIfAborted(options.signal)
      return Promise.resolve(saved === undefined ? undefined : { records: saved, skipped: 0 })
    },
    save: (records, options: AbortOptions = {}) => {
      throwIfAborted(options.signal)
      saved = records.map((record) => ({ ...record }))
      saves++
      return Promise.resolve()
    },
  }
}
