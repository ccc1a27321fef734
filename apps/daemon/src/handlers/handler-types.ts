// The handler side of the daemon's routes: what a route handler receives and may answer. Route
// handlers are plain functions over the `DaemonContext`, keyed by the route names of `@x0x/api`.
import type { NodeAgent, Agent } from '@x0x/core'
import type { RestSubscriptions } from './rest-subscriptions.js'
import type { TopicHub } from './topic-hub.js'
import type { DirectHub } from './direct-hub.js'
import type { PeerEventLog } from './peer-events.js'

export { HttpError, JsonAnswer } from '../http/route-handlers.js'

/** Everything a handler may touch. */
export interface DaemonContext {
  readonly node: NodeAgent
  readonly agent: Agent
  readonly version: string
  /** `ip:port` the API is bound to. */
  readonly apiAddress: () => string
  readonly startedAt: number
  readonly subscriptions: RestSubscriptions
  readonly topics: TopicHub
  readonly direct: DirectHub
  readonly peerEvents: PeerEventLog
  /** Events lost by slow SSE and WebSocket clients (each was told). */
  readonly streamDrops: StreamDrops
  /** `/ws/sessions`: the live WebSocket sessions and shared topic counts. */
  readonly sessions: () => unknown
  /** Asks the daemon to stop (after the response is written). */
  readonly requestShutdown: () => void
}

/** Drops of stream clients: those of clients gone, plus a way to read the live ones. */
export class StreamDrops {
  #closed = 0
  readonly #live = new Set<{ readonly dropped: number }>()

  track(client: { readonly dropped: number }, signal: AbortSignal): void {
    this.#live.add(client)
    signal.addEventListener(
      'abort',
      () => {
        this.#live.delete(client)
        this.#closed += client.dropped
      },
      { once: true },
    )
  }

  get total(): number {
    let total = this.#closed
    for (const client of this.#live) total += client.dropped
    return total
  }
}

export function uptimeSeconds(context: DaemonContext): number {
  return Math.floor((Date.now() - context.startedAt) / 1000)
}
