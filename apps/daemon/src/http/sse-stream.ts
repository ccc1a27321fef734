// One SSE client (`text/event-stream`, each event `event: <name>\ndata: <json>\n\n`). Handlers
// push without ever blocking; frames wait in a bounded queue and are written as fast as the
// socket takes them. A slow client loses its oldest events, never the daemon's memory (x0x
// issue: unbounded per-client buffers, API.md §7.10).
import type { ServerResponse } from 'node:http'
import { BoundedQueue } from '@x0x/base'
import type { EventSink } from './route-handlers.js'

/** Frames queued per SSE client before the oldest is dropped (x0x's broadcast buffer: 256). */
export const DEFAULT_SSE_QUEUE_CAPACITY = 256

/** The server side of one SSE response. */
export class SseStream {
  readonly sink: EventSink
  readonly #response: ServerResponse
  readonly #queue: BoundedQueue<string>
  readonly #controller = new AbortController()
  #waitingForDrain = false

  constructor(response: ServerResponse, capacity: number, serverSignal: AbortSignal) {
    this.#response = response
    this.#queue = new BoundedQueue({ capacity, overflow: 'drop-oldest' })
    const abort = (): void => {
      this.#controller.abort()
    }
    serverSignal.addEventListener('abort', abort, { once: true })
    response.once('close', () => {
      serverSignal.removeEventListener('abort', abort)
      abort()
    })
    const signal = this.#controller.signal
    this.sink = {
      send: (event, data) => {
        this.#enqueue(
          `event: ${oneLine(event)}\ndata: ${JSON.stringify(data === undefined ? null : data)}\n\n`,
        )
      },
      comment: (text) => {
        this.#enqueue(`:${oneLine(text.startsWith(':') ? text.slice(1) : text)}\n\n`)
      },
      signal,
    }
  }

  /** Events dropped because this client fell behind. */
  get dropped(): number {
    return this.#queue.dropped
  }

  /** Sends the response head; events may be queued before or after. */
  open(headers: Readonly<Record<string, string>>): void {
    this.#response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
    })
    // Flush the head now: a client waits for it before it reads events.
    this.#response.flushHeaders()
    this.#flush()
  }

  /** Ends the response once (after writing what is queued, if the socket takes it). */
  end(): void {
    this.#flush()
    this.#queue.close()
    if (!this.#response.writableEnded) this.#response.end()
    this.#controller.abort()
  }

  #enqueue(frame: string): void {
    if (this.#controller.signal.aborted) return
    this.#queue.push(frame)
    this.#flush()
  }

  #flush(): void {
    if (this.#waitingForDrain || !this.#response.headersSent || this.#response.writableEnded) return
    for (let frame = this.#queue.shift(); frame !== undefined; frame = this.#queue.shift()) {
      if (!this.#response.write(frame)) {
        this.#waitingForDrain = true
        this.#response.once('drain', () => {
          this.#waitingForDrain = false
          this.#flush()
        })
        return
      }
    }
  }
}

/** Event names and comments are single lines: a newline would let data forge another event. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ')
}
