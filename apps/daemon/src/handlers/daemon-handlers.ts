// Every route handler of the daemon, keyed by `@x0x/api` route name, built over one agent.
import type { NodeAgent } from '@x0x/core'
import { contactHandlers } from './contact-handlers.js'
import { DirectHub } from './direct-hub.js'
import { discoveryHandlers } from './discovery-handlers.js'
import type { HandlerTable } from './handler-table.js'
import { StreamDrops, type DaemonContext } from './handler-types.js'
import { messagingHandlers } from './messaging-handlers.js'
import { networkHandlers } from './network-handlers.js'
import { PeerEventLog } from './peer-events.js'
import { RestSubscriptions } from './rest-subscriptions.js'
import type { SseHandler, WebSocketHandler } from '../http/route-handlers.js'
import { DEFAULT_SSE_QUEUE_CAPACITY } from '../http/sse-stream.js'
import { sseHandlers, webSocketHandlers, type SessionInfo } from './stream-handlers.js'
import { systemIdentityHandlers } from './system-identity-handlers.js'
import { TopicHub } from './topic-hub.js'

/** Queue bound of each `/direct/events` client (the HTTP layer's SSE queue). */
export const DIRECT_EVENT_QUEUE_CAPACITY = DEFAULT_SSE_QUEUE_CAPACITY

export interface DaemonHandlers {
  readonly json: HandlerTable
  readonly sse: Record<string, SseHandler>
  readonly webSocket: Record<string, WebSocketHandler>
  readonly context: DaemonContext
  /** Ends subscriptions and listeners; the HTTP layer closes its streams itself. */
  close(): void
}

export interface DaemonHandlersInit {
  readonly node: NodeAgent
  readonly version: string
  readonly apiAddress: () => string
  /** Unix ms when the process started serving. */
  readonly startedAt: number
  readonly requestShutdown: () => void
}

export function createDaemonHandlers(init: DaemonHandlersInit): DaemonHandlers {
  const { agent } = init.node
  const sessions = new Map<string, SessionInfo>()
  const topics = new TopicHub(agent)
  const context: DaemonContext = {
    node: init.node,
    agent,
    version: init.version,
    apiAddress: init.apiAddress,
    startedAt: init.startedAt,
    subscriptions: new RestSubscriptions(agent),
    topics,
    direct: new DirectHub(agent, DIRECT_EVENT_QUEUE_CAPACITY),
    peerEvents: new PeerEventLog(agent),
    requestShutdown: init.requestShutdown,
    streamDrops: new StreamDrops(),
    sessions: () => ({
      ok: true,
      sessions: [...sessions.values()].map((session) => ({
        session_id: session.sessionId,
        subscribed_topics: [...session.topics.keys()],
        receives_direct: session.receivesDirect,
        dropped: session.session.dropped,
      })),
      shared_subscriptions: topics.counts(),
    }),
  }
  const json: HandlerTable = {
    ...systemIdentityHandlers(context),
    ...networkHandlers(context),
    ...discoveryHandlers(context),
    ...messagingHandlers(context),
    ...contactHandlers(context),
  }
  return {
    json,
    sse: sseHandlers(context),
    webSocket: webSocketHandlers(context, sessions),
    context,
    close() {
      context.subscriptions.close()
      context.topics.close()
      context.direct.close()
      context.peerEvents.close()
    },
  }
}
