// The one table from error `name` to HTTP status (STYLE.md): handlers throw the library's typed
// errors and never pick a status themselves, except through `HttpError` / `JsonAnswer`.
import { rejectionOf, type RouteDefinition } from '@x0x/api'
import { isJsonAnswer } from './route-handlers.js'

/** Status per error name. Anything else is a 500 with a generic message. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  InvalidArgumentError: 400,
  DecodeError: 400,
  Base64DecodeError: 400,
  InvalidIdError: 400,
  InvalidTopicError: 400,
  InvalidTrustLevelError: 400,
  InvalidIdentityTypeError: 400,
  InvalidAgentCardError: 400,
  InvalidPeerAddressError: 400,
  InvalidKeyError: 400,
  UserIdentityUnavailableError: 400,
  AgentBlockedError: 403,
  AgentNotFoundError: 404,
  InvalidStateError: 409,
  ContactLimitError: 409,
  RevocationLimitError: 409,
  PayloadTooLargeError: 413,
  DirectPayloadTooLargeError: 413,
  FrameTooLargeError: 413,
  SubscriptionLimitError: 413,
  DialError: 502,
  HandshakeError: 502,
  PeerIdentityMismatchError: 502,
  PeerCertificateNotYetValidError: 502,
  PeerCertificateExpiredError: 502,
  DirectSendError: 502,
  ConnectionClosedError: 502,
  StreamResetError: 502,
  StreamClosedError: 502,
  AbortError: 503,
  ClosedError: 503,
  QueueFullError: 503,
  ConnectionLimitError: 503,
  StreamLimitError: 503,
  AgentStoppedError: 503,
  TransportStoppedError: 503,
  PubsubStoppedError: 503,
  MembershipStoppedError: 503,
  BackendUnavailableError: 503,
  TimeoutError: 504,
}

/** The message of a 500: internals (paths, stack traces) never reach the client. */
export const INTERNAL_ERROR_MESSAGE = 'internal error'

/** A ready-to-send error response. */
export interface ErrorResponse {
  readonly status: number
  readonly contentType: string
  /** `undefined`: no body. */
  readonly body: string | undefined
  /** Whether the server should log it as a fault (500). */
  readonly unexpected: boolean
}

const JSON_TYPE = 'application/json'

function errorBody(route: RouteDefinition | undefined, message: string, fields: object): string {
  const { bare, ...extra } = fields as { bare?: unknown }
  if (bare === true || route?.errorBody === 'bare')
    return JSON.stringify({ error: message, ...extra })
  return JSON.stringify({ ok: false, error: message, ...extra })
}

/** The response for anything a handler (or request decoding) threw. */
export function errorResponse(error: unknown, route: RouteDefinition | undefined): ErrorResponse {
  if (isJsonAnswer(error)) {
    const body = error.body === undefined ? undefined : JSON.stringify(error.body)
    return { status: error.status, contentType: JSON_TYPE, body, unexpected: false }
  }
  const rejection = rejectionOf(error, { errorBody: route?.errorBody })
  if (rejection !== undefined) return { ...rejection, unexpected: false }
  if (error instanceof Error) {
    const explicit = (error as { status?: unknown }).status
    const fields = (error as { fields?: unknown }).fields
    if (error.name === 'HttpError' && typeof explicit === 'number') {
      const extra = typeof fields === 'object' && fields !== null ? fields : {}
      return {
        status: explicit,
        contentType: JSON_TYPE,
        body: errorBody(route, error.message, extra),
        unexpected: false,
      }
    }
    const status = ERROR_STATUS[error.name]
    if (status !== undefined) {
      return {
        status,
        contentType: JSON_TYPE,
        body: errorBody(route, error.message, {}),
        unexpected: false,
      }
    }
  }
  return {
    status: 500,
    contentType: JSON_TYPE,
    body: errorBody(route, INTERNAL_ERROR_MESSAGE, {}),
    unexpected: true,
  }
}
