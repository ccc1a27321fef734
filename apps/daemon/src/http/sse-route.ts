// An SSE route: open the stream, run the handler until it finishes, the client leaves or the
// server closes, then end the response.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RouteDefinition } from '@x0x/api'
import type { DecodedRequest } from './request-pipeline.js'
import type { SseHandler } from './route-handlers.js'
import type { ServerState } from './server-state.js'
import { SseStream } from './sse-stream.js'

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else
      signal.addEventListener(
        'abort',
        () => {
          resolve()
        },
        { once: true },
      )
  })
}

export async function serveSse(
  state: ServerState,
  route: RouteDefinition,
  request: IncomingMessage,
  response: ServerResponse,
  decoded: DecodedRequest,
): Promise<void> {
  request.resume()
  const handler = state.handlers.sse?.[route.name] as SseHandler
  const stream = new SseStream(response, state.sseQueueCapacity, state.signal)
  state.streams.add(stream)
  state.log('%s stream opened', route.name)
  try {
    stream.open({})
    const running = handler(stream.sink, decoded)
    // A handler that returns nothing streams until the client or the server goes away.
    await Promise.race([
      running ?? untilAborted(stream.sink.signal),
      untilAborted(stream.sink.signal),
    ])
  } catch (error) {
    state.log.error(
      '%s stream failed: %s',
      route.name,
      error instanceof Error ? error.name : 'error',
    )
  } finally {
    stream.end()
    state.streams.delete(stream)
    state.log('%s stream closed (%d dropped)', route.name, stream.dropped)
  }
}
