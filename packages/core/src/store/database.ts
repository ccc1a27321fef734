// The embedded SQLite database of the core layer (`node:sqlite`, no native add-on to build).
//
// Durability: every mutating call of the stores on top is one transaction that has committed
// before the call returns. In WAL mode a commit appends to the `-wal` file with write(2) before
// COMMIT returns, so the commit is in the kernel's page cache and survives the process being
// killed at any instant (kill -9, OOM killer). `synchronous=NORMAL` skips the fsync per commit:
// only a power loss or kernel crash can roll back the last commits, and even then the database
// stays consistent (SQLite docs, "WAL mode ... synchronous=NORMAL"). `synchronous: 'full'` also
// survives power loss, at one fsync per commit.
//
// Node 24.21 prints no ExperimentalWarning for `node:sqlite` (stability 1.2, release candidate);
// nothing is suppressed here either way.
import { closeSync, openSync } from 'node:fs'
import { DatabaseSync, type StatementSync } from 'node:sqlite'
import { X0xError } from '@x0x/base'
import { DatabaseCorruptError, DatabaseOpenError, DatabaseVersionError } from './errors.js'
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js'

/** How long a statement waits for another connection's write lock before failing. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000

/** Prepared statements cached per database; the stores use a few dozen distinct statements. */
const MAX_CACHED_STATEMENTS = 256

/** The database file holds contacts and trust: readable by its owner only. */
const DATABASE_FILE_MODE = 0o600

/** SQLite primary result codes that mean the file is not (or no longer) a database. */
const SQLITE_CORRUPT = 11
const SQLITE_NOTADB = 26

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /** Wait for another connection's lock this long. Default: 5,000 ms. */
  busyTimeoutMs?: number
  /** `normal` survives process crashes; `full` also power loss (see the module comment). Default: `normal`. */
  synchronous?: 'normal' | 'full'
}

/** The core database: one connection, its schema migrated to `SCHEMA_VERSION`. */
export interface CoreDatabase {
  /** The file, or `:memory:`. */
  readonly path: string
  /** The schema version (`PRAGMA user_version`) after migration. */
  readonly schemaVersion: number
  readonly isOpen: boolean
  /** The connection, for stores of this package. */
  readonly connection: DatabaseSync
  /** A prepared statement for `sql`, cached: stores prepare each statement once. */
  statement(sql: string): StatementSync
  /**
   * Runs `work` in one transaction (BEGIN IMMEDIATE … COMMIT), rolling back if it throws. Nested
   * calls join the outer transaction. Once it returns, the change survives a process crash.
   */
  transaction<T>(work: () => T): T
  /** Closes the connection (checkpointing the WAL); idempotent. */
  close(): void
}

/**
 * Opens (creating when absent) the database at `path` in WAL mode and migrates its schema.
 *
 * @throws DatabaseOpenError, DatabaseCorruptError, DatabaseVersionError
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): CoreDatabase {
  try {
    // Creates the file with owner-only permissions before SQLite does (it would use the umask);
    // the -wal and -shm files inherit the database file's permissions.
    closeSync(openSync(path, 'a', DATABASE_FILE_MODE))
  } catch (error) {
    throw new DatabaseOpenError(`cannot open the database ${path}`, { cause: error })
  }
  return open(path, options)
}

/** A database in memory, for tests and nodes that keep nothing on disk. */
export function openMemoryDatabase(): CoreDatabase {
  return open(':memory:', {})
}

function open(path: string, options: OpenDatabaseOptions): CoreDatabase {
  let connection: DatabaseSync
  try {
    connection = new DatabaseSync(path, {
      timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
      enableForeignKeyConstraints: true,
    })
  } catch (error) {
    throw new DatabaseOpenError(`cannot open the database ${path}`, { cause: error })
  }
  try {
    // The first statement reads the header: a file that is not a database fails here.
    connection.exec('PRAGMA journal_mode = WAL')
    const synchronous = options.synchronous === 'full' ? 'FULL' : 'NORMAL'
    connection.exec(`PRAGMA synchronous = ${synchronous}`)
    const database = new SqliteCoreDatabase(path, connection)
    database.migrate()
    return database
  } catch (error) {
    connection.close()
    throw classifyError(error, path)
  }
}

function classifyError(error: unknown, path: string): Error {
  if (error instanceof X0xError) return error
  const code = sqliteResultCode(error)
  if (code === SQLITE_NOTADB || code === SQLITE_CORRUPT) {
    return new DatabaseCorruptError(`${path} is not a valid x0x database`, { cause: error })
  }
  return new DatabaseOpenError(`cannot open the database ${path}`, { cause: error })
}

function sqliteResultCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('errcode' in error)) return undefined
  // Extended result codes carry the primary code in their low byte.
  return typeof error.errcode === 'number' ? error.errcode & 0xff : undefined
}

class SqliteCoreDatabase implements CoreDatabase {
  readonly path: string
  readonly connection: DatabaseSync
  schemaVersion = 0
  readonly #statements = new Map<string, StatementSync>()

  constructor(path: string, connection: DatabaseSync) {
    this.path = path
    this.connection = connection
  }

  get isOpen(): boolean {
    return this.connection.isOpen
  }

  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql)
    if (statement === undefined) {
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) this.#statements.clear()
      statement = this.connection.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  transaction<T>(work: () => T): T {
    if (this.#inTransaction()) return work()
    // IMMEDIATE takes the write lock up front, so a second process waits out `busy_timeout`
    // instead of failing when a read transaction tries to upgrade to a write.
    this.connection.exec('BEGIN IMMEDIATE')
    try {
      const result = work()
      this.connection.exec('COMMIT')
      return result
    } catch (error) {
      // Some errors (SQLITE_FULL, SQLITE_IOERR) already rolled the transaction back.
      if (this.#inTransaction()) this.connection.exec('ROLLBACK')
      throw error
    }
  }

  migrate(): void {
    // Each step re-reads the version inside its write transaction, so two processes opening a
    // fresh file at once cannot both run the same migration.
    for (;;) {
      const done = this.transaction(() => {
        const version = this.#userVersion()
        if (version > SCHEMA_VERSION) {
          throw new DatabaseVersionError(
            `${this.path} has schema version ${version}; this x0x knows versions up to ${SCHEMA_VERSION}`,
          )
        }
        if (version === SCHEMA_VERSION) return true
        this.connection.exec(MIGRATIONS[version] ?? '')
        // user_version lives in the database header, so it commits atomically with the migration.
        this.connection.exec(`PRAGMA user_version = ${version + 1}`)
        return false
      })
      if (done) break
    }
    this.schemaVersion = SCHEMA_VERSION
  }

  close(): void {
    if (!this.connection.isOpen) return
    this.#statements.clear()
    this.connection.close()
  }

  #inTransaction(): boolean {
    return this.connection.isTransaction
  }

  #userVersion(): number {
    const row = this.connection.prepare('PRAGMA user_version').get()
    const version = row?.['user_version']
    return typeof version === 'number' ? version : 0
  }
}
