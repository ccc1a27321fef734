import { X0xError } from '@x0x/base'

/**
 * A configuration value (TOML key or the flag that sets it) is invalid. The message names the
 * key, so an operator can fix the file without reading code: `config key "api_address": …`.
 */
export class ConfigError extends X0xError {
  override readonly name = 'ConfigError'
  /** The TOML key (dotted for tables, `gossip.arwl`) or flag (`--api-port`) at fault. */
  readonly key: string

  constructor(key: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.key = key
  }
}

/** `config key "<key>": expected <expected>, got <actual>`. */
export function invalidKey(key: string, expected: string, actual: unknown): ConfigError {
  return new ConfigError(key, `config key "${key}": expected ${expected}, got ${describe(actual)}`)
}

/** A command-line flag is malformed (missing value, bad number, bad instance name). */
export class FlagError extends X0xError {
  override readonly name = 'FlagError'
}

/** A short, safe rendering of a config value for an error message. */
function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Date) return 'a date'
  if (typeof value === 'object' && value !== null) return 'a table'
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
    ? String(value)
    : typeof value
}
