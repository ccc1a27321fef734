/**
 * Plain-text rendering of API responses for people: tables for lists of records, `key: value`
 * lines for objects. `--json` bypasses all of this and prints what the daemon sent.
 */

/** Options shared by the renderers. */
export interface RenderOptions {
  /** Bold table headers (only on a terminal, never when piped). Default: false. */
  readonly color?: boolean
}

/** Longer strings are elided in text output (a KEM key is 1,580 base64 characters). */
const MAX_TEXT_CELL = 100

type Json = Record<string, unknown>

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** One value as table or line text: `-` for null, compact JSON for structures. */
export function cellText(value: unknown, limit = MAX_TEXT_CELL): string {
  let text: string
  if (value === null || value === undefined) text = '-'
  else if (typeof value === 'string') text = value
  else if (Array.isArray(value) && value.every((item) => typeof item !== 'object')) {
    text =
      value.length === 0
        ? '-'
        : value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ')
  } else text = JSON.stringify(value)
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} chars, see --json)` : text
}

function bold(text: string, options: RenderOptions): string {
  return options.color === true ? `\u001b[1m${text}\u001b[22m` : text
}

/** An aligned table of records; columns are the keys of the records in first-seen order. */
export function renderTable(
  rows: readonly unknown[],
  options: RenderOptions = {},
  columns?: readonly string[],
): string {
  if (rows.length === 0) return '(none)\n'
  const records = rows.map((row) => (isRecord(row) ? row : { value: row }))
  const keys = columns ?? [...new Set(records.flatMap((record) => Object.keys(record)))]
  const cells = records.map((record) => keys.map((key) => cellText(record[key], 70)))
  const widths = keys.map((key, index) =>
    Math.max(key.length, ...cells.map((row) => (row[index] as string).length)),
  )
  const line = (values: readonly string[]): string =>
    values
      .map((value, index) => value.padEnd(widths[index] as number))
      .join('  ')
      .trimEnd()
  const header = bold(line(keys.map((key) => key.toUpperCase())), options)
  return `${[header, ...cells.map(line)].join('\n')}\n`
}

function keyValueLines(record: Json, depth: number, options: RenderOptions): string[] {
  const indent = '  '.repeat(depth)
  const lines: string[] = []
  for (const [key, value] of Object.entries(record)) {
    if (depth === 0 && key === 'ok') continue
    if (isRecord(value) && Object.keys(value).length > 0) {
      lines.push(`${indent}${key}:`, ...keyValueLines(value, depth + 1, options))
    } else if (Array.isArray(value) && value.some(isRecord)) {
      const table = renderTable(value, options).trimEnd().split('\n')
      lines.push(`${indent}${key}:`, ...table.map((row) => `${indent}  ${row}`))
    } else {
      lines.push(`${indent}${key}: ${cellText(value)}`)
    }
  }
  return lines
}

/** `key: value` lines (nested objects indented, lists of records as tables); `ok` is left out. */
export function renderKeyValue(record: Json, options: RenderOptions = {}): string {
  return `${keyValueLines(record, 0, options).join('\n')}\n`
}

/**
 * The default text for a response: a table when the body is just one list (`{ok, contacts:[…]}`),
 * else `key: value` lines.
 */
export function renderValue(value: unknown, options: RenderOptions = {}): string {
  if (!isRecord(value)) return `${cellText(value, Number.POSITIVE_INFINITY)}\n`
  const fields = Object.entries(value).filter(([key]) => key !== 'ok')
  const [only] = fields
  if (fields.length === 1 && only !== undefined && Array.isArray(only[1])) {
    return renderTable(only[1], options)
  }
  return renderKeyValue(value, options)
}
