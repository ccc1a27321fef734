import { MAX_LOG_LINE_LENGTH, MAX_LOG_VALUE_DEPTH, MAX_LOG_VALUE_ENTRIES } from './constants.js'

const PLACEHOLDER = /%([a-zA-Z%])/g
// C0 controls, DEL and the Unicode line separators: a peer-supplied string must not forge log lines.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\u2028\u2029]/g

function escapeCharacter(character: string): string {
  if (character === '\n') return '\\n'
  if (character === '\r') return '\\r'
  if (character === '\t') return '\\t'
  const code = character.charCodeAt(0)
  return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`
}

function tagOf(value: object): string {
  return Object.prototype.toString.call(value).slice(8, -1)
}

function formatEntries(items: Iterable<string>, total: number, open: string, close: string) {
  const shown = [...items]
  if (total > shown.length) shown.push(`… ${total - shown.length} more`)
  return shown.length === 0 ? `${open}${close}` : `${open} ${shown.join(', ')} ${close}`
}

function* firstEntries<T>(items: Iterable<T>, format: (item: T) => string): Generator<string> {
  let count = 0
  for (const item of items) {
    if (count++ === MAX_LOG_VALUE_ENTRIES) return
    yield format(item)
  }
}

function formatObject(value: object, depth: number): string {
  // Bytes print as their length only, so a key passed by mistake never reaches a log.
  if (ArrayBuffer.isView(value)) return `<${tagOf(value)} ${value.byteLength} bytes>`
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) {
    return `<${tagOf(value)} ${value.byteLength} bytes>`
  }
  if (value instanceof Error) {
    const text = `${value.name}: ${value.message}`
    return value.cause === undefined
      ? text
      : `${text} (cause: ${formatValue(value.cause, depth + 1)})`
  }
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()
  if (depth >= MAX_LOG_VALUE_DEPTH) return '…'
  const next = (item: unknown): string => formatValue(item, depth + 1, true)
  if (Array.isArray(value)) return formatEntries(firstEntries(value, next), value.length, '[', ']')
  if (value instanceof Map) {
    const entries = firstEntries(value, ([key, item]) => `${next(key)} => ${next(item)}`)
    return `Map(${value.size}) ${formatEntries(entries, value.size, '{', '}')}`
  }
  if (value instanceof Set) {
    return `Set(${value.size}) ${formatEntries(firstEntries(value, next), value.size, '{', '}')}`
  }
  const keys = Object.keys(value)
  const record = value as Record<string, unknown>
  const body = formatEntries(
    firstEntries(keys, (key) => `${key}: ${next(record[key])}`),
    keys.length,
    '{',
    '}',
  )
  // Objects made with a null prototype have no constructor.
  const constructor = (value as { constructor?: { name?: unknown } }).constructor
  const name = tagOf(value) === 'Object' ? constructor?.name : tagOf(value)
  return typeof name !== 'string' || name === 'Object' || name === '' ? body : `${name} ${body}`
}

/** One value as log text: bytes as their length, nested strings quoted, depth and size capped. */
export function formatValue(value: unknown, depth = 0, nested = false): string {
  try {
    switch (typeof value) {
      case 'string':
        return nested ? JSON.stringify(value) : value
      case 'bigint':
        return `${value}n`
      case 'function':
        return `[function ${value.name === '' ? '(anonymous)' : value.name}]`
      case 'symbol':
        return value.toString()
      case 'object':
        return value === null ? 'null' : formatObject(value, depth)
      case 'number':
      case 'boolean':
      case 'undefined':
        return String(value)
    }
  } catch {
    return '<unprintable>'
  }
}

function formatNumber(value: unknown, conversion: string): string {
  if (typeof value === 'bigint') return `${value}n`
  const number = typeof value === 'number' ? value : Number(value)
  return String(conversion === 'f' ? number : Math.trunc(number))
}

function applyPlaceholders(formatter: string, args: unknown[]): string {
  let used = 0
  const text = formatter.replace(PLACEHOLDER, (match, conversion: string) => {
    if (conversion === '%') return '%'
    if (used >= args.length) return match
    const value = args[used++]
    if (conversion === 'd' || conversion === 'i' || conversion === 'f') {
      try {
        return formatNumber(value, conversion)
      } catch {
        return 'NaN'
      }
    }
    return formatValue(value, 0, conversion === 'j' || conversion === 'o' || conversion === 'O')
  })
  const rest = args.slice(used).map((value) => formatValue(value))
  return rest.length === 0 ? text : `${text} ${rest.join(' ')}`
}

/**
 * Formats a log call printf-style (`%s`, `%d`, `%i`, `%f`, `%j`, `%o`, `%O`, `%%`; any other
 * `%x` formats its argument like `%s`) into one safe line: control characters escaped, bytes
 * shown as their length, at most `MAX_LOG_LINE_LENGTH` characters.
 */
export function formatLogMessage(formatter: unknown, args: unknown[]): string {
  const text =
    typeof formatter === 'string'
      ? applyPlaceholders(formatter, args)
      : [formatter, ...args].map((value) => formatValue(value)).join(' ')
  const safe = text.replace(UNSAFE_CHARACTERS, escapeCharacter)
  return safe.length > MAX_LOG_LINE_LENGTH ? `${safe.slice(0, MAX_LOG_LINE_LENGTH - 1)}…` : safe
}
