import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { openDatabase, openMemoryDatabase } from '../../src/store/database.js'
import { SCHEMA_VERSION } from '../../src/store/schema.js'
import { useTemporaryDirectory } from './temporary-directory.js'

function pragma(database: DatabaseSync, name: string): unknown {
  return database.prepare(`PRAGMA ${name}`).get()?.[name]
}

describe('openDatabase', () => {
  const directory = useTemporaryDirectory()

  it('creates an owner-only file in WAL mode at the current schema version', () => {
    const path = join(directory(), 'x0x.sqlite')
    const database = openDatabase(path)
    expect(database.schemaVersion).toBe(SCHEMA_VERSION)
    expect(pragma(database.connection, 'journal_mode')).toBe('wal')
    expect(pragma(database.connection, 'synchronous')).toBe(1) // NORMAL
    expect(pragma(database.connection, 'foreign_keys')).toBe(1)
    expect(pragma(database.connection, 'user_version')).toBe(SCHEMA_VERSION)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    database.close()
    expect(database.isOpen).toBe(false)
    database.close() // idempotent
  })

  it('uses synchronous=FULL when asked', () => {
    const database = openDatabase(join(directory(), 'x0x.sqlite'), { synchronous: 'full' })
    expect(pragma(database.connection, 'synchronous')).toBe(2)
    database.close()
  })

  it('reopens an existing database without migrating it again', () => {
    const path = join(directory(), 'x0x.sqlite')
    const first = openDatabase(path)
    first.connection.prepare("INSERT INTO store_metadata VALUES ('marker', 'kept')").run()
    first.close()
    const second = openDatabase(path)
    expect(second.statement('SELECT value FROM store_metadata').get()).toEqual({ value: 'kept' })
    second.close()
  })

  it('refuses a file that is not a database with DatabaseCorruptError', () => {
    const path = join(directory(), 'x0x.sqlite')
    writeFileSync(path, 'this is a text file, not an SQLite database\n'.repeat(100))
    expect(() => openDatabase(path)).toThrow(
      expect.objectContaining({ name: 'DatabaseCorruptError' }),
    )
  })

  it('refuses a short garbage file with DatabaseCorruptError', () => {
    const path = join(directory(), 'x0x.sqlite')
    writeFileSync(path, 'garbage')
    expect(() => openDatabase(path)).toThrow(
      expect.objectContaining({ name: 'DatabaseCorruptError' }),
    )
  })

  it('refuses a database from a newer x0x with DatabaseVersionError', () => {
    const path = join(directory(), 'x0x.sqlite')
    const raw = new DatabaseSync(path)
    raw.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`)
    raw.close()
    expect(() => openDatabase(path)).toThrow(
      expect.objectContaining({ name: 'DatabaseVersionError' }),
    )
  })

  it('fails with DatabaseOpenError when the directory does not exist', () => {
    const path = join(directory(), 'missing', 'x0x.sqlite')
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ name: 'DatabaseOpenError' }))
  })
})

describe('CoreDatabase.transaction', () => {
  const insert = "INSERT INTO store_metadata VALUES (?, 'value')"
  const count = 'SELECT count(*) AS count FROM store_metadata'

  it('commits what the work wrote and returns its result', () => {
    const database = openMemoryDatabase()
    const result = database.transaction(() => database.statement(insert).run('a').changes)
    expect(result).toBe(1)
    expect(database.statement(count).get()).toEqual({ count: 1 })
    database.close()
  })

  it('rolls back everything when the work throws, nested work included', () => {
    const database = openMemoryDatabase()
    expect(() =>
      database.transaction(() => {
        database.statement(insert).run('a')
        database.transaction(() => database.statement(insert).run('b'))
        throw new Error('changed my mind')
      }),
    ).toThrow('changed my mind')
    expect(database.statement(count).get()).toEqual({ count: 0 })
    expect(database.connection.isTransaction).toBe(false)
    database.close()
  })
})
