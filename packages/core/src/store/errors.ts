import { X0xError } from '@x0x/base'

/** The database file could not be opened or created (missing directory, permissions, locked). */
export class DatabaseOpenError extends X0xError {
  override readonly name = 'DatabaseOpenError'
}

/** The file exists but is not an SQLite database, or its pages are damaged. */
export class DatabaseCorruptError extends X0xError {
  override readonly name = 'DatabaseCorruptError'
}

/** The database was written by a newer x0x: its schema version is beyond what this code knows. */
export class DatabaseVersionError extends X0xError {
  override readonly name = 'DatabaseVersionError'
}
