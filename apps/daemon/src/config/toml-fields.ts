// Typed readers over a parsed TOML table. Each returns `undefined` for an absent key and throws a
// `ConfigError` naming the key for a present key of the wrong type or range.
import { invalidKey } from './config-error.js'
import { parseSocketAddress } from './socket-address.js'

/** A parsed TOML table. */
export type TomlTable = Readonly<Record<string, unknown>>

/** Reads keys of one table; `prefix` makes nested keys read `gossip.arwl` in errors. */
export class TomlFields {
  readonly #table: TomlTable
  readonly #prefix: string

  constructor(table: TomlTable, prefix = '') {
    this.#table = table
    this.#prefix = prefix
  }

  #value(key: string): { name: string; value: unknown } {
    return { name: this.#prefix + key, value: this.#table[key] }
  }

  string(key: string): string | undefined {
    const { name, value } = this.#value(key)
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw invalidKey(name, 'a string', value)
    return value
  }

  boolean(key: string): boolean | undefined {
    const { name, value } = this.#value(key)
    if (value === undefined) return undefined
    if (typeof value !== 'boolean') throw invalidKey(name, 'true or false', value)
    return value
  }

  /** A whole number in `[minimum, maximum]`. */
  integer(key: string, minimum = 0, maximum = Number.MAX_SAFE_INTEGER): number | undefined {
    const { name, value } = this.#value(key)
    if (value === undefined) return undefined
    const number = typeof value === 'bigint' ? Number(value) : value
    if (
      typeof number !== 'number' ||
      !Number.isInteger(number) ||
      number < minimum ||
      number > maximum
    ) {
      const range =
        maximum === Number.MAX_SAFE_INTEGER ? `≥ ${minimum}` : `in ${minimum}..${maximum}`
      throw invalidKey(name, `an integer ${range}`, value)
    }
    return number
  }

  /** An `ip:port` string (`[v6]:port` for IPv6). */
  socketAddress(key: string): string | undefined {
    const { name, value } = this.#value(key)
    if (value === undefined) return undefined
    if (typeof value !== 'string' || parseSocketAddress(value) === undefined) {
      throw invalidKey(name, '"ip:port"', value)
    }
    return value
  }

  /** One of `choices`. */
  choice<Choice extends string>(key: string, choices: readonly Choice[]): Choice | undefined {
    const { name, value } = this.#value(key)
    if (value === undefined) return undefined
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      throw invalidKey(name, `one of ${choices.join(', ')}`, value)
    }
    return value as Choice
  }

  /** An array of `ip:port` strings. */
  socketAddresses(key: string): readonly string[] | undefined {
    const { name, value } = this.#value(key)
    if (value === undefined) return undefined
    if (!Array.isArray(value)) throw invalidKey(name, 'an array of "ip:port" strings', value)
    return value.map((item: unknown, index) => {
      if (typeof item !== 'string' || parseSocketAddress(item) === undefined) {
        throw invalidKey(`${name}[${index}]`, '"ip:port"', item)
      }
      return item
    })
  }

  /** A sub-table (`[gossip]`), empty when absent. */
  table(key: string): TomlFields {
    const { name, value } = this.#value(key)
    if (value === undefined) return new TomlFields({}, `${name}.`)
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      value instanceof Date
    ) {
      throw invalidKey(name, 'a table', value)
    }
    return new TomlFields(value as TomlTable, `${name}.`)
  }

  /** Keys present in this table that `known` does not list (for a warning). */
  unknownKeys(known: readonly string[]): string[] {
    return Object.keys(this.#table)
      .filter((key) => !known.includes(key))
      .map((key) => this.#prefix + key)
  }
}
