import type { AgentCardResponse, ImportCardResponse } from '@x0x/api'
import { apiCommand, argument, flagOption, type Command } from './command-context.js'

function renderCard(value: unknown): string {
  return `${(value as AgentCardResponse).link}\n`
}

function renderImport(value: unknown): string {
  const result = value as ImportCardResponse
  const name =
    result.display_name === '' ? result.agent_id : `${result.display_name} (${result.agent_id})`
  return `imported ${name} as ${result.trust_level.toLowerCase()}: ${result.groups} groups, ${result.stores} stores\n`
}

const agentSubcommands: readonly Command[] = [
  apiCommand(
    'user-id',
    'The user id bound to this agent, if any (GET /agent/user-id)',
    (client, _p, options) => client.agent.userId(options),
  ),
  apiCommand(
    'card',
    'A shareable x0x://agent/ link for this agent (GET /agent/card)',
    (client, parsed, options) => {
      const name = parsed.optionalPositional('NAME')
      return client.agent.card(
        {
          ...(name === undefined ? {} : { display_name: name }),
          ...(parsed.flag('include-groups') ? { include_groups: true } : {}),
        },
        options,
      )
    },
    {
      positionals: [{ name: 'NAME', summary: 'display name to put on the card', optional: true }],
      options: [flagOption('include-groups', 'embed an invite link for each named group')],
      render: renderCard,
    },
  ),
  apiCommand(
    'introduction',
    'What this agent reveals to a peer, trust-gated (GET /introduction)',
    (client, parsed, options) => {
      const peer = parsed.text('peer')
      return client.introduction(peer === undefined ? {} : { peer }, options)
    },
    {
      options: [
        {
          name: 'peer',
          kind: 'string',
          summary: 'as seen by this agent id',
          valueName: 'AGENT_ID',
        },
      ],
    },
  ),
  apiCommand(
    'import',
    'Import an agent card as a contact (POST /agent/card/import)',
    (client, parsed, options) => {
      const trust = parsed.text('trust')
      return client.agent.importCard(
        { card: parsed.positional('CARD'), ...(trust === undefined ? {} : { trust_level: trust }) },
        options,
      )
    },
    {
      positionals: [argument('CARD', 'an x0x://agent/… link or its base64url part')],
      options: [
        {
          name: 'trust',
          kind: 'string',
          summary: 'trust level for the new contact (default known)',
          valueName: 'LEVEL',
        },
      ],
      render: renderImport,
    },
  ),
]

export const agentCommand: Command = {
  ...apiCommand('agent', "This agent's identity (GET /agent)", (client, _p, options) =>
    client.agent.get(options),
  ),
  subcommands: agentSubcommands,
}

export const announceCommand: Command = apiCommand(
  'announce',
  'Re-announce this agent on the network (POST /announce)',
  (client, parsed, options) =>
    client.announce(
      {
        include_user_identity: parsed.flag('include-user'),
        human_consent: parsed.flag('consent'),
      },
      options,
    ),
  {
    options: [
      flagOption('include-user', 'include the user identity (needs a user key and --consent)'),
      flagOption('consent', 'a human consents to disclosing the user identity'),
    ],
    render: (value) =>
      `announced${(value as { include_user_identity?: boolean }).include_user_identity === true ? ' (with user identity)' : ''}\n`,
  },
)
