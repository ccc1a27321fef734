import type { IncomingMessage } from 'node:http'
import type { RouteDefinition, RouteRegistry } from '@x0x/api'
import type { Logger } from '@x0x/base'
import type { RouteHandlers } from './route-handlers.js'
import type { SseStream } from './sse-stream.js'
import type { WebSocketConnection } from './websocket-connection.js'

/** What the request and upgrade paths share with the server. */
export interface ServerState {
  /** Only the routes that have a handler: the rest answer like unknown paths. */
  readonly registry: RouteRegistry
  readonly handlers: RouteHandlers
  readonly token: string
  readonly log: Logger
  /** Aborted when the server closes. */
  readonly signal: AbortSignal
  readonly maxBodyBytes: number
  readonly sseQueueCapacity: number
  readonly webSocketQueueCapacity: number
  readonly webSocketPingIntervalMs: number
  /** Live streams, ended on close. */
  readonly streams: Set<SseStream>
  readonly sockets: Set<WebSocketConnection>
}

/** A request target split as x0x's auth middleware sees it. */
export interface RequestTarget {
  /** The raw (still percent-encoded) path. */
  readonly path: string
  /** The raw query without `?`, if any. */
  readonly rawQuery: string | undefined
}

/** Splits `request.url` (origin-form `/path?query`); `undefined` for other forms. */
export function requestTarget(request: IncomingMessage): RequestTarget | undefined {
  const url = request.url ?? ''
  if (!url.startsWith('/')) return undefined
  const mark = url.indexOf('?')
  return mark === -1
    ? { path: url, rawQuery: undefined }
    : { path: url.slice(0, mark), rawQuery: url.slice(mark + 1) }
}

/** Whether `handlers` has an entry for `route` (in the table of the route's kind). */
export function hasHandler(handlers: RouteHandlers, route: RouteDefinition): boolean {
  const table =
    route.kind === 'json' ? handlers.json : route.kind === 'sse' ? handlers.sse : handlers.webSocket
  return table !== undefined && Object.hasOwn(table, route.name)
}
