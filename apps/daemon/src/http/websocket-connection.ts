// One WebSocket client (`ws` package). JSON text frames; sends go through a bounded queue behind
// the socket's own buffer, so a client that stops reading loses its oldest messages instead of
// growing the daemon's memory. Protocol pings detect clients that vanished without a close.
import { BoundedQueue } from '@x0x/base'
import type { RawData, WebSocket } from 'ws'
import type { SocketSession } from './route-handlers.js'

/** Messages queued per WebSocket client before the oldest is dropped. */
export const DEFAULT_WEBSOCKET_QUEUE_CAPACITY = 256
/** Bytes the socket may hold unsent before further messages wait in the bounded queue. */
export const WEBSOCKET_MAX_BUFFERED_BYTES = 1024 * 1024
/** A protocol ping this often; a client that has not answered the previous one is dropped. */
export const WEBSOCKET_PING_INTERVAL_MS = 30_000
/** Listeners one session may register (handlers register one). */
const MAX_MESSAGE_LISTENERS = 8

/** Close codes (RFC 6455 §7.4.1). */
const NORMAL_CLOSURE = 1000
const GOING_AWAY = 1001

/** The server side of one WebSocket. */
export class WebSocketConnection {
  readonly session: SocketSession
  readonly #socket: WebSocket
  readonly #queue: BoundedQueue<string>
  readonly #controller = new AbortController()
  readonly #listeners: ((text: string) => void)[] = []
  #alive = true
  #reportedDropped = 0

  constructor(socket: WebSocket, capacity: number, pingIntervalMs: number) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the session getter reads it
    const connection = this
    this.#socket = socket
    this.#queue = new BoundedQueue({ capacity, overflow: 'drop-oldest' })
    const ping = setInterval(() => {
      this.#heartbeat()
    }, pingIntervalMs)
    socket.on('pong', () => {
      this.#alive = true
    })
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) this.#deliver(rawText(data))
    })
    socket.once('close', () => {
      clearInterval(ping)
      this.#queue.close()
      this.#controller.abort()
    })
    socket.on('error', () => {
      socket.terminate()
    })
    this.session = {
      send: (message) => {
        this.#send(JSON.stringify(message === undefined ? null : message))
      },
      onMessage: (listener) => {
        if (this.#listeners.length < MAX_MESSAGE_LISTENERS) this.#listeners.push(listener)
      },
      close: () => {
        this.close(NORMAL_CLOSURE)
      },
      signal: this.#controller.signal,
      get dropped() {
        return connection.dropped
      },
    }
  }

  /** Messages dropped because this client fell behind. */
  get dropped(): number {
    return this.#queue.dropped
  }

  get closed(): boolean {
    return this.#controller.signal.aborted
  }

  /** Starts the closing handshake (1001 when the daemon stops). */
  close(code: number = GOING_AWAY): void {
    if (
      this.#socket.readyState === this.#socket.OPEN ||
      this.#socket.readyState === this.#socket.CONNECTING
    ) {
      this.#socket.close(code)
    }
  }

  /** Cuts the connection without a handshake (after the close grace period). */
  terminate(): void {
    this.#socket.terminate()
  }

  /**
   * A client that fell behind is told before the next message it does get: `{"type":"dropped",
   * "count":<lost since the last notice>,"total":<lost so far>}` (an extension of x0x's protocol,
   * whose clients ignore unknown types), so no loss is silent.
   */
  #dropNotice(): string | undefined {
    const total = this.#queue.dropped
    if (total === this.#reportedDropped) return undefined
    const count = total - this.#reportedDropped
    this.#reportedDropped = total
    return JSON.stringify({ type: 'dropped', count, total })
  }

  #deliver(text: string): void {
    for (const listener of this.#listeners) listener(text)
  }

  #heartbeat(): void {
    if (!this.#alive) {
      this.#socket.terminate()
      return
    }
    this.#alive = false
    this.#socket.ping()
  }

  #send(text: string): void {
    if (this.closed) return
    this.#queue.push(text)
    this.#pump()
  }

  /**
   * Moves queued messages into the socket while its buffer is below the bound; each write's
   * completion callback resumes the pump, so the queue drains as fast as the client reads.
   */
  #pump(): void {
    while (
      this.#socket.readyState === this.#socket.OPEN &&
      this.#socket.bufferedAmount < WEBSOCKET_MAX_BUFFERED_BYTES
    ) {
      const next = this.#dropNotice() ?? this.#queue.shift()
      if (next === undefined) return
      this.#socket.send(next, () => {
        this.#pump()
      })
    }
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8')
}
