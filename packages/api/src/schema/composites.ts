import { RequestShapeError, type SchemaPath } from '../errors.js'
import { describe, makeSchema, type Infer, type JsonSchema, type Schema } from './schema.js'
import {
  describeUnexpected,
  invalidType,
  isJsonObject,
  unknownField,
  unknownVariant,
} from './serde-text.js'
import type { DescribedInit } from './primitives.js'

/** A schema an object may omit (`Option<T>`; JSON `null` counts as absent, as in serde). */
export interface OptionalSchema<T> extends Schema<T> {
  readonly optional: true
}

/** Marks a field as optional. `defaultValue` only documents what the daemon assumes. */
export function optional<T>(
  schema: Schema<T>,
  init: { defaultValue?: T; description?: string } = {},
): OptionalSchema<T> {
  const description = init.description ?? schema.description
  return {
    ...schema,
    optional: true,
    description,
    toJsonSchema: (context) =>
      describe(
        {
          ...schema.toJsonSchema(context),
          ...(init.defaultValue === undefined ? {} : { default: init.defaultValue }),
        },
        description,
      ),
  }
}

/** Adds `null` to the values a schema accepts (`Option<T>` serialised as `null`). */
export function nullable<T>(schema: Schema<T>): Schema<T | null> {
  return makeSchema<T | null>({
    description: schema.description,
    decodeShape: (input, path) => (input === null ? null : schema.decodeShape(input, path)),
    checkValue: (value, path) => (value === null ? null : schema.checkValue(value, path)),
    decodeText: (text, path) => schema.decodeText(text, path),
    toJsonSchema: (context) => ({ anyOf: [schema.toJsonSchema(context), { type: 'null' }] }),
  })
}

/** Options of `array`. */
export interface ArrayInit extends DescribedInit {
  /** Most elements accepted (a 422 past it): bounds what a hostile body can make us hold. */
  maxItems?: number
}

/** A JSON array of one element type (`Vec<T>`). */
export function array<T>(item: Schema<T>, init: ArrayInit = {}): Schema<T[]> {
  const { maxItems } = init
  return makeSchema<T[]>({
    description: init.description,
    decodeShape(input, path) {
      if (!Array.isArray(input)) throw new RequestShapeError(invalidType(input, 'a sequence'), path)
      if (maxItems !== undefined && input.length > maxItems) {
        throw new RequestShapeError(
          `invalid length ${input.length}, expected at most ${maxItems} elements`,
          path,
        )
      }
      return input.map((element: unknown, index) => item.decodeShape(element, [...path, index]))
    },
    checkValue: (value, path) =>
      value.map((element, index) => item.checkValue(element, [...path, index])),
    toJsonSchema: (context) =>
      describe(
        {
          type: 'array',
          items: item.toJsonSchema(context),
          ...(maxItems === undefined ? {} : { maxItems }),
        },
        init.description,
      ),
  })
}

/** A JSON object used as a map from string keys to one value type (`HashMap<String, T>`). */
export function record<T>(value: Schema<T>, init: DescribedInit = {}): Schema<Record<string, T>> {
  return makeSchema<Record<string, T>>({
    description: init.description,
    decodeShape(input, path) {
      if (!isJsonObject(input)) throw new RequestShapeError(invalidType(input, 'a map'), path)
      const result: Record<string, T> = Object.create(null) as Record<string, T>
      for (const [key, entry] of Object.entries(input)) {
        result[key] = value.decodeShape(entry, [...path, key])
      }
      return result
    },
    checkValue(input, path) {
      const result: Record<string, T> = Object.create(null) as Record<string, T>
      for (const [key, entry] of Object.entries(input)) {
        result[key] = value.checkValue(entry, [...path, key])
      }
      return result
    },
    toJsonSchema: (context) =>
      describe(
        { type: 'object', additionalProperties: value.toJsonSchema(context) },
        init.description,
      ),
  })
}

/** The fields of an object schema. */
export type Shape = Readonly<Record<string, Schema<unknown>>>

type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends { readonly optional: true } ? K : never
}[keyof S]

type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** The object type of a shape: optional fields may be absent. */
export type ObjectType<S extends Shape> = Simplify<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
    [K in OptionalKeys<S>]?: Infer<S[K]>
  }
>

/** Options of `object`. */
export interface ObjectInit extends DescribedInit {
  /**
   * What a field the shape does not name does: `ignore` drops it silently (serde's default),
   * `reject` fails with a 422 (`#[serde(deny_unknown_fields)]`). Default: `ignore`.
   */
  unknownFields?: 'ignore' | 'reject'
}

/** An object schema, with its fields and name kept for the OpenAPI document and for routes. */
export interface ObjectSchema<S extends Shape> extends Schema<ObjectType<S>> {
  /** The component name in the OpenAPI document, and serde's `struct <name>` in errors. */
  readonly name: string
  readonly shape: S
  readonly unknownFields: 'ignore' | 'reject'
}

/** A JSON object with named fields (a serde struct). */
export function object<S extends Shape>(
  name: string,
  shape: S,
  init: ObjectInit = {},
): ObjectSchema<S> {
  const unknownFields = init.unknownFields ?? 'ignore'
  const fieldNames = Object.keys(shape)
  const decodeShape = (input: unknown, path: SchemaPath): ObjectType<S> => {
    if (!isJsonObject(input)) {
      throw new RequestShapeError(invalidType(input, `struct ${name}`), path)
    }
    const result: Record<string, unknown> = {}
    // Keys in document order, as serde visits them: the first bad one is the one reported.
    for (const [key, value] of Object.entries(input)) {
      const field = Object.hasOwn(shape, key) ? shape[key] : undefined
      if (field === undefined) {
        if (unknownFields === 'reject') {
          throw new RequestShapeError(unknownField(key, fieldNames), path)
        }
        continue
      }
      if (value === null && field.optional) continue
      result[key] = field.decodeShape(value, [...path, key])
    }
    for (const key of fieldNames) {
      if (!(key in result) && !(shape[key] as Schema<unknown>).optional) {
        throw new RequestShapeError(`missing field \`${key}\``, path)
      }
    }
    return result as ObjectType<S>
  }
  const checkValue = (value: ObjectType<S>, path: SchemaPath): ObjectType<S> => {
    const input = value as Record<string, unknown>
    const result: Record<string, unknown> = { ...input }
    // Declaration order: the order in which handlers check their fields.
    for (const key of fieldNames) {
      if (input[key] !== undefined) {
        result[key] = (shape[key] as Schema<unknown>).checkValue(input[key], [...path, key])
      }
    }
    return result as ObjectType<S>
  }
  const body = (context: Parameters<Schema<unknown>['toJsonSchema']>[0]): JsonSchema => {
    const properties: Record<string, JsonSchema> = {}
    for (const key of fieldNames)
      properties[key] = (shape[key] as Schema<unknown>).toJsonSchema(context)
    const required = fieldNames.filter((key) => !(shape[key] as Schema<unknown>).optional)
    return describe(
      {
        type: 'object',
        properties,
        ...(required.length === 0 ? {} : { required }),
        ...(unknownFields === 'reject' ? { additionalProperties: false } : {}),
      },
      init.description,
    )
  }
  return {
    name,
    shape,
    unknownFields,
    optional: false,
    description: init.description,
    decodeShape,
    checkValue,
    decodeText: (_text, path) => {
      throw new RequestShapeError(`invalid type: string, expected struct ${name}`, path)
    },
    toJsonSchema: (context) => context.reference(name, () => body(context)),
  }
}

/**
 * One of several schemas, tried in order (serde's untagged enum): for responses with alternative
 * shapes such as `{found:true,addresses}` / `{found:false}`.
 */
export function union<const Members extends readonly Schema<unknown>[]>(
  name: string,
  members: Members,
  init: DescribedInit = {},
): Schema<Infer<Members[number]>> {
  type T = Infer<Members[number]>
  return makeSchema<T>({
    description: init.description,
    decodeShape(input, path) {
      for (const member of members) {
        try {
          return member.decodeShape(input, path) as T
        } catch (error) {
          if (!(error instanceof RequestShapeError)) throw error
        }
      }
      throw new RequestShapeError(`data did not match any variant of untagged enum ${name}`, path)
    },
    checkValue(value, path) {
      for (const member of members) {
        try {
          member.decodeShape(value, path)
        } catch {
          continue
        }
        return member.checkValue(value, path) as T
      }
      return value
    },
    toJsonSchema: (context) =>
      describe({ anyOf: members.map((member) => member.toJsonSchema(context)) }, init.description),
  })
}

/**
 * Objects told apart by a string field (serde's internally tagged enum, `#[serde(tag = "type")]`):
 * the WebSocket commands and the `/events` envelopes.
 */
export function taggedUnion<
  const Tag extends string,
  const Variants extends Readonly<Record<string, ObjectSchema<Shape>>>,
>(
  name: string,
  tag: Tag,
  variants: Variants,
  init: DescribedInit = {},
): Schema<
  { [K in keyof Variants]: Simplify<{ [P in Tag]: K } & Infer<Variants[K]>> }[keyof Variants]
> {
  type T = {
    [K in keyof Variants]: Simplify<{ [P in Tag]: K } & Infer<Variants[K]>>
  }[keyof Variants]
  const names = Object.keys(variants)
  const variantOf = (input: unknown, path: SchemaPath): [string, ObjectSchema<Shape>] => {
    if (!isJsonObject(input))
      throw new RequestShapeError(invalidType(input, `internally tagged enum ${name}`), path)
    const value = input[tag]
    if (value === undefined) throw new RequestShapeError(`missing field \`${tag}\``, path)
    if (typeof value !== 'string') {
      throw new RequestShapeError(
        `invalid type: ${describeUnexpected(value)}, expected variant identifier`,
        [...path, tag],
      )
    }
    const variant = Object.hasOwn(variants, value) ? variants[value] : undefined
    if (variant === undefined) {
      throw new RequestShapeError(unknownVariant(value, names), path)
    }
    return [value, variant]
  }
  return makeSchema<T>({
    description: init.description,
    decodeShape(input, path) {
      const [value, variant] = variantOf(input, path)
      const { [tag]: _tag, ...rest } = input as Record<string, unknown>
      return { [tag]: value, ...variant.decodeShape(rest, path) } as T
    },
    checkValue(input, path) {
      const [value, variant] = variantOf(input, path)
      const { [tag]: _tag, ...rest } = input as Record<string, unknown>
      return { [tag]: value, ...variant.checkValue(rest, path) } as T
    },
    toJsonSchema: (context) =>
      describe(
        {
          oneOf: names.map((variantName) => ({
            allOf: [
              {
                type: 'object',
                properties: { [tag]: { const: variantName } },
                required: [tag],
              },
              (variants[variantName] as ObjectSchema<Shape>).toJsonSchema(context),
            ],
          })),
        },
        init.description,
      ),
  })
}
