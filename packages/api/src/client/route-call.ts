import { errorFromSignal, timeoutSignal } from '@x0x/base'
import {
  DaemonUnreachableError,
  InvalidResponseError,
  RequestShapeError,
  X0xApiError,
} from '../errors.js'
import { BEARER_PREFIX } from '../constants.js'
import { isJsonObject } from '../schema/serde-text.js'
import type { Schema } from '../schema/schema.js'
import type {
  RouteDefinition,
  RouteParams,
  RouteQuery,
  RouteRequest,
  RouteResponse,
} from '../routes/route.js'

/** The resolved settings every call uses. */
export interface ClientSettings {
  readonly baseUrl: string
  readonly token: string | undefined
  readonly fetch: typeof globalThis.fetch
  readonly timeoutMs: number
  readonly validateResponses: boolean
}

/** Per-call options. */
export interface CallOptions {
  /** Cancels the call. Default: none (the client's `timeoutMs` still applies). */
  signal?: AbortSignal | undefined
}

type Optional<T, Key extends string> = [keyof T] extends [never]
  ? { [K in Key]?: T }
  : Partial<T> extends T
    ? { [K in Key]?: T }
    : { [K in Key]: T }

/** What a call to `route` takes: its params, query and body, each only when it has them. */
export type RouteInput<Route> = Optional<RouteParams<Route>, 'params'> &
  Optional<RouteQuery<Route>, 'query'> &
  (RouteRequest<Route> extends undefined
    ? { body?: undefined }
    : Optional<RouteRequest<Route>, 'body'>)

/** The URL of `route` with `params` filled in and `query` appended (undefined values skipped). */
export function routeUrl(
  baseUrl: string,
  route: RouteDefinition,
  params: Readonly<Record<string, string>> = {},
  query: Readonly<Record<string, unknown>> = {},
): URL {
  const path = route.path.replace(/:([^/]+)/g, (_whole, name: string) => {
    const value = params[name]
    if (value === undefined) throw new TypeError(`missing path parameter ${name} for ${route.name}`)
    return encodeURIComponent(value)
  })
  const url = new URL(baseUrl.replace(/\/+$/, '') + path)
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) {
      url.searchParams.set(key, typeof value === 'string' ? value : JSON.stringify(value))
    }
  }
  return url
}

/** Headers with the token, on routes that need one. */
export function authHeaders(
  settings: ClientSettings,
  route: RouteDefinition,
): Record<string, string> {
  return route.auth === 'none' || settings.token === undefined
    ? {}
    : { authorization: `${BEARER_PREFIX}${settings.token}` }
}

/** Checks a decoded body against its schema's shape when the client validates responses. */
export function checkResponse(
  settings: ClientSettings,
  schema: Schema<unknown> | undefined,
  value: unknown,
  what: string,
): unknown {
  if (!settings.validateResponses || schema === undefined) return value
  try {
    return schema.decodeShape(value, [])
  } catch (error) {
    if (error instanceof RequestShapeError) {
      throw new InvalidResponseError(`${what}: ${error.detail}`, { cause: error })
    }
    throw error
  }
}

/** The `X0xApiError` for a non-success response. */
export async function apiErrorOf(response: Response): Promise<X0xApiError> {
  const text = await response.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {
    // axum's extractor rejections are plain text: the text itself is the message.
  }
  const error = isJsonObject(body) && typeof body['error'] === 'string' ? body['error'] : undefined
  const detail =
    isJsonObject(body) && typeof body['detail'] === 'string' ? body['detail'] : undefined
  const message = error ?? (text === '' ? `HTTP ${response.status} ${response.statusText}` : text)
  return new X0xApiError(message, { status: response.status, body, detail })
}

/** `fetch` with cancellation turned into the package's errors. */
export async function fetchRoute(
  settings: ClientSettings,
  url: URL,
  init: RequestInit & { signal: AbortSignal },
): Promise<Response> {
  try {
    return await settings.fetch(url, init)
  } catch (error) {
    if (init.signal.aborted) throw errorFromSignal(init.signal)
    throw new DaemonUnreachableError(`cannot reach the daemon at ${settings.baseUrl}`, {
      cause: error,
    })
  }
}

/**
 * Calls one JSON route: fills in the URL, sends the token and body, and returns the parsed
 * success body (or `undefined` for 204). Non-success statuses throw `X0xApiError`.
 */
export async function callRoute<const Route extends RouteDefinition>(
  settings: ClientSettings,
  route: Route,
  input: RouteInput<Route>,
  options: CallOptions = {},
): Promise<RouteResponse<Route>> {
  const { params, query, body } = input as {
    params?: Record<string, string>
    query?: Record<string, unknown>
    body?: unknown
  }
  const url = routeUrl(settings.baseUrl, route, params, query)
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...authHeaders(settings, route),
  }
  if (body !== undefined) headers['content-type'] = 'application/json'
  using deadline = timeoutSignal(settings.timeoutMs, { signal: options.signal })
  const response = await fetchRoute(settings, url, {
    method: route.method,
    headers,
    signal: deadline.signal,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  try {
    if (!response.ok) throw await apiErrorOf(response)
    if (response.status === 204 || route.response === undefined) {
      await response.body?.cancel()
      return undefined as RouteResponse<Route>
    }
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      throw new InvalidResponseError(`${route.name}: response is not JSON`, { cause: error })
    }
    return checkResponse(settings, route.response, parsed, route.name) as RouteResponse<Route>
  } catch (error) {
    if (deadline.signal.aborted) throw errorFromSignal(deadline.signal)
    throw error
  }
}
