import { X0xError } from '@x0x/base'

/*
 * One class per failure, identified by `name`. The request-decoding errors carry the HTTP status
 * and the exact body text x0x 0.19.21 answers with (API.md §0), so the daemon sends
 * `error.message` as it is: `rejectionOf` in `rejection.ts` is the one table from error to
 * response.
 */

/** Where in a JSON value a check failed: field names and array indices, outermost first. */
export type SchemaPath = readonly (string | number)[]

/**
 * A JSON body has the wrong shape for its route: a missing field, a value of the wrong type, an
 * unknown enum variant, or an unknown field on a route that rejects them. axum answers 422 with
 * plain text before the handler runs; `message` is that text.
 */
export class RequestShapeError extends X0xError {
  override readonly name = 'RequestShapeError'
  readonly status = 422
  /** Where the first problem is. */
  readonly path: SchemaPath
  /** The serde-style description without axum's prefix, e.g. ``missing field `topic` ``. */
  readonly detail: string

  constructor(detail: string, path: SchemaPath, options?: ErrorOptions) {
    super(
      `Failed to deserialize the JSON body into the target type: ${prefixOf(path)}${detail}`,
      options,
    )
    this.detail = detail
    this.path = path
  }
}

/** A request body is not syntactically JSON (or not UTF-8): axum's 400 with plain text. */
export class RequestSyntaxError extends X0xError {
  override readonly name = 'RequestSyntaxError'
  readonly status = 400

  constructor(detail: string, options?: ErrorOptions) {
    super(`Failed to parse the request body as JSON: ${detail}`, options)
  }
}

/**
 * A well-formed request carries a value its handler refuses (a bad hex id, an empty topic, bad
 * base64, an unknown trust level). `message` is the exact `error` text of the 400
 * `{"ok":false,"error":…}` body.
 */
export class RequestValueError extends X0xError {
  override readonly name = 'RequestValueError'
  readonly status = 400
  /** Where the bad value is (empty for a path or query parameter checked alone). */
  readonly path: SchemaPath

  constructor(message: string, path: SchemaPath = [], options?: ErrorOptions) {
    super(message, options)
    this.path = path
  }
}

/**
 * A JSON route got a request without `Content-Type: application/json`: 415. Routes with an
 * optional body answer in JSON instead of axum's plain text (`format`).
 */
export class UnsupportedMediaTypeError extends X0xError {
  override readonly name = 'UnsupportedMediaTypeError'
  readonly status = 415
  /** How the daemon words the answer: axum plain text, or a handler's JSON error body. */
  readonly format: 'text' | 'json'

  constructor(format: 'text' | 'json', options?: ErrorOptions) {
    super(
      format === 'text'
        ? 'Expected request with `Content-Type: application/json`'
        : 'Content-Type must be application/json',
      options,
    )
    this.format = format
  }
}

/** A request body is larger than the body limit: axum's 413 with plain text. */
export class PayloadTooLargeError extends X0xError {
  override readonly name = 'PayloadTooLargeError'
  readonly status = 413

  constructor(options?: ErrorOptions) {
    super('Failed to buffer the request body: length limit exceeded', options)
  }
}

/** A query string does not parse into the route's query type: axum's 400 with plain text. */
export class QueryStringError extends X0xError {
  override readonly name = 'QueryStringError'
  readonly status = 400
  readonly detail: string

  constructor(detail: string, options?: ErrorOptions) {
    super(`Failed to deserialize query string: ${detail}`, options)
    this.detail = detail
  }
}

/** Text is not standard padded base64; `message` words it as Rust's `base64` crate does. */
export class Base64DecodeError extends X0xError {
  override readonly name = 'Base64DecodeError'
}

/** Options of `X0xApiError`. */
export interface X0xApiErrorOptions extends ErrorOptions {
  /** The HTTP status. */
  readonly status: number
  /** The parsed JSON body, or the raw text when the body is not JSON. */
  readonly body: unknown
  /** The `detail` field some errors carry (`/direct/send` failures). */
  readonly detail?: string | undefined
}

/**
 * The daemon answered with a non-success status. `message` is the body's `error` text (or the
 * plain-text body of an extractor rejection, or the status line when the body is empty).
 */
export class X0xApiError extends X0xError {
  override readonly name = 'X0xApiError'
  readonly status: number
  readonly body: unknown
  readonly detail: string | undefined

  constructor(message: string, options: X0xApiErrorOptions) {
    super(message, options)
    this.status = options.status
    this.body = options.body
    this.detail = options.detail
  }
}

/** A daemon response (or streamed event) is not the JSON its route promises. */
export class InvalidResponseError extends X0xError {
  override readonly name = 'InvalidResponseError'
}

/** A server-sent event stream broke a line or event size limit (a hostile or broken server). */
export class EventStreamLimitError extends X0xError {
  override readonly name = 'EventStreamLimitError'
}

/** No daemon address can be found (a named instance without an `api.port` file). */
export class ApiEndpointNotFoundError extends X0xError {
  override readonly name = 'ApiEndpointNotFoundError'
}

function prefixOf(path: SchemaPath): string {
  return path.length === 0 ? '' : `${formatPath(path)}: `
}

/** A path as serde_path_to_error prints it: `a.b[0].c`. */
export function formatPath(path: SchemaPath): string {
  let text = ''
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`
    else text += text === '' ? segment : `.${segment}`
  }
  return text
}

/** The daemon could not be reached at all (nothing listening, connection refused, DNS). */
export class DaemonUnreachableError extends X0xError {
  override readonly name = 'DaemonUnreachableError'
}
