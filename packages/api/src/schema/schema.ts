import { RequestShapeError, RequestValueError, type SchemaPath } from '../errors.js'

/** A JSON Schema (2020-12, as OpenAPI 3.1 uses it) as a plain object. */
export type JsonSchema = Readonly<Record<string, unknown>>

/** Collects named component schemas while a document is generated. */
export interface JsonSchemaContext {
  /** The `$ref` to component `name`, building and registering it on first use. */
  reference(name: string, build: () => JsonSchema): JsonSchema
}

/**
 * A schema checks a parsed JSON value in two stages, because x0x does:
 * 1. `decodeShape`: what serde does before the handler runs (types, required fields, enum
 *    variants, unknown fields where rejected). Fails with `RequestShapeError` (422).
 * 2. `checkValue`: what the handler checks after (hex ids, base64, empty strings, case-insensitive
 *    enums). Fails with `RequestValueError` (400 `{ok:false,error}`), and may normalise (hex ids
 *    come out lower-case).
 * Every shape problem anywhere in a body wins over every value problem, as in x0x.
 */
export interface Schema<T> {
  /** Whether an object may omit this field (`Option<T>` in serde). */
  readonly optional: boolean
  /** Shown in the OpenAPI document. */
  readonly description: string | undefined
  decodeShape(input: unknown, path: SchemaPath): T
  checkValue(value: T, path: SchemaPath): T
  /**
   * Parses query-string or path text as serde_urlencoded would. Throws a `RequestShapeError`
   * whose `detail` the caller rewraps for its context.
   */
  decodeText(text: string, path: SchemaPath): T
  toJsonSchema(context: JsonSchemaContext): JsonSchema
}

/** The TypeScript type a schema produces. */
export type Infer<S> = S extends Schema<infer T> ? T : never

/** The parts of a schema a factory supplies; the rest have defaults. */
export interface SchemaParts<T> {
  optional?: boolean
  description?: string | undefined
  decodeShape(input: unknown, path: SchemaPath): T
  checkValue?(value: T, path: SchemaPath): T
  decodeText?(text: string, path: SchemaPath): T
  toJsonSchema(context: JsonSchemaContext): JsonSchema
}

/** Builds a schema from its parts: values pass `checkValue` unchanged unless it is given. */
export function makeSchema<T>(parts: SchemaParts<T>): Schema<T> {
  // Arrows rather than the parts' methods, so a schema's methods never depend on `this`.
  const hasCheck = 'checkValue' in parts
  const hasText = 'decodeText' in parts
  return {
    optional: parts.optional ?? false,
    description: parts.description,
    decodeShape: (input, path) => parts.decodeShape(input, path),
    checkValue: (value, path) => (hasCheck ? (parts.checkValue?.(value, path) as T) : value),
    decodeText: (text, path) => {
      if (!hasText) throw new RequestShapeError('this value cannot be given as text', path)
      return parts.decodeText?.(text, path) as T
    },
    toJsonSchema: (context) => parts.toJsonSchema(context),
  }
}

/** Adds the description to a JSON schema when there is one. */
export function describe(schema: JsonSchema, description: string | undefined): JsonSchema {
  return description === undefined ? schema : { ...schema, description }
}

/**
 * Runs both stages on a parsed JSON value. Throws `RequestShapeError` or `RequestValueError`
 * only: any other failure inside a schema is a bug and is rethrown as is.
 */
export function parseWithSchema<T>(schema: Schema<T>, input: unknown): T {
  return schema.checkValue(schema.decodeShape(input, []), [])
}

/** Like `parseWithSchema`, as a result instead of a throw. */
export function safeParse<T>(
  schema: Schema<T>,
  input: unknown,
): { ok: true; value: T } | { ok: false; error: RequestShapeError | RequestValueError } {
  try {
    return { ok: true, value: parseWithSchema(schema, input) }
  } catch (error) {
    if (error instanceof RequestShapeError || error instanceof RequestValueError) {
      return { ok: false, error }
    }
    throw error
  }
}

/** A JSON Schema context that inlines nothing and collects components in a map. */
export function createJsonSchemaContext(): JsonSchemaContext & {
  readonly components: Map<string, JsonSchema>
} {
  const components = new Map<string, JsonSchema>()
  const building = new Set<string>()
  return {
    components,
    reference(name, build) {
      if (!components.has(name) && !building.has(name)) {
        // Marked before building so a schema that refers to itself terminates.
        building.add(name)
        components.set(name, build())
        building.delete(name)
      }
      return { $ref: `#/components/schemas/${name}` }
    },
  }
}

/** The JSON Schema of `schema` alone, with its components under `$defs`. */
export function toStandaloneJsonSchema(schema: Schema<unknown>): JsonSchema {
  const context = createJsonSchemaContext()
  const root = schema.toJsonSchema(context)
  if (context.components.size === 0) return root
  const rewritten = JSON.parse(
    JSON.stringify({ ...root, $defs: Object.fromEntries(context.components) }).replaceAll(
      '#/components/schemas/',
      '#/$defs/',
    ),
  ) as JsonSchema
  return rewritten
}
