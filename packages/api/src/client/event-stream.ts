import { EventStreamLimitError } from '../errors.js'

/** One event of a `text/event-stream`, before its data is parsed. */
export interface RawServerSentEvent {
  /** The `event:` field, or `message` when absent (WHATWG HTML §9.2). */
  readonly event: string
  /** The `data:` lines joined with `\n`. */
  readonly data: string
  /** The last `id:` field seen, if any. */
  readonly id: string | undefined
}

/** Bounds of `parseEventStream`. */
export interface EventStreamLimits {
  /** Longest line, in UTF-16 code units (≤ its UTF-8 bytes). */
  readonly maxLineLength: number
  /** Most `data` held for one event, in UTF-16 code units. */
  readonly maxEventLength: number
}

/**
 * Parses a `text/event-stream` body (WHATWG HTML §9.2.6) into events, holding at most one line
 * and one event within `limits` so a broken or hostile server cannot grow our memory. Comments
 * (`:ping` keep-alives) and `retry:` are skipped; events without data are not dispatched. Throws
 * `EventStreamLimitError` past a limit. Cancel by aborting the fetch that produced `body`, or by
 * leaving the loop (the reader is released).
 */
export async function* parseEventStream(
  body: ReadableStream<Uint8Array>,
  limits: EventStreamLimits,
): AsyncGenerator<RawServerSentEvent, void, undefined> {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  let first = true
  let eventName = ''
  let data: string[] = []
  let dataLength = 0
  let lastId: string | undefined
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return // an unterminated last event is discarded, as the spec says
      buffer += first ? value.replace(/^\uFEFF/, '') : value
      first = false
      let start = 0
      for (;;) {
        const match = /\r\n|\r|\n/g
        match.lastIndex = start
        const found = match.exec(buffer)
        // A trailing '\r' may be the first half of '\r\n': wait for the next chunk.
        if (found === null || (found[0] === '\r' && found.index === buffer.length - 1)) break
        const line = buffer.slice(start, found.index)
        start = found.index + found[0].length
        if (line === '') {
          if (data.length > 0)
            yield {
              event: eventName === '' ? 'message' : eventName,
              data: data.join('\n'),
              id: lastId,
            }
          eventName = ''
          data = []
          dataLength = 0
          continue
        }
        if (line.startsWith(':')) continue
        const colon = line.indexOf(':')
        const field = colon === -1 ? line : line.slice(0, colon)
        let fieldValue = colon === -1 ? '' : line.slice(colon + 1)
        if (fieldValue.startsWith(' ')) fieldValue = fieldValue.slice(1)
        if (field === 'event') eventName = fieldValue
        else if (field === 'id' && !fieldValue.includes('\0')) lastId = fieldValue
        else if (field === 'data') {
          dataLength += fieldValue.length + 1
          if (dataLength > limits.maxEventLength) {
            throw new EventStreamLimitError(
              `server-sent event longer than ${limits.maxEventLength}`,
            )
          }
          data.push(fieldValue)
        }
      }
      buffer = buffer.slice(start)
      if (buffer.length > limits.maxLineLength) {
        throw new EventStreamLimitError(
          `server-sent event line longer than ${limits.maxLineLength}`,
        )
      }
    }
  } finally {
    // Releases the connection whether the stream ended, failed, or the consumer stopped early.
    await reader.cancel().catch(() => undefined)
  }
}
