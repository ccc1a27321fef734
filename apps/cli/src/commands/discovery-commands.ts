import type { CallOptions, X0xClient } from '@x0x/api'
import type { ParsedArguments } from '../args/parsed-arguments.js'
import { apiCommand, argument, flagOption, type Command } from './command-context.js'

const agentId = argument('ID', 'agent id, 64 hex')
const userId = argument('UID', 'user id, 64 hex')
const contactAgent = argument('AID', 'contact agent id, 64 hex')
const machineId = argument('MID', 'machine id, 64 hex')
const unfiltered = flagOption('unfiltered', 'include entries whose announcement expired')
const wait = flagOption('wait', 'search the network if not cached (up to ~10 s)')

function listAgents(client: X0xClient, parsed: ParsedArguments, options: CallOptions) {
  return client.agents.discovered(parsed.flag('unfiltered') ? { unfiltered: true } : {}, options)
}

const listAgentsCommand = apiCommand(
  'list',
  'Agents seen on the network (GET /agents/discovered)',
  listAgents,
  {
    options: [unfiltered],
  },
)

export const agentsCommand: Command = {
  ...apiCommand('agents', 'Discovered agents (default: list)', listAgents, {
    options: [unfiltered],
  }),
  subcommands: [
    listAgentsCommand,
    apiCommand(
      'get',
      'One discovered agent (GET /agents/discovered/:id)',
      (client, parsed, options) =>
        client.agents.get(
          parsed.positional('ID'),
          parsed.flag('wait') ? { wait: true } : {},
          options,
        ),
      { positionals: [agentId], options: [wait] },
    ),
    apiCommand(
      'find',
      'Search the network for an agent (POST /agents/find/:id)',
      (client, parsed, options) => client.agents.find(parsed.positional('ID'), options),
      { positionals: [agentId] },
    ),
    apiCommand(
      'reachability',
      'Whether an agent is likely reachable directly (GET /agents/reachability/:id)',
      (client, parsed, options) => client.agents.reachability(parsed.positional('ID'), options),
      { positionals: [agentId] },
    ),
    apiCommand(
      'machine',
      "An agent's machine (GET /agents/:id/machine)",
      (client, parsed, options) => client.agents.machine(parsed.positional('ID'), options),
      { positionals: [agentId] },
    ),
    apiCommand(
      'by-user',
      "A user's agents (GET /users/:id/agents)",
      (client, parsed, options) => client.users.agents(parsed.positional('UID'), options),
      { positionals: [userId] },
    ),
  ],
}

export const machinesCommand: Command = {
  name: 'machines',
  summary: 'Discovered machines and the machines pinned to contacts',
  subcommands: [
    apiCommand(
      'discovered',
      'Machines seen on the network (GET /machines/discovered)',
      (client, parsed, options) =>
        client.machines.discovered(parsed.flag('unfiltered') ? { unfiltered: true } : {}, options),
      { options: [unfiltered] },
    ),
    apiCommand(
      'get',
      'One discovered machine (GET /machines/discovered/:id)',
      (client, parsed, options) =>
        client.machines.get(
          parsed.positional('ID'),
          parsed.flag('wait') ? { wait: true } : {},
          options,
        ),
      { positionals: [argument('ID', 'machine id, 64 hex')], options: [wait] },
    ),
    apiCommand(
      'by-user',
      "A user's machines (GET /users/:id/machines)",
      (client, parsed, options) => client.users.machines(parsed.positional('UID'), options),
      { positionals: [userId] },
    ),
    apiCommand(
      'connect',
      'Connect to a machine (POST /machines/connect)',
      (client, parsed, options) =>
        client.machines.connect({ machine_id: parsed.positional('ID') }, options),
      { positionals: [argument('ID', 'machine id, 64 hex')] },
    ),
    apiCommand(
      'list',
      "A contact's machines (GET /contacts/:id/machines)",
      (client, parsed, options) => client.contacts.machines(parsed.positional('AID'), options),
      { positionals: [contactAgent] },
    ),
    apiCommand(
      'add',
      'Record a machine for a contact (POST /contacts/:id/machines)',
      (client, parsed, options) =>
        client.contacts.addMachine(
          parsed.positional('AID'),
          { machine_id: parsed.positional('MID'), ...(parsed.flag('pin') ? { pinned: true } : {}) },
          options,
        ),
      { positionals: [contactAgent, machineId], options: [flagOption('pin', 'pin the machine')] },
    ),
    apiCommand(
      'remove',
      "Forget a contact's machine (DELETE /contacts/:id/machines/:mid)",
      async (client, parsed, options) => {
        await client.contacts.removeMachine(
          parsed.positional('AID'),
          parsed.positional('MID'),
          options,
        )
        return { ok: true, removed: parsed.positional('MID') }
      },
      { positionals: [contactAgent, machineId], render: () => 'machine removed\n' },
    ),
    apiCommand(
      'pin',
      'Pin a machine: only it may speak for the contact (POST …/pin)',
      (client, parsed, options) =>
        client.contacts.pinMachine(parsed.positional('AID'), parsed.positional('MID'), options),
      { positionals: [contactAgent, machineId] },
    ),
    apiCommand(
      'unpin',
      'Unpin a machine (DELETE …/pin)',
      (client, parsed, options) =>
        client.contacts.unpinMachine(parsed.positional('AID'), parsed.positional('MID'), options),
      { positionals: [contactAgent, machineId] },
    ),
  ],
}
