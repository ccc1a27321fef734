import { RequestShapeError, RequestValueError, type SchemaPath } from '../errors.js'
import { describe, makeSchema, type Schema } from './schema.js'
import { describeUnexpected, invalidType, unknownVariant } from './serde-text.js'

/** Options shared by every schema factory. */
export interface DescribedInit {
  /** Shown in the OpenAPI document. Default: none. */
  description?: string
}

/** Options of `string`. */
export interface StringInit extends DescribedInit {
  /** The handler's 400 message for an empty string. Default: empty strings pass. */
  emptyMessage?: string
}

/** serde's shape check of a `String` field: a JSON string, else a 422 naming the found type. */
export function decodeStringShape(input: unknown, path: SchemaPath): string {
  if (typeof input !== 'string') throw new RequestShapeError(invalidType(input, 'a string'), path)
  return input
}

/** A JSON string (`String` in serde). */
export function string(init: StringInit = {}): Schema<string> {
  const { emptyMessage } = init
  return makeSchema({
    description: init.description,
    decodeShape: decodeStringShape,
    checkValue(value, path) {
      if (emptyMessage !== undefined && value === '')
        throw new RequestValueError(emptyMessage, path)
      return value
    },
    decodeText: (text) => text,
    toJsonSchema: () => describe({ type: 'string' }, init.description),
  })
}

/** A JSON boolean; as query text only `true` or `false` (serde_urlencoded). */
export function boolean(init: DescribedInit = {}): Schema<boolean> {
  return makeSchema({
    description: init.description,
    decodeShape(input, path) {
      if (typeof input !== 'boolean') {
        throw new RequestShapeError(invalidType(input, 'a boolean'), path)
      }
      return input
    },
    decodeText(text, path) {
      if (text === 'true') return true
      if (text === 'false') return false
      throw new RequestShapeError('provided string was not `true` or `false`', path)
    },
    toJsonSchema: () => describe({ type: 'boolean' }, init.description),
  })
}

/** The Rust integer types x0x uses, with their ranges. */
export type IntegerFormat = 'u8' | 'u16' | 'u32' | 'u64' | 'i64'

const INTEGER_RANGES: Record<IntegerFormat, readonly [number, number]> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffff_ffff],
  // JSON numbers past 2^53 lose precision in JavaScript; the range is still serde's.
  u64: [0, 2 ** 64 - 1],
  i64: [-(2 ** 63), 2 ** 63 - 1],
}

/** Options of `integer`. */
export interface IntegerInit extends DescribedInit {
  /** The Rust type: its range is checked at the shape stage as serde does. Default: `u64`. */
  format?: IntegerFormat
}

/** A JSON integer within a Rust integer type's range. */
export function integer(init: IntegerInit = {}): Schema<number> {
  const format = init.format ?? 'u64'
  const [minimum, maximum] = INTEGER_RANGES[format]
  const decodeNumber = (input: unknown, path: readonly (string | number)[]): number => {
    if (typeof input !== 'number' || !Number.isInteger(input)) {
      throw new RequestShapeError(invalidType(input, format), path)
    }
    if (input < minimum || input > maximum) {
      throw new RequestShapeError(`invalid value: integer \`${input}\`, expected ${format}`, path)
    }
    return input
  }
  return makeSchema({
    description: init.description,
    decodeShape: decodeNumber,
    decodeText(text, path) {
      // Rust's `str::parse` for integers: an optional sign, then decimal digits only.
      if (!/^[+-]?\d+$/.test(text)) {
        throw new RequestShapeError(
          text === '' ? 'cannot parse integer from empty string' : 'invalid digit found in string',
          path,
        )
      }
      const value = Number(text)
      if (value < minimum || value > maximum) {
        throw new RequestShapeError(
          value < 0 && minimum === 0
            ? 'invalid digit found in string'
            : 'number too large to fit in target type',
          path,
        )
      }
      return value
    },
    toJsonSchema: () =>
      describe(
        {
          type: 'integer',
          ...(format === 'u64' || format === 'i64' ? { format: 'int64' } : {}),
          minimum,
          ...(format === 'u64' || format === 'i64' ? {} : { maximum }),
        },
        init.description,
      ),
  })
}

/** A JSON number (`f64`). */
export function number(init: DescribedInit = {}): Schema<number> {
  return makeSchema({
    description: init.description,
    decodeShape(input, path) {
      if (typeof input !== 'number') throw new RequestShapeError(invalidType(input, 'f64'), path)
      return input
    },
    toJsonSchema: () => describe({ type: 'number' }, init.description),
  })
}

/** Exactly one JSON value (`ok: true` on success bodies). */
export function literal<const T extends string | number | boolean>(
  value: T,
  init: DescribedInit = {},
): Schema<T> {
  return makeSchema({
    description: init.description,
    decodeShape(input, path) {
      if (input !== value) {
        const expected = JSON.stringify(value)
        throw new RequestShapeError(
          typeof input === typeof value
            ? `invalid value: ${describeUnexpected(input)}, expected ${expected}`
            : invalidType(input, expected),
          path,
        )
      }
      return value
    },
    toJsonSchema: () => describe({ const: value }, init.description),
  })
}

/** Options of `enumeration`. */
export interface EnumerationInit extends DescribedInit {
  /**
   * Who parses it. `shape`: a serde enum, an unknown variant is a 422. `handler`: a string the
   * handler parses, an unknown value is a 400 with `invalidMessage`. Default: `shape`.
   */
  stage?: 'shape' | 'handler'
  /** Accept any letter case and return the canonical spelling. Default: false. */
  caseInsensitive?: boolean
  /** The handler's 400 message for an unknown value (stage `handler`). Default: serde's text. */
  invalidMessage?: (value: string) => string
}

/** One of a fixed set of strings. */
export function enumeration<const T extends string>(
  values: readonly T[],
  init: EnumerationInit = {},
): Schema<T> {
  const stage = init.stage ?? 'shape'
  const caseInsensitive = init.caseInsensitive ?? false
  const invalidMessage = init.invalidMessage ?? ((value) => unknownVariant(value, values))
  const canonical = new Map<string, T>(
    values.map((value) => [caseInsensitive ? value.toLowerCase() : value, value]),
  )
  const lookup = (text: string): T | undefined =>
    canonical.get(caseInsensitive ? text.toLowerCase() : text)
  const decodeText = (text: string, path: readonly (string | number)[]): T => {
    if (stage === 'handler') return text as T // checked by checkValue
    const found = lookup(text)
    if (found === undefined) throw new RequestShapeError(unknownVariant(text, values), path)
    return found
  }
  return makeSchema({
    description: init.description,
    decodeShape(input, path) {
      if (typeof input !== 'string') {
        throw new RequestShapeError(
          invalidType(input, stage === 'shape' ? 'enum' : 'a string'),
          path,
        )
      }
      return decodeText(input, path)
    },
    checkValue(value, path) {
      if (stage === 'shape') return value
      const found = lookup(value)
      if (found === undefined) throw new RequestValueError(invalidMessage(value), path)
      return found
    },
    decodeText,
    toJsonSchema: () => describe({ type: 'string', enum: values }, init.description),
  })
}

/** Any JSON value, passed through unchecked (opaque nested objects such as `pubsub_stages`). */
export function jsonValue(init: DescribedInit = {}): Schema<unknown> {
  return makeSchema({
    description: init.description,
    decodeShape: (input) => input,
    toJsonSchema: () => describe({}, init.description),
  })
}
