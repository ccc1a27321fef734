import { apiCommand, argument, callOptions, type Command } from './command-context.js'
import { clockTime, followStream } from './follow-stream.js'

const idArgument = argument('ID', 'peer (machine) id, 64 hex')

export const networkCommand: Command = {
  name: 'network',
  summary: 'Network and NAT status',
  subcommands: [
    apiCommand(
      'status',
      'NAT type, addresses, connection counts (GET /network/status)',
      (client, _p, options) => client.network.status(options),
    ),
    apiCommand(
      'cache',
      'Bootstrap peer cache (GET /network/bootstrap-cache)',
      (client, _p, options) => client.network.bootstrapCache(options),
    ),
  ],
}

export const peersCommand: Command = apiCommand(
  'peers',
  'Connected peers (GET /peers)',
  (client, _p, options) => client.peers.list(options),
)

const peerEventsCommand: Command = {
  name: 'events',
  summary: 'Stream peer connection lifecycle events (SSE /peers/events)',
  run: async (context) => {
    const { client } = await context.connect()
    return followStream(context, client.peers.events(callOptions(context)), ({ data }) => {
      const event = data
      context.output.event(event, `${clockTime(event.at_ms)}  ${event.peer_id}  ${event.event}`)
    })
  },
}

export const peerCommand: Command = {
  name: 'peer',
  summary: 'One peer: probe, health, lifecycle events',
  subcommands: [
    apiCommand(
      'probe',
      'Measure round-trip time to a peer (POST /peers/:id/probe)',
      (client, parsed, options) => {
        const timeout = parsed.integer('timeout-ms')
        return client.peers.probe(
          parsed.positional('ID'),
          timeout === undefined ? {} : { timeout_ms: timeout },
          options,
        )
      },
      {
        positionals: [idArgument],
        options: [
          {
            name: 'timeout-ms',
            kind: 'integer',
            summary: 'probe timeout (default 2000, 100–30000)',
            valueName: 'MS',
          },
        ],
      },
    ),
    apiCommand(
      'health',
      'Connection health of a peer (GET /peers/:id/health)',
      (client, parsed, options) => client.peers.health(parsed.positional('ID'), options),
      { positionals: [idArgument] },
    ),
    peerEventsCommand,
  ],
}

export const diagnosticsCommand: Command = {
  name: 'diagnostics',
  summary: 'Internal counters for debugging',
  subcommands: [
    apiCommand(
      'connectivity',
      'Reachability, NAT, relay, mDNS (GET /diagnostics/connectivity)',
      (client, _p, options) => client.diagnostics.connectivity(options),
    ),
    apiCommand(
      'gossip',
      'Pub/sub pipeline counters (GET /diagnostics/gossip)',
      (client, _p, options) => client.diagnostics.gossip(options),
    ),
    apiCommand(
      'dm',
      'Direct-message counters per path and peer (GET /diagnostics/dm)',
      (client, _p, options) => client.diagnostics.dm(options),
    ),
  ],
}
