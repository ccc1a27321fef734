import {
  PayloadTooLargeError,
  QueryStringError,
  RequestShapeError,
  RequestSyntaxError,
  RequestValueError,
  UnsupportedMediaTypeError,
} from './errors.js'
import { UNAUTHORIZED_BODY } from './constants.js'

/** A ready-to-send error response. */
export interface Rejection {
  readonly status: number
  readonly contentType: 'text/plain; charset=utf-8' | 'application/json'
  readonly body: string
}

/** Options of `rejectionOf`. */
export interface RejectionOptions {
  /** The route's handler error shape (`RouteDefinition.errorBody`). Default: `ok-false`. */
  errorBody?: 'ok-false' | 'bare' | undefined
}

const TEXT = 'text/plain; charset=utf-8'
const JSON_TYPE = 'application/json'

/** The JSON error body a handler sends: `{ok:false,error}` or, on `bare` routes, `{error}`. */
export function handlerErrorBody(
  message: string,
  errorBody: 'ok-false' | 'bare' = 'ok-false',
): string {
  return JSON.stringify(errorBody === 'bare' ? { error: message } : { ok: false, error: message })
}

/**
 * The response x0x sends for a request-decoding error, or `undefined` for anything else (which
 * the daemon maps by error name elsewhere). The one table from request errors to status and body.
 */
export function rejectionOf(error: unknown, options: RejectionOptions = {}): Rejection | undefined {
  if (error instanceof RequestValueError) {
    return {
      status: 400,
      contentType: JSON_TYPE,
      body: handlerErrorBody(error.message, options.errorBody),
    }
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return error.format === 'text'
      ? { status: 415, contentType: TEXT, body: error.message }
      : { status: 415, contentType: JSON_TYPE, body: handlerErrorBody(error.message) }
  }
  if (
    error instanceof RequestShapeError ||
    error instanceof RequestSyntaxError ||
    error instanceof QueryStringError ||
    error instanceof PayloadTooLargeError
  ) {
    return { status: error.status, contentType: TEXT, body: error.message }
  }
  return undefined
}

/** The 401 x0x sends: `{"error":"missing or invalid Authorization: Bearer token"}`. */
export const unauthorizedRejection: Rejection = {
  status: 401,
  contentType: JSON_TYPE,
  body: JSON.stringify(UNAUTHORIZED_BODY),
}
