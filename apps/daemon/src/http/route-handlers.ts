// What the HTTP layer calls: handlers keyed by `@x0x/api` route name, one table per route kind.
// Only routes with a registered handler are served; the rest answer like unknown paths.

/** What a JSON handler receives: decoded and checked path params, query and body. */
export interface JsonRequest {
  /** Path params after the route's checks (hex ids lower-cased). */
  readonly params: Readonly<Record<string, string>>
  /** The query decoded with the route's schema (`{}` for routes without one). */
  readonly query: Readonly<Record<string, unknown>>
  /** The decoded body; `undefined` for routes without one (or an absent optional body). */
  readonly body: unknown
  /** Aborted when the client goes away or the server closes. */
  readonly signal: AbortSignal
}

/**
 * A JSON route handler. Returns the success body (sent with the route's success status), or a
 * `JsonAnswer` for another status; throws for errors (mapped by error `name`, see
 * `errorResponse`). May be async.
 */
export type JsonRouteHandler = (request: JsonRequest) => unknown

/** What a stream handler knows about its request. */
export interface StreamRequest {
  readonly params: Readonly<Record<string, string>>
  readonly query: Readonly<Record<string, unknown>>
}

/** One SSE client. Sending never blocks: events go to a bounded per-client queue. */
export interface EventSink {
  /** Queues `event: <event>\ndata: <json>\n\n`; when the queue is full the oldest is dropped. */
  send(event: string, data: unknown): void
  /** Queues a `:<text>` comment line (keep-alive); a leading `:` in `text` is accepted. */
  comment(text: string): void
  /** Aborted when the client goes away or the server closes. */
  readonly signal: AbortSignal
  /** Events dropped because this client fell behind (it is told with a `dropped` event). */
  readonly dropped: number
}

/** An SSE route handler; the stream ends when the returned promise settles or the signal aborts. */
export type SseHandler = (sink: EventSink, request: StreamRequest) => Promise<void> | void

/** One WebSocket client: JSON text frames both ways. */
export interface SocketSession {
  /** Queues `JSON.stringify(message)`; when the bounded queue is full the oldest is dropped. */
  send(message: unknown): void
  /** Receives every text frame (binary frames are ignored, as x0x does). */
  onMessage(listener: (text: string) => void): void
  /** Closes with 1000 (normal). */
  close(): void
  /** Aborted when the socket closes for any reason. */
  readonly signal: AbortSignal
  /** Messages dropped because this client fell behind (it is told with a `dropped` message). */
  readonly dropped: number
}

/** A WebSocket route handler, called once the upgrade is done. */
export type WebSocketHandler = (session: SocketSession, request: StreamRequest) => void

/** The handlers the server routes to, keyed by route name (`health`, `events`, `ws`, …). */
export interface RouteHandlers {
  readonly json?: Readonly<Record<string, JsonRouteHandler>> | undefined
  readonly sse?: Readonly<Record<string, SseHandler>> | undefined
  readonly webSocket?: Readonly<Record<string, WebSocketHandler>> | undefined
}

/** A JSON answer with a status other than the route's success status (`undefined` body: none). */
export class JsonAnswer {
  readonly status: number
  readonly body: unknown
  constructor(status: number, body: unknown) {
    this.status = status
    this.body = body
  }
}

/** A handler failure with an explicit status; the body is `{ok:false,error:message,...fields}`. */
export class HttpError extends Error {
  override readonly name = 'HttpError'
  readonly status: number
  /** Extra fields of the error body (`detail`); `bare: true` sends `{error}` without `ok`. */
  readonly fields: Readonly<Record<string, unknown>>
  constructor(status: number, message: string, fields: Readonly<Record<string, unknown>> = {}) {
    super(message)
    this.status = status
    this.fields = fields
  }
}

/**
 * Whether `value` is a `JsonAnswer`: an instance of this class, or of a class of the same shape
 * (another copy of the module). Success bodies are plain objects, so a class instance with a
 * numeric `status` and a `body` is an answer.
 */
export function isJsonAnswer(value: unknown): value is JsonAnswer {
  if (value instanceof JsonAnswer) return true
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  if (prototype === Object.prototype || prototype === null) return false
  const candidate = value as { status?: unknown }
  return typeof candidate.status === 'number' && 'body' in value && !(value instanceof Error)
}
