import {
  PayloadTooLargeError,
  QueryStringError,
  RequestShapeError,
  RequestSyntaxError,
  RequestValueError,
  UnsupportedMediaTypeError,
} from '../errors.js'
import { MAX_REQUEST_BODY_BYTES } from '../constants.js'
import type { ObjectSchema, ObjectType, Shape } from './composites.js'
import type { Schema } from './schema.js'

/**
 * Whether a `Content-Type` names JSON as axum's `Json` extractor decides: `application/json` or
 * any `application/*+json`, parameters (`; charset=utf-8`) allowed, case-insensitive.
 */
export function isJsonContentType(contentType: string | null | undefined): boolean {
  if (contentType === null || contentType === undefined) return false
  const essence = (contentType.split(';')[0] ?? '').trim().toLowerCase()
  const [type, subtype] = essence.split('/')
  if (type !== 'application' || subtype === undefined) return false
  return subtype === 'json' || subtype.endsWith('+json')
}

/** A request body as the daemon received it. */
export interface JsonBodyInput {
  /** The `Content-Type` header, if any. */
  contentType: string | null | undefined
  /** The raw body. */
  body: Uint8Array | string
}

/** Options of `decodeJsonBody`. */
export interface DecodeJsonBodyOptions {
  /**
   * `required`: axum's `Json<T>` (415 / 400 / 422 in plain text). `optional`: x0x's hand-parsed
   * optional bodies (`POST /announce`): an empty body gives `undefined`, errors are 400/415 JSON.
   * Default: `required`.
   */
  mode?: 'required' | 'optional'
  /** Largest body accepted, in bytes. Default: `MAX_REQUEST_BODY_BYTES` (1 MiB, as x0x). */
  maxBytes?: number
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()

/**
 * Decodes and validates a JSON request body in the order x0x does: size (413), content type
 * (415), syntax (400), shape (422), then the handler's value checks (400 `{ok:false,error}`).
 * Throws only the package's request errors; `rejectionOf` turns them into the response.
 */
export function decodeJsonBody<T>(schema: Schema<T>, input: JsonBodyInput): T
export function decodeJsonBody<T>(
  schema: Schema<T>,
  input: JsonBodyInput,
  options: DecodeJsonBodyOptions & { mode: 'optional' },
): T | undefined
export function decodeJsonBody<T>(
  schema: Schema<T>,
  input: JsonBodyInput,
  options?: DecodeJsonBodyOptions,
): T | undefined
export function decodeJsonBody<T>(
  schema: Schema<T>,
  input: JsonBodyInput,
  options: DecodeJsonBodyOptions = {},
): T | undefined {
  const mode = options.mode ?? 'required'
  const maxBytes = options.maxBytes ?? MAX_REQUEST_BODY_BYTES
  const bytes = typeof input.body === 'string' ? encoder.encode(input.body) : input.body
  if (bytes.length > maxBytes) throw new PayloadTooLargeError()
  if (mode === 'optional' && bytes.length === 0) return undefined
  if (!isJsonContentType(input.contentType)) {
    throw new UnsupportedMediaTypeError(mode === 'required' ? 'text' : 'json')
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(utf8.decode(bytes))
  } catch (error) {
    const detail = error instanceof Error ? error.message : 'invalid JSON'
    if (mode === 'optional') throw new RequestValueError(`invalid JSON body: ${detail}`)
    throw new RequestSyntaxError(detail, { cause: error })
  }
  let shaped: T
  try {
    shaped = schema.decodeShape(parsed, [])
  } catch (error) {
    // x0x parses its optional bodies by hand and answers every failure with a JSON 400.
    if (mode === 'optional' && error instanceof RequestShapeError) {
      throw new RequestValueError(`invalid JSON body: ${error.detail}`, error.path, {
        cause: error,
      })
    }
    throw error
  }
  return schema.checkValue(shaped, [])
}

/**
 * Decodes a query string into an object schema as serde_urlencoded does: the first occurrence of
 * a key counts, unknown keys are ignored, a value that does not parse is a 400 in plain text
 * (`QueryStringError`). Value checks after that (hex ids) throw `RequestValueError`.
 */
export function decodeQuery<S extends Shape>(
  schema: ObjectSchema<S>,
  query: URLSearchParams | string,
): ObjectType<S> {
  const parameters = typeof query === 'string' ? new URLSearchParams(query) : query
  const result: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(schema.shape)) {
    const text = parameters.get(key)
    if (text === null) {
      if (!field.optional) throw new QueryStringError(`missing field \`${key}\``)
      continue
    }
    try {
      result[key] = field.decodeText(text, [key])
    } catch (error) {
      if (error instanceof RequestShapeError) {
        throw new QueryStringError(`${key}: ${error.detail}`, { cause: error })
      }
      throw error
    }
  }
  return schema.checkValue(result as ObjectType<S>, [])
}
