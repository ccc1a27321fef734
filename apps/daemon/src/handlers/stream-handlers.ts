// The streaming routes: SSE (`/events`, `/direct/events`, `/peers/events`) and the WebSocket
// protocol of API.md §2.1 (`/ws`, `/ws/direct`). Every client has its own bounded queue in the
// HTTP layer; here each only registers and unregisters listeners.
import { randomUUID } from 'node:crypto'
import { decodeBase64, parseHex32, parseWithSchema, WebSocketCommandSchema } from '@x0x/api'
import type { AgentId } from '@x0x/pqc'
import type { SocketSession, SseHandler, WebSocketHandler } from '../http/route-handlers.js'
import type { DaemonContext } from './handler-types.js'
import { MAX_TOPICS_PER_SESSION } from './topic-hub.js'
import type { Unsubscribe } from './fanout.js'

/** `/direct/events` keep-alive comment interval (x0x: 15 s). */
const DIRECT_KEEPALIVE_MS = 15_000
/** WebSocket `pong` keep-alive interval (x0x: 30 s, first tick at once). */
const WEBSOCKET_KEEPALIVE_MS = 30_000

function untilAborted(signal: AbortSignal, cleanup: () => void): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      cleanup()
      resolve()
    }
    if (signal.aborted) done()
    else signal.addEventListener('abort', done, { once: true })
  })
}

export function sseHandlers(context: DaemonContext): Record<string, SseHandler> {
  return {
    events: (sink) => {
      context.streamDrops.track(sink, sink.signal)
      const stop = context.subscriptions.bus.listen((message) => {
        sink.send('message', message)
      })
      return untilAborted(sink.signal, stop)
    },
    'direct.events': (sink) => {
      context.streamDrops.track(sink, sink.signal)
      const stop = context.direct.fanout.listen((message) => {
        sink.send('direct_message', message)
      })
      const keepalive = setInterval(() => {
        sink.comment('ping')
      }, DIRECT_KEEPALIVE_MS)
      return untilAborted(sink.signal, () => {
        stop()
        clearInterval(keepalive)
      })
    },
    'peers.events': (sink) => {
      const stop = context.peerEvents.fanout.listen((event) => {
        sink.send('peer-lifecycle', event)
      })
      return untilAborted(sink.signal, stop)
    },
  }
}

/** A live WebSocket session, for `/ws/sessions`. */
export interface SessionInfo {
  readonly sessionId: string
  readonly topics: ReadonlyMap<string, Unsubscribe>
  readonly receivesDirect: boolean
  readonly session: SocketSession
}

export function webSocketHandlers(
  context: DaemonContext,
  sessions: Map<string, SessionInfo>,
): Record<string, WebSocketHandler> {
  const open =
    (receivesDirect: boolean): WebSocketHandler =>
    (session) => {
      const sessionId = randomUUID()
      const topics = new Map<string, Unsubscribe>()
      sessions.set(sessionId, { sessionId, topics, receivesDirect, session })
      context.streamDrops.track(session, session.signal)
      session.send({ type: 'connected', session_id: sessionId, agent_id: context.agent.agentId })
      session.send({ type: 'pong' })
      const keepalive = setInterval(() => {
        session.send({ type: 'pong' })
      }, WEBSOCKET_KEEPALIVE_MS)
      const stopDirect = receivesDirect
        ? context.direct.fanout.listen((message) => {
            session.send({ type: 'direct_message', ...message })
          })
        : () => true
      session.onMessage((text) => {
        void handleCommand(context, session, topics, text)
      })
      void untilAborted(session.signal, () => {
        clearInterval(keepalive)
        stopDirect()
        for (const leave of topics.values()) leave()
        topics.clear()
        sessions.delete(sessionId)
      })
    }
  return { ws: open(false), 'ws.direct': open(true) }
}

async function handleCommand(
  context: DaemonContext,
  session: SocketSession,
  topics: Map<string, Unsubscribe>,
  text: string,
): Promise<void> {
  let command
  try {
    command = parseWithSchema(WebSocketCommandSchema, JSON.parse(text) as unknown)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    session.send({ type: 'error', message: `invalid command: ${reason}` })
    return
  }
  switch (command.type) {
    case 'ping':
      session.send({ type: 'pong' })
      return
    case 'subscribe':
      await subscribeTopics(context, session, topics, command.topics)
      return
    case 'unsubscribe':
      for (const topic of command.topics) {
        topics.get(topic)?.()
        topics.delete(topic)
      }
      session.send({ type: 'unsubscribed', topics: command.topics })
      return
    case 'publish':
      await context.agent.publish(command.topic, decodeBase64(command.payload)).catch(() => {
        session.send({ type: 'error', message: 'publish failed' })
      })
      return
    case 'send_direct':
      await sendDirect(context, session, command.agent_id, command.payload)
      return
  }
}

async function subscribeTopics(
  context: DaemonContext,
  session: SocketSession,
  topics: Map<string, Unsubscribe>,
  wanted: readonly string[],
): Promise<void> {
  for (const topic of wanted) {
    if (topics.has(topic)) continue
    if (topics.size >= MAX_TOPICS_PER_SESSION) {
      session.send({ type: 'error', message: 'topic limit reached' })
      break
    }
    try {
      const leave = await context.topics.join(topic, (message) => {
        session.send({
          type: 'message',
          topic: message.topic,
          payload: Buffer.from(message.payload).toString('base64'),
          origin: message.sender,
        })
      })
      if (session.signal.aborted) leave()
      else topics.set(topic, leave)
    } catch {
      session.send({ type: 'error', message: `subscribe failed: ${topic}` })
    }
  }
  session.send({ type: 'subscribed', topics: wanted })
}

async function sendDirect(
  context: DaemonContext,
  session: SocketSession,
  agentIdText: string,
  payloadText: string,
): Promise<void> {
  let agentId: AgentId
  try {
    agentId = parseHex32(agentIdText) as AgentId
  } catch (error) {
    session.send({ type: 'error', message: error instanceof Error ? error.message : String(error) })
    return
  }
  if (context.agent.trustLevelOf(agentId) === 'blocked') {
    session.send({ type: 'error', message: 'agent is blocked' })
    return
  }
  try {
    await context.agent.sendDirect(agentId, decodeBase64(payloadText), { signal: session.signal })
  } catch {
    session.send({ type: 'error', message: 'send failed' })
  }
}
