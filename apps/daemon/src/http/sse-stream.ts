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
  #reportedDropped = 0

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
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the sink getter reads it
    const stream = this
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
      get dropped() {
        return stream.dropped
      },
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

  #dropNotice(): string | undefined {
    const total = this.#queue.dropped
    if (total === this.#reportedDropped) return undefined
    const count = total - this.#reportedDropped
    this.#reportedDropped = total
    return dropNoticeFrame(count, total)
  }

  #flush(): void {
    if (this.#waitingForDrain || !this.#response.headersSent || this.#response.writableEnded) return
    for (
      let frame = this.#dropNotice() ?? this.#queue.shift();
      frame !== undefined;
      frame = this.#dropNotice() ?? this.#queue.shift()
    ) {
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

/**
 * A client that fell behind gets `event: dropped` with `{"count","total"}` before the next event
 * it does receive (an extension of x0x's streams), so no loss is silent.
 */
function dropNoticeFrame(count: number, total: number): string {
  return `event: dropped\ndata: ${JSON.stringify({ count, total })}\n\n`
}

/** Event names and comments are single lines: a newline would let data forge another event. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ')
}
