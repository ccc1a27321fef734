import { IDENTITY_TYPES, TRUST_LEVELS, type TrustLevel } from '@x0x/api'
import { UsageError } from '../args/usage-error.js'
import type { ParsedArguments } from '../args/parsed-arguments.js'
import { apiCommand, argument, type Command } from './command-context.js'

const agentId = argument('ID', 'agent id, 64 hex')
const trustHelp = 'blocked, unknown, known or trusted'

function identityTypeOf(parsed: ParsedArguments): (typeof IDENTITY_TYPES)[number] | undefined {
  const text = parsed.text('identity-type')
  if (text === undefined) return undefined
  const found = IDENTITY_TYPES.find((candidate) => candidate === text.toLowerCase())
  if (found === undefined) {
    throw new UsageError(
      `invalid identity type '${text}' (valid values: ${IDENTITY_TYPES.join(', ')})`,
      parsed.command,
    )
  }
  return found
}

function updateBody(parsed: ParsedArguments) {
  const trust = parsed.text('trust')
  const identityType = identityTypeOf(parsed)
  if (trust === undefined && identityType === undefined) {
    throw new UsageError('nothing to update: give --trust and/or --identity-type', parsed.command)
  }
  return {
    ...(trust === undefined ? {} : { trust_level: trustLevelOf(trust, parsed.command) }),
    ...(identityType === undefined ? {} : { identity_type: identityType }),
  }
}

/** A trust level from the command line, any letter case (the daemon accepts `Trusted` too). */
export function trustLevelOf(text: string, command: string): TrustLevel {
  const level = TRUST_LEVELS.find((candidate) => candidate === text.toLowerCase())
  if (level === undefined) {
    throw new UsageError(
      `invalid trust level '${text}' (valid values: ${TRUST_LEVELS.join(', ')})`,
      command,
    )
  }
  return level
}

const done = (text: string) => () => `${text}\n`

const listContacts = apiCommand('list', 'All contacts (GET /contacts)', (client, _p, options) =>
  client.contacts.list(options),
)

export const contactsCommand: Command = {
  ...listContacts,
  name: 'contacts',
  summary: 'Contacts and their trust (default: list)',
  subcommands: [
    listContacts,
    apiCommand(
      'add',
      'Add or update a contact (POST /contacts)',
      (client, parsed, options) => {
        const label = parsed.text('label')
        return client.contacts.add(
          {
            agent_id: parsed.positional('ID'),
            trust_level: trustLevelOf(parsed.text('trust') ?? '', parsed.command),
            ...(label === undefined ? {} : { label }),
          },
          options,
        )
      },
      {
        positionals: [agentId],
        options: [
          { name: 'trust', kind: 'string', summary: trustHelp, valueName: 'LEVEL', required: true },
          { name: 'label', kind: 'string', summary: 'a name for the contact' },
        ],
        render: (value) => `contact ${(value as { agent_id: string }).agent_id} saved\n`,
      },
    ),
    apiCommand(
      'update',
      'Change trust or identity type (PATCH /contacts/:id)',
      (client, parsed, options) =>
        client.contacts.update(parsed.positional('ID'), updateBody(parsed), options),
      {
        positionals: [agentId],
        options: [
          { name: 'trust', kind: 'string', summary: trustHelp, valueName: 'LEVEL' },
          {
            name: 'identity-type',
            kind: 'string',
            summary: IDENTITY_TYPES.join(', '),
            valueName: 'TYPE',
          },
        ],
        render: done('contact updated'),
      },
    ),
    apiCommand(
      'remove',
      'Delete a contact (DELETE /contacts/:id)',
      (client, parsed, options) => client.contacts.remove(parsed.positional('ID'), options),
      { positionals: [agentId], render: done('contact removed') },
    ),
    apiCommand(
      'revoke',
      'Revoke an agent for good: its messages are dropped (POST /contacts/:id/revoke)',
      (client, parsed, options) =>
        client.contacts.revoke(
          parsed.positional('ID'),
          { reason: parsed.text('reason') ?? '' },
          options,
        ),
      {
        positionals: [agentId],
        options: [{ name: 'reason', kind: 'string', summary: 'why (recorded)', required: true }],
        render: done('agent revoked'),
      },
    ),
    apiCommand(
      'revocations',
      'Recorded revocations (GET /contacts/:id/revocations; x0x lists all of them)',
      (client, parsed, options) => client.contacts.revocations(parsed.positional('ID'), options),
      { positionals: [agentId] },
    ),
  ],
}

export const trustCommand: Command = {
  name: 'trust',
  summary: 'Set trust levels and evaluate agent/machine pairs',
  subcommands: [
    apiCommand(
      'set',
      'Set the trust level of an agent (POST /contacts/trust)',
      (client, parsed, options) =>
        client.contacts.setTrust(
          {
            agent_id: parsed.positional('ID'),
            level: trustLevelOf(parsed.positional('LEVEL'), parsed.command),
          },
          options,
        ),
      {
        positionals: [agentId, argument('LEVEL', trustHelp)],
        render: done('trust updated'),
      },
    ),
    apiCommand(
      'evaluate',
      'How a message from this agent on this machine would be treated (POST /trust/evaluate)',
      (client, parsed, options) =>
        client.trust.evaluate(
          { agent_id: parsed.positional('AID'), machine_id: parsed.positional('MID') },
          options,
        ),
      {
        positionals: [argument('AID', 'agent id, 64 hex'), argument('MID', 'machine id, 64 hex')],
        render: (value) => `${(value as { decision: string }).decision}\n`,
      },
    ),
  ],
}
