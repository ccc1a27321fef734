import { errorFromSignal } from '@x0x/base'
import { InvalidResponseError } from '../errors.js'
import type { RouteDefinition, RouteEvent } from '../routes/route.js'
import { parseEventStream, type EventStreamLimits } from './event-stream.js'
import {
  apiErrorOf,
  authHeaders,
  checkResponse,
  fetchRoute,
  routeUrl,
  type ClientSettings,
} from './route-call.js'

/** Options of an event stream. */
export interface EventStreamOptions {
  /** Ends the stream (the loop finishes with the signal's error). Default: runs until closed. */
  signal?: AbortSignal | undefined
}

/**
 * Opens an SSE route and yields its typed events until the daemon closes the stream, the signal
 * aborts, or the consumer leaves the loop. Events with names the route does not declare are
 * skipped (forward compatibility); data that is not JSON throws `InvalidResponseError`.
 */
export async function* streamRoute<const Route extends RouteDefinition>(
  settings: ClientSettings,
  limits: EventStreamLimits,
  route: Route,
  options: EventStreamOptions = {},
): AsyncGenerator<RouteEvent<Route>, void, undefined> {
  const controller = new AbortController()
  const onAbort = (): void => {
    controller.abort(options.signal?.reason)
  }
  options.signal?.addEventListener('abort', onAbort, { once: true })
  if (options.signal?.aborted === true) onAbort()
  try {
    const response = await fetchRoute(settings, routeUrl(settings.baseUrl, route), {
      method: route.method,
      headers: { accept: 'text/event-stream', ...authHeaders(settings, route) },
      signal: controller.signal,
    })
    if (!response.ok) throw await apiErrorOf(response)
    if (response.body === null) return
    for await (const raw of parseEventStream(response.body, limits)) {
      const schema = route.events?.[raw.event]
      if (schema === undefined) continue
      let data: unknown
      try {
        data = JSON.parse(raw.data)
      } catch (error) {
        throw new InvalidResponseError(`${route.name}: event data is not JSON`, { cause: error })
      }
      yield {
        event: raw.event,
        data: checkResponse(settings, schema, data, `${route.name} ${raw.event}`),
      } as RouteEvent<Route>
    }
  } catch (error) {
    if (controller.signal.aborted && options.signal?.aborted === true) {
      throw errorFromSignal(options.signal)
    }
    throw error
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
    // Leaving the loop early must also drop the HTTP connection.
    controller.abort()
  }
}
