// Reading typed values out of `node:sqlite` rows. The schema's STRICT tables and CHECK
// constraints guarantee the types; these helpers turn a violation (a file edited by hand) into
// a `DatabaseCorruptError` rather than a wrong value flowing on.
import type { SQLOutputValue } from 'node:sqlite'
import { DatabaseCorruptError } from './errors.js'

/** One row as `node:sqlite` returns it. */
export type Row = Record<string, SQLOutputValue>

function unexpected(column: string, value: SQLOutputValue | undefined): DatabaseCorruptError {
  return new DatabaseCorruptError(`column ${column} holds an unexpected ${typeof value}`)
}

/** The text in `column`. */
export function textColumn(row: Row, column: string): string {
  const value = row[column]
  if (typeof value !== 'string') throw unexpected(column, value)
  return value
}

/** The text in `column`, or null. */
export function nullableTextColumn(row: Row, column: string): string | null {
  const value = row[column]
  if (value === null) return null
  if (typeof value !== 'string') throw unexpected(column, value)
  return value
}

/** The number in `column` (INTEGER or REAL). */
export function numberColumn(row: Row, column: string): number {
  const value = row[column]
  if (typeof value !== 'number') throw unexpected(column, value)
  return value
}

/** The number in `column`, or null. */
export function nullableNumberColumn(row: Row, column: string): number | null {
  const value = row[column]
  if (value === null) return null
  if (typeof value !== 'number') throw unexpected(column, value)
  return value
}

/** The bytes in `column`, or null. */
export function nullableBytesColumn(row: Row, column: string): Uint8Array | null {
  const value = row[column]
  if (value === null) return null
  if (!(value instanceof Uint8Array)) throw unexpected(column, value)
  return value
}
