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
  /** `/ws/sessions`: the live WebSocket sessions and shared topic counts. */
  readonly sessions: () => unknown
  /** Asks the daemon to stop (after the response is written). */
  readonly requestShutdown: () => void
}

export function uptimeSeconds(context: DaemonContext): number {
  return Math.floor((Date.now() - context.startedAt) / 1000)
}
