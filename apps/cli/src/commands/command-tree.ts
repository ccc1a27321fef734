import type { OptionSpec } from '../args/command-spec.js'
import type { Command } from './command-context.js'
import { agentsCommand, machinesCommand } from './discovery-commands.js'
import { contactsCommand, trustCommand } from './contacts-commands.js'
import { directCommand } from './direct-commands.js'
import { agentCommand, announceCommand } from './identity-commands.js'
import { instancesCommand } from './instances-command.js'
import {
  eventsCommand,
  publishCommand,
  subscribeCommand,
  unsubscribeCommand,
} from './messaging-commands.js'
import { routesCommand, treeCommand } from './meta-commands.js'
import {
  diagnosticsCommand,
  networkCommand,
  peerCommand,
  peersCommand,
} from './network-commands.js'
import { startCommand } from './start-command.js'
import { healthCommand, statusCommand, stopCommand } from './system-commands.js'

/** Options valid at every level of the tree (x0x's clap `global = true` flags). */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'json', kind: 'boolean', summary: 'print the raw API JSON (JSON Lines for streams)' },
  {
    name: 'api',
    kind: 'string',
    summary: 'daemon address or URL (default: from api.port, else 127.0.0.1:12700)',
    valueName: 'ADDR',
    aliases: ['api-url'],
  },
  {
    name: 'name',
    kind: 'string',
    summary: 'talk to the named instance x0x-<NAME>',
    valueName: 'INSTANCE',
  },
  { name: 'format', kind: 'string', summary: 'json or text', hidden: true },
  { name: 'help', kind: 'boolean', summary: 'show help for the command', short: 'h' },
]

/** The `x0x` command tree (API.md §4, the families the TypeScript daemon serves so far). */
export const rootCommand: Command = {
  name: 'x0x',
  summary: 'x0x: control the local x0x daemon (x0xd), a post-quantum P2P network for AI agents',
  subcommands: [
    startCommand,
    stopCommand,
    healthCommand,
    statusCommand,
    instancesCommand,
    agentCommand,
    announceCommand,
    networkCommand,
    peersCommand,
    peerCommand,
    diagnosticsCommand,
    agentsCommand,
    machinesCommand,
    contactsCommand,
    trustCommand,
    publishCommand,
    subscribeCommand,
    unsubscribeCommand,
    directCommand,
    eventsCommand,
    treeCommand,
    routesCommand,
  ],
}
