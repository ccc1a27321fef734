import { describe, expect, it } from 'vitest'
import type { CommandSpec, OptionSpec } from '../src/args/command-spec.js'
import { parseCommandLine } from '../src/args/parse-command-line.js'
import { UsageError } from '../src/args/usage-error.js'

const run = () => Promise.resolve(undefined)
const globals: readonly OptionSpec[] = [
  { name: 'json', kind: 'boolean', summary: 'json' },
  { name: 'api', kind: 'string', summary: 'api', aliases: ['api-url'] },
  { name: 'help', kind: 'boolean', summary: 'help', short: 'h' },
]
const root: CommandSpec = {
  name: 'x0x',
  summary: 'root',
  subcommands: [
    {
      name: 'contacts',
      summary: 'contacts',
      run,
      subcommands: [
        {
          name: 'add',
          summary: 'add',
          positionals: [{ name: 'ID', summary: 'id' }],
          options: [
            { name: 'trust', kind: 'string', summary: 'trust', required: true },
            { name: 'label', kind: 'string', summary: 'label' },
          ],
          run,
        },
      ],
    },
    {
      name: 'peer',
      summary: 'peer',
      subcommands: [
        {
          name: 'probe',
          summary: 'probe',
          positionals: [{ name: 'ID', summary: 'id' }],
          options: [{ name: 'timeout-ms', kind: 'integer', summary: 'ms' }],
          run,
        },
      ],
    },
    {
      name: 'agent',
      summary: 'agent',
      positionals: [{ name: 'NAME', summary: 'name', optional: true }],
      run,
    },
  ],
}

function usageErrorOf(argv: string[]): UsageError {
  try {
    parseCommandLine(root, globals, argv)
  } catch (error) {
    if (error instanceof UsageError) return error
    throw error
  }
  throw new Error(`no usage error for ${argv.join(' ')}`)
}

describe('parseCommandLine', () => {
  it('descends into subcommands and reads positionals and options in any order', () => {
    const line = parseCommandLine(root, globals, [
      'contacts',
      'add',
      '--label',
      'bob',
      'ID1',
      '--trust=known',
    ])
    expect(line.path.map((command) => command.name)).toEqual(['x0x', 'contacts', 'add'])
    expect(line.arguments.positional('ID')).toBe('ID1')
    expect(line.arguments.text('trust')).toBe('known')
    expect(line.arguments.text('label')).toBe('bob')
    expect(line.arguments.command).toBe('x0x contacts add')
  })

  it('accepts global options before, between and after command words, with aliases', () => {
    const line = parseCommandLine(root, globals, [
      '--json',
      'contacts',
      '--api-url',
      'h:1',
      'add',
      'X',
      '--trust',
      'known',
    ])
    expect(line.globals.flag('json')).toBe(true)
    expect(line.globals.text('api')).toBe('h:1')
    expect(line.arguments.flag('json')).toBe(false)
  })

  it('parses integer options and refuses non-numbers', () => {
    const line = parseCommandLine(root, globals, ['peer', 'probe', 'P', '--timeout-ms', '250'])
    expect(line.arguments.integer('timeout-ms')).toBe(250)
    expect(usageErrorOf(['peer', 'probe', 'P', '--timeout-ms', 'soon']).message).toBe(
      "option --timeout-ms needs a whole number, got 'soon'",
    )
  })

  it('reports a missing positional, a missing required option and a missing value clearly', () => {
    expect(usageErrorOf(['contacts', 'add', '--trust', 'known']).message).toBe(
      'missing argument <ID>',
    )
    const missingTrust = usageErrorOf(['contacts', 'add', 'X'])
    expect(missingTrust.message).toBe('missing option --trust <TRUST>')
    expect(missingTrust.command).toBe('x0x contacts add')
    expect(usageErrorOf(['contacts', 'add', 'X', '--trust']).message).toBe(
      'option --trust needs a value <TRUST>',
    )
  })

  it('refuses unknown options, unknown commands, extra arguments and values on flags', () => {
    expect(usageErrorOf(['contacts', 'add', 'X', '--trust', 'k', '--colour']).message).toBe(
      'unknown option --colour',
    )
    expect(usageErrorOf(['contacts', 'frobnicate']).message).toBe("unknown command 'frobnicate'")
    expect(usageErrorOf(['agent', 'a', 'b']).message).toBe("unexpected argument 'b'")
    expect(usageErrorOf(['--json=yes', 'agent']).message).toBe('option --json takes no value')
  })

  it('asks for a subcommand when a family has no default', () => {
    expect(usageErrorOf(['peer']).message).toBe('missing command: one of probe')
  })

  it('runs a family default when no subcommand is given', () => {
    expect(parseCommandLine(root, globals, ['contacts']).path.at(-1)?.name).toBe('contacts')
  })

  it('treats everything after -- as positionals, even dashes and command names', () => {
    expect(
      parseCommandLine(root, globals, ['agent', '--', '--json']).arguments.positional('NAME'),
    ).toBe('--json')
  })

  it('reports help without checking the rest of the line', () => {
    const line = parseCommandLine(root, globals, ['contacts', 'add', '-h'])
    expect(line.help).toBe(true)
    expect(line.path.at(-1)?.name).toBe('add')
  })
})
