// WebSocket upgrades (`/ws`, `/ws/direct`): the same auth and routing as plain requests, answered
// on the raw socket when refused, handed to `ws` in noServer mode when accepted.
import type { IncomingMessage } from 'node:http'
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { isAuthorized, unauthorizedRejection } from '@x0x/api'
import type { WebSocketServer } from 'ws'
import { errorResponse } from './error-response.js'
import { decodeRequest, type DecodedRequest } from './request-pipeline.js'
import type { WebSocketHandler } from './route-handlers.js'
import { requestTarget, type ServerState } from './server-state.js'
import { WebSocketConnection } from './websocket-connection.js'

/** Writes a complete HTTP/1.1 response on a socket that was not upgraded, then closes it. */
function refuse(socket: Duplex, status: number, contentType?: string, body = ''): void {
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`,
    'connection: close',
    `content-length: ${Buffer.byteLength(body)}`,
    ...(contentType === undefined ? [] : [`content-type: ${contentType}`]),
  ]
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`)
}

interface Accepted {
  readonly handler: WebSocketHandler
  readonly decoded: DecodedRequest
  readonly name: string
}

/** Auth, route and decode checks; refuses on the socket and returns `undefined` on failure. */
function accept(
  state: ServerState,
  request: IncomingMessage,
  socket: Duplex,
): Accepted | undefined {
  const target = requestTarget(request)
  if (target === undefined) {
    refuse(socket, 400)
    return undefined
  }
  const method = request.method ?? 'GET'
  const authorization = request.headers.authorization
  if (
    !isAuthorized(
      { method, path: target.path, rawQuery: target.rawQuery, authorization },
      state.token,
    )
  ) {
    const { status, contentType, body } = unauthorizedRejection
    refuse(socket, status, contentType, body)
    return undefined
  }
  const match = state.registry.match(method, target.path)
  if (match.status === 'method-not-allowed') {
    refuse(socket, 405)
    return undefined
  }
  if (match.status === 'not-found' || match.route.kind !== 'websocket') {
    refuse(socket, 404)
    return undefined
  }
  const handler = state.handlers.webSocket?.[match.route.name]
  if (handler === undefined) {
    refuse(socket, 404)
    return undefined
  }
  try {
    return {
      handler,
      decoded: decodeRequest(match.route, match.params, target.rawQuery),
      name: match.route.name,
    }
  } catch (error) {
    const answer = errorResponse(error, match.route)
    refuse(socket, answer.status, answer.contentType, answer.body)
    return undefined
  }
}

/** Handles an `upgrade` event of the HTTP server. */
export function handleUpgrade(
  state: ServerState,
  server: WebSocketServer,
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): void {
  socket.on('error', () => {
    socket.destroy()
  })
  if (state.signal.aborted) {
    refuse(socket, 503)
    return undefined
  }
  const accepted = accept(state, request, socket)
  if (accepted === undefined) return
  server.handleUpgrade(request, socket, head, (webSocket) => {
    const connection = new WebSocketConnection(
      webSocket,
      state.webSocketQueueCapacity,
      state.webSocketPingIntervalMs,
    )
    state.sockets.add(connection)
    webSocket.once('close', () => {
      state.sockets.delete(connection)
      state.log('%s session closed (%d dropped)', accepted.name, connection.dropped)
    })
    if (state.signal.aborted) {
      connection.close()
      return
    }
    state.log('%s session opened', accepted.name)
    try {
      accepted.handler(connection.session, accepted.decoded)
    } catch (error) {
      state.log.error(
        '%s handler failed: %s',
        accepted.name,
        error instanceof Error ? error.name : 'error',
      )
      connection.close(1011)
    }
  })
}
