/*
 * serde's wording of type errors, so that 422 bodies read like x0x's (serde_json 1.x,
 * `de::Unexpected` and `de::Expected`). Line and column suffixes are not reproduced: they depend
 * on serde_json's byte positions, which no app should parse.
 */

/** How serde names an unexpected JSON value: ``integer `5` ``, `string "a"`, `map`. */
export function describeUnexpected(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'boolean') return `boolean \`${value}\``
  if (typeof value === 'number') {
    return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``
  }
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`
  if (Array.isArray(value)) return 'sequence'
  return 'map'
}

/** ``invalid type: integer `5`, expected a string``. */
export function invalidType(value: unknown, expected: string): string {
  return `invalid type: ${describeUnexpected(value)}, expected ${expected}`
}

/** serde's `OneOf`: `` `a` ``, `` `a` or `b` ``, `` one of `a`, `b`, `c` ``. */
export function oneOf(names: readonly string[]): string {
  const quoted = names.map((name) => `\`${name}\``)
  if (quoted.length === 0) return 'nothing'
  if (quoted.length === 1) return quoted[0] as string
  if (quoted.length === 2) return `${quoted[0] as string} or ${quoted[1] as string}`
  return `one of ${quoted.join(', ')}`
}

/** ``unknown field `x`, expected one of `a`, `b`, `c` `` (serde's "there are no fields" if none). */
export function unknownField(name: string, fields: readonly string[]): string {
  return fields.length === 0
    ? `unknown field \`${name}\`, there are no fields`
    : `unknown field \`${name}\`, expected ${oneOf(fields)}`
}

/** ``unknown variant `x`, expected one of `a`, `b` ``. */
export function unknownVariant(name: string, variants: readonly string[]): string {
  return `unknown variant \`${name}\`, expected ${oneOf(variants)}`
}

/** Whether `value` is a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
