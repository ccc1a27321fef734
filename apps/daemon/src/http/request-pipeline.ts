// Every plain HTTP request, in x0x's order (API.md §0): CORS preflight, auth (also for unknown
// paths), routing (404 / 405), path and query decoding, body (413 / 415 / 400 / 422), handler.
import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  decodePathParams,
  decodeQuery,
  isAuthorized,
  unauthorizedRejection,
  type RouteDefinition,
} from '@x0x/api'
import { answerPreflight, applyCorsHeaders } from './cors.js'
import { errorResponse } from './error-response.js'
import { serveJson } from './json-route.js'
import { sendResponse } from './respond.js'
import { requestTarget, type RequestTarget, type ServerState } from './server-state.js'
import { serveSse } from './sse-route.js'

/** The path params and query of a matched route, decoded with its schemas. */
export interface DecodedRequest {
  readonly params: Readonly<Record<string, string>>
  readonly query: Readonly<Record<string, unknown>>
}

/** Decodes path params (400 JSON) and query (400 plain text). Throws the request errors. */
export function decodeRequest(
  route: RouteDefinition,
  params: Readonly<Record<string, string>>,
  rawQuery: string | undefined,
): DecodedRequest {
  const decodedParams = decodePathParams(route, params)
  const query =
    route.query === undefined ? {} : decodeQuery(route.query, new URLSearchParams(rawQuery ?? ''))
  return { params: decodedParams, query }
}

function sendError(
  state: ServerState,
  response: ServerResponse,
  error: unknown,
  route: RouteDefinition | undefined,
): void {
  const answer = errorResponse(error, route)
  if (answer.unexpected) {
    const name = error instanceof Error ? error.name : typeof error
    state.log.error('%s failed: %s', route?.name ?? 'request', name)
  }
  sendResponse(response, answer.status, answer.contentType, answer.body)
}

function isAllowed(state: ServerState, request: IncomingMessage, target: RequestTarget): boolean {
  return isAuthorized(
    {
      method: request.method ?? 'GET',
      path: target.path,
      rawQuery: target.rawQuery,
      authorization: request.headers.authorization,
    },
    state.token,
  )
}

/** Handles one request; never throws (failures become responses). */
export async function handleRequest(
  state: ServerState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const target = requestTarget(request)
  if (target === undefined) {
    sendResponse(response, 400, 'text/plain; charset=utf-8', 'Invalid request target')
    return
  }
  applyCorsHeaders(request, response)
  if (request.method === 'OPTIONS') {
    answerPreflight(request, response)
    return
  }
  if (!isAllowed(state, request, target)) {
    const { status, contentType, body } = unauthorizedRejection
    sendResponse(response, status, contentType, body)
    return
  }
  await routeRequest(state, request, response, target)
}

async function routeRequest(
  state: ServerState,
  request: IncomingMessage,
  response: ServerResponse,
  target: RequestTarget,
): Promise<void> {
  // axum answers HEAD with the GET route, without a body (Node drops bodies of HEAD replies).
  const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET')
  const match = state.registry.match(method, target.path)
  if (match.status === 'not-found') {
    sendResponse(response, 404, undefined, undefined)
    return
  }
  if (match.status === 'method-not-allowed') {
    response.setHeader('allow', match.allowed.join(','))
    sendResponse(response, 405, undefined, undefined)
    return
  }
  const { route } = match
  if (route.kind === 'websocket') {
    // What axum's `WebSocketUpgrade` extractor answers a plain request.
    sendResponse(
      response,
      400,
      'text/plain; charset=utf-8',
      "Connection header did not include 'upgrade'",
    )
    return
  }
  let decoded: DecodedRequest
  try {
    decoded = decodeRequest(route, match.params, target.rawQuery)
  } catch (error) {
    sendError(state, response, error, route)
    return
  }
  if (route.kind === 'sse') {
    await serveSse(state, route, request, response, decoded)
    return
  }
  try {
    await serveJson(state, route, request, response, decoded)
  } catch (error) {
    sendError(state, response, error, route)
  }
}
