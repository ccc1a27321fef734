import type { DirectMessage, DirectSendResponse } from '@x0x/api'
import { payloadToText, textToBase64 } from '../output/payload-text.js'
import { apiCommand, argument, callOptions, type Command } from './command-context.js'
import { clockTime, followStream } from './follow-stream.js'

const agentId = argument('ID', 'agent id, 64 hex')

/** `12:00:01.123 <sender> [verified, accept]: text` for an inbound direct message. */
export function directMessageLine(message: DirectMessage): string {
  const flags = [
    message.verified ? 'verified' : 'unverified',
    message.trust_decision ?? 'no decision',
  ]
  return `${clockTime(message.received_at)}  ${message.sender.slice(0, 16)} [${flags.join(', ')}]: ${payloadToText(message.payload)}`
}

function renderSend(value: unknown): string {
  const result = value as DirectSendResponse
  const ack =
    result.require_ack === null
      ? ''
      : result.require_ack.ok
        ? `, acknowledged in ${result.require_ack.rtt_ms} ms`
        : `, no acknowledgement: ${result.require_ack.error}`
  return `sent via ${result.path} (request ${result.request_id}, ${result.retries_used} retries${ack})\n`
}

const directEventsCommand: Command = {
  name: 'events',
  summary: 'Stream inbound direct messages (SSE /direct/events)',
  run: async (context) => {
    const { client } = await context.connect()
    return followStream(context, client.direct.events(callOptions(context)), ({ data }) => {
      context.output.event(data, directMessageLine(data))
    })
  },
}

export const directCommand: Command = {
  name: 'direct',
  summary: 'Direct (end-to-end encrypted) messages between agents',
  subcommands: [
    apiCommand(
      'connect',
      'Open a connection to an agent (POST /agents/connect)',
      (client, parsed, options) =>
        client.agents.connect({ agent_id: parsed.positional('ID') }, options),
      { positionals: [agentId] },
    ),
    apiCommand(
      'send',
      'Send a text message to an agent (POST /direct/send)',
      (client, parsed, options) => {
        const ack = parsed.integer('require-ack-ms')
        return client.direct.send(
          {
            agent_id: parsed.positional('ID'),
            payload: textToBase64(parsed.positional('MESSAGE')),
            ...(ack === undefined ? {} : { require_ack_ms: ack }),
          },
          options,
        )
      },
      {
        positionals: [agentId, argument('MESSAGE', 'text, sent as UTF-8')],
        options: [
          {
            name: 'require-ack-ms',
            kind: 'integer',
            summary: 'after sending, probe the peer for up to N ms (100–30000)',
            valueName: 'N',
          },
        ],
        render: renderSend,
      },
    ),
    apiCommand(
      'connections',
      'Agents with an open direct connection (GET /direct/connections)',
      (client, _p, options) => client.direct.connections(options),
    ),
    directEventsCommand,
  ],
}
