import { BoundedQueue, errorFromSignal, type QueueWaitOptions } from '@x0x/base'
import { DaemonUnreachableError, InvalidResponseError } from '../errors.js'
import { WebSocketMessageSchema } from '../schemas/contacts-websocket.js'
import type { WebSocketCommand, WebSocketMessage } from '../schemas/contacts-websocket.js'
import type { ClientSettings } from './route-call.js'

/** Options of `connectWebSocket`. */
export interface WebSocketConnectOptions {
  /** Cancels the connection attempt, and closes the session when it aborts later. */
  signal?: AbortSignal | undefined
  /**
   * Messages held for a slow consumer; past it the oldest are dropped (counted in `dropped`),
   * as the daemon's own broadcast does. Default: 256.
   */
  queueCapacity?: number
}

/** An open `/ws` or `/ws/direct` session. */
export interface X0xWebSocketSession extends AsyncIterable<WebSocketMessage> {
  /** From the daemon's `connected` message. */
  readonly sessionId: string
  /** This daemon's agent id, from `connected`. */
  readonly agentId: string
  /** Messages dropped because the consumer was slower than `queueCapacity` allows. */
  readonly dropped: number
  /** Frames that were not a JSON message of the protocol (skipped). */
  readonly invalidFrames: number
  send(command: WebSocketCommand): void
  subscribe(topics: readonly string[]): void
  unsubscribe(topics: readonly string[]): void
  /** Publishes base64 `payload` (no success reply; failures arrive as `error` messages). */
  publish(topic: string, payload: string): void
  /** Sends a DM with base64 `payload` (no success reply). */
  sendDirect(agentId: string, payload: string): void
  /** Messages after `connected`, until the socket closes. */
  messages(options?: QueueWaitOptions): AsyncGenerator<WebSocketMessage, void, undefined>
  /** Closes the socket; the message iteration ends once drained. Idempotent. */
  close(): void
}

/** `http://host/path` → `ws://host/path?token=…` (browsers cannot send headers on WebSocket). */
export function webSocketUrl(settings: ClientSettings, path: string): URL {
  const url = new URL(settings.baseUrl.replace(/\/+$/, '') + path)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  if (settings.token !== undefined) url.searchParams.set('token', settings.token)
  return url
}

/**
 * Opens a WebSocket session and resolves once the daemon's `connected` message arrives. Uses the
 * global `WebSocket` (browsers, Node ≥ 22) unless one is injected.
 */
export function connectWebSocket(
  settings: ClientSettings,
  path: '/ws' | '/ws/direct',
  options: WebSocketConnectOptions & { WebSocket?: typeof WebSocket | undefined } = {},
): Promise<X0xWebSocketSession> {
  const { signal } = options
  if (signal?.aborted === true) return Promise.reject(errorFromSignal(signal))
  const Socket = options.WebSocket ?? globalThis.WebSocket
  const socket = new Socket(webSocketUrl(settings, path))
  const queue = new BoundedQueue<WebSocketMessage>({
    capacity: options.queueCapacity ?? 256,
    overflow: 'drop-oldest',
  })
  let invalidFrames = 0
  const decode = (data: unknown): WebSocketMessage | undefined => {
    try {
      const parsed: unknown = JSON.parse(typeof data === 'string' ? data : '')
      return settings.validateResponses
        ? WebSocketMessageSchema.decodeShape(parsed, [])
        : (parsed as WebSocketMessage)
    } catch {
      invalidFrames++
      return undefined
    }
  }
  return new Promise<X0xWebSocketSession>((resolve, reject) => {
    let session: X0xWebSocketSession | undefined
    const onAbort = (): void => {
      socket.close()
      queue.close()
      if (session === undefined) reject(errorFromSignal(signal))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.addEventListener('message', (event: MessageEvent) => {
      const message = decode(event.data)
      if (message === undefined) return
      if (session === undefined) {
        if (message.type !== 'connected') return
        session = createSession(socket, queue, message, () => invalidFrames)
        resolve(session)
        return
      }
      queue.push(message)
    })
    socket.addEventListener('error', () => {
      if (session === undefined) {
        reject(new DaemonUnreachableError(`WebSocket to ${settings.baseUrl}${path} failed`))
      }
    })
    socket.addEventListener('close', () => {
      signal?.removeEventListener('abort', onAbort)
      queue.close()
      if (session === undefined) {
        reject(new InvalidResponseError(`WebSocket ${path} closed before \`connected\``))
      }
    })
  })
}

function createSession(
  socket: WebSocket,
  queue: BoundedQueue<WebSocketMessage>,
  connected: Extract<WebSocketMessage, { type: 'connected' }>,
  invalidFrames: () => number,
): X0xWebSocketSession {
  const send = (command: WebSocketCommand): void => {
    socket.send(JSON.stringify(command))
  }
  return {
    sessionId: connected.session_id,
    agentId: connected.agent_id,
    get dropped() {
      return queue.dropped
    },
    get invalidFrames() {
      return invalidFrames()
    },
    send,
    subscribe: (topics) => {
      send({ type: 'subscribe', topics: [...topics] })
    },
    unsubscribe: (topics) => {
      send({ type: 'unsubscribe', topics: [...topics] })
    },
    publish: (topic, payload) => {
      send({ type: 'publish', topic, payload })
    },
    sendDirect: (agentId, payload) => {
      send({ type: 'send_direct', agent_id: agentId, payload })
    },
    messages: (options) => queue.iterate(options),
    [Symbol.asyncIterator]: () => queue.iterate(),
    close: () => {
      socket.close()
    },
  }
}
