import type { BusEvent, X0xClient } from '@x0x/api'
import { payloadToText, textToBase64 } from '../output/payload-text.js'
import {
  apiCommand,
  argument,
  callOptions,
  type Command,
  type CommandContext,
} from './command-context.js'
import { followStream } from './follow-stream.js'

/** How long the subscription is given to be deleted after Ctrl-C, before giving up. */
const UNSUBSCRIBE_TIMEOUT_MS = 5_000

type MessageData = Extract<BusEvent, { type: 'message' }>['data']

/** `[topic] <sender>: text` for a pub/sub message on the `/events` bus. */
export function messageLine(message: MessageData): string {
  const sender = message.sender === null ? 'unsigned' : message.sender.slice(0, 16)
  const trust = message.trust_level === null ? '' : ` (${message.trust_level})`
  return `[${message.topic}] ${sender}${trust}: ${payloadToText(message.payload)}`
}

/** One `/events` bus event as a line of text. */
export function busEventLine(event: BusEvent): string {
  switch (event.type) {
    case 'message':
      return messageLine(event.data)
    case 'file:offer':
      return `file offer ${event.data.transfer_id}: ${event.data.filename} (${event.data.size} bytes) from ${event.data.sender}`
    case 'file:complete':
      return `file complete ${event.data.transfer_id}: ${event.data.filename} → ${event.data.path}`
  }
}

export const publishCommand: Command = apiCommand(
  'publish',
  'Publish a text message to a topic (POST /publish)',
  (client, parsed, options) =>
    client.publish(
      { topic: parsed.positional('TOPIC'), payload: textToBase64(parsed.positional('PAYLOAD')) },
      options,
    ),
  {
    positionals: [argument('TOPIC', 'topic name'), argument('PAYLOAD', 'text, sent as UTF-8')],
    render: () => 'published\n',
  },
)

/** Deletes the subscription even after Ctrl-C aborted the command's own signal. */
async function unsubscribeQuietly(
  context: CommandContext,
  client: X0xClient,
  id: string,
): Promise<void> {
  try {
    await client.unsubscribe(id, { signal: AbortSignal.timeout(UNSUBSCRIBE_TIMEOUT_MS) })
  } catch (error) {
    context.output.note(`warning: could not delete subscription ${id}: ${(error as Error).message}`)
  }
}

/**
 * Subscribes, prints the messages of this subscription from the daemon-wide bus, and deletes the
 * subscription on every way out (Ctrl-C, stream end, error).
 */
async function subscribe(context: CommandContext, topic: string): Promise<number | undefined> {
  const { client } = await context.connect()
  // Our own controller: the stream must also stop when `subscribe` fails or the loop ends.
  const stop = new AbortController()
  const onAbort = (): void => {
    stop.abort(context.signal.reason)
  }
  context.signal.addEventListener('abort', onAbort, { once: true })
  // The bus is daemon-wide: open it before subscribing so that no early message is missed.
  const events = client.events({ signal: stop.signal })[Symbol.asyncIterator]()
  let next = events.next()
  next.catch(() => undefined) // observed below; this only keeps an early failure from going unhandled
  let id: string | undefined
  try {
    id = (await client.subscribe({ topic }, callOptions(context))).subscription_id
    context.output.note(`subscribed to ${topic} (subscription ${id}); Ctrl-C to stop`)
    for (let result = await next; result.done !== true; result = await next) {
      next = events.next()
      const { data } = result.value
      if (data.type === 'message' && data.data.subscription_id === id) {
        context.output.event(data.data, messageLine(data.data))
      }
    }
    if (!context.signal.aborted) context.output.note('the daemon closed the stream')
  } catch (error) {
    if (!context.signal.aborted) throw error
  } finally {
    context.signal.removeEventListener('abort', onAbort)
    stop.abort()
    if (id !== undefined) await unsubscribeQuietly(context, client, id)
  }
  return undefined
}

export const subscribeCommand: Command = {
  name: 'subscribe',
  summary:
    'Subscribe to a topic and print its messages until Ctrl-C (POST /subscribe + SSE /events)',
  positionals: [argument('TOPIC', 'topic name')],
  run: (context, parsed) => subscribe(context, parsed.positional('TOPIC')),
}

export const unsubscribeCommand: Command = apiCommand(
  'unsubscribe',
  'Delete a subscription (DELETE /subscribe/:id)',
  (client, parsed, options) => client.unsubscribe(parsed.positional('ID'), options),
  { positionals: [argument('ID', 'subscription id (16 hex)')], render: () => 'unsubscribed\n' },
)

export const eventsCommand: Command = {
  name: 'events',
  summary: 'Stream the daemon-wide event bus: messages, file offers (SSE /events)',
  run: async (context) => {
    const { client } = await context.connect()
    return followStream(context, client.events(callOptions(context)), ({ data }) => {
      context.output.event(data, busEventLine(data))
    })
  },
}
