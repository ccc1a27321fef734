// A JSON route: read the body (bounded), decode it with the route's schema, call the handler,
// send its answer. Errors propagate to the pipeline, which maps them in one place.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { decodeJsonBody, PayloadTooLargeError, type RouteDefinition } from '@x0x/api'
import { discardBody, readRequestBody } from './request-body.js'
import type { DecodedRequest } from './request-pipeline.js'
import { sendResponse } from './respond.js'
import { isJsonAnswer, type JsonRouteHandler } from './route-handlers.js'
import type { ServerState } from './server-state.js'

async function readBody(
  state: ServerState,
  route: RouteDefinition,
  request: IncomingMessage,
): Promise<unknown> {
  if (route.request === undefined) {
    // No extractor reads it (as in axum); drop it so the connection can be reused.
    request.resume()
    return undefined
  }
  let bytes: Uint8Array
  try {
    bytes = await readRequestBody(request, state.maxBodyBytes)
  } catch (error) {
    if (error instanceof PayloadTooLargeError) discardBody(request)
    throw error
  }
  return decodeJsonBody(
    route.request,
    { contentType: request.headers['content-type'], body: bytes },
    { mode: route.requestMode ?? 'required', maxBytes: state.maxBodyBytes },
  )
}

/** Aborted when the server closes or the client goes away before the answer is written. */
function requestSignal(state: ServerState, response: ServerResponse): AbortSignal {
  const gone = new AbortController()
  response.once('close', () => {
    if (!response.writableFinished) gone.abort()
  })
  return AbortSignal.any([state.signal, gone.signal])
}

export async function serveJson(
  state: ServerState,
  route: RouteDefinition,
  request: IncomingMessage,
  response: ServerResponse,
  decoded: DecodedRequest,
): Promise<void> {
  const handler = state.handlers.json?.[route.name] as JsonRouteHandler
  const body = await readBody(state, route, request)
  const started = performance.now()
  const result: unknown = await handler({
    ...decoded,
    body,
    signal: requestSignal(state, response),
  })
  const [status, payload] = isJsonAnswer(result)
    ? [result.status, result.body]
    : [route.successStatus, route.successStatus === 204 ? undefined : result]
  sendResponse(
    response,
    status,
    'application/json',
    payload === undefined ? undefined : JSON.stringify(payload),
  )
  state.log(
    '%s %s %d %dms',
    request.method,
    route.name,
    status,
    Math.round(performance.now() - started),
  )
}
