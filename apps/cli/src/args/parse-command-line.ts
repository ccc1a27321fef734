import type { CommandSpec, OptionSpec } from './command-spec.js'
import { ParsedArguments, type OptionValue } from './parsed-arguments.js'
import { UsageError } from './usage-error.js'

/** What `parseCommandLine` found. */
export interface CommandLine<Context> {
  /** The chosen command and its ancestors, root first. */
  readonly path: readonly CommandSpec<Context>[]
  /** The arguments of the chosen command. */
  readonly arguments: ParsedArguments
  /** The global options (valid at every level). */
  readonly globals: ParsedArguments
  /** `--help` or `-h` was given anywhere: show help for `path` instead of running. */
  readonly help: boolean
}

/** Where the parser is while it walks the tokens. */
interface ParseState<Context> {
  readonly path: CommandSpec<Context>[]
  readonly words: string[]
  readonly options: Map<string, OptionValue>
  readonly globals: Map<string, OptionValue>
  endOfOptions: boolean
}

/** `x0x contacts add`: the names along `path`. */
export function commandName(path: readonly CommandSpec[]): string {
  return path.map((command) => command.name).join(' ')
}

function current<Context>(state: ParseState<Context>): CommandSpec<Context> {
  return state.path[state.path.length - 1] as CommandSpec<Context>
}

function findOption(
  specs: readonly OptionSpec[] | undefined,
  token: string,
): OptionSpec | undefined {
  return specs?.find((spec) =>
    token.startsWith('--')
      ? spec.name === token.slice(2) || (spec.aliases ?? []).includes(token.slice(2))
      : spec.short !== undefined && token === `-${spec.short}`,
  )
}

function valueOf(spec: OptionSpec, text: string, command: string): OptionValue {
  if (spec.kind !== 'integer') return text
  if (!/^-?\d+$/.test(text)) {
    throw new UsageError(`option --${spec.name} needs a whole number, got '${text}'`, command)
  }
  return Number.parseInt(text, 10)
}

/** Reads one option token (and its value), returning how many tokens it used. */
function readOption<Context>(
  state: ParseState<Context>,
  globalOptions: readonly OptionSpec[],
  tokens: readonly string[],
  index: number,
): number {
  const token = tokens[index] as string
  const equals = token.startsWith('--') ? token.indexOf('=') : -1
  const flag = equals === -1 ? token : token.slice(0, equals)
  const inline = equals === -1 ? undefined : token.slice(equals + 1)
  const command = commandName(state.path)
  const local = findOption(current(state).options, flag)
  const spec = local ?? findOption(globalOptions, flag)
  if (spec === undefined) throw new UsageError(`unknown option ${flag}`, command)
  const target = local === undefined ? state.globals : state.options
  if (spec.kind === 'boolean') {
    if (inline !== undefined) throw new UsageError(`option ${flag} takes no value`, command)
    target.set(spec.name, true)
    return 1
  }
  const text = inline ?? tokens[index + 1]
  if (text === undefined) {
    throw new UsageError(`option ${flag} needs a value <${valueNameOf(spec)}>`, command)
  }
  target.set(spec.name, valueOf(spec, text, command))
  return inline === undefined ? 2 : 1
}

/** How an option's value is named in help and messages. */
export function valueNameOf(spec: OptionSpec): string {
  return spec.valueName ?? spec.name.toUpperCase().replaceAll('-', '_')
}

function isOptionToken(token: string): boolean {
  return token.length > 1 && token.startsWith('-') && !/^-\d/.test(token)
}

function readWord<Context>(state: ParseState<Context>, word: string): void {
  const subcommand = current(state).subcommands?.find((command) => command.name === word)
  if (subcommand !== undefined && state.words.length === 0 && !state.endOfOptions) {
    state.path.push(subcommand)
    return
  }
  state.words.push(word)
}

/**
 * Parses `argv` against a command tree. Words select subcommands until the first positional;
 * options may come anywhere (global ones at any level); `--name=value` and `--name value` both
 * work; `--` ends options. Throws `UsageError` for anything the tree does not allow, except when
 * help was asked for (help must work on half-typed command lines).
 */
export function parseCommandLine<Context>(
  root: CommandSpec<Context>,
  globalOptions: readonly OptionSpec[],
  argv: readonly string[],
): CommandLine<Context> {
  const state: ParseState<Context> = {
    path: [root],
    words: [],
    options: new Map(),
    globals: new Map(),
    endOfOptions: false,
  }
  let index = 0
  while (index < argv.length) {
    const token = argv[index] as string
    if (!state.endOfOptions && token === '--') {
      state.endOfOptions = true
      index += 1
    } else if (!state.endOfOptions && isOptionToken(token)) {
      index += readOption(state, globalOptions, argv, index)
    } else {
      readWord(state, token)
      index += 1
    }
  }
  const globals = new ParsedArguments(commandName(state.path), new Map(), state.globals)
  const help = globals.flag('help')
  const positionals = help ? new Map<string, string>() : checkArguments(state)
  return {
    path: state.path,
    arguments: new ParsedArguments(commandName(state.path), positionals, state.options),
    globals,
    help,
  }
}

/** Checks the words and options against the chosen command; returns the named positionals. */
function checkArguments<Context>(state: ParseState<Context>): Map<string, string> {
  const command = current(state)
  const name = commandName(state.path)
  const specs = command.positionals ?? []
  if (command.subcommands !== undefined && specs.length === 0) {
    const [first] = state.words
    if (first !== undefined) throw new UsageError(`unknown command '${first}'`, name)
    if (command.run === undefined) {
      const choices = command.subcommands.filter((sub) => sub.hidden !== true)
      throw new UsageError(
        `missing command: one of ${choices.map((sub) => sub.name).join(', ')}`,
        name,
      )
    }
  }
  const positionals = new Map<string, string>()
  specs.forEach((spec, index) => {
    const word = state.words[index]
    if (word !== undefined) positionals.set(spec.name, word)
    else if (spec.optional !== true) throw new UsageError(`missing argument <${spec.name}>`, name)
  })
  const extra = state.words[specs.length]
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`, name)
  for (const option of command.options ?? []) {
    if (option.required === true && !state.options.has(option.name)) {
      throw new UsageError(`missing option --${option.name} <${valueNameOf(option)}>`, name)
    }
  }
  return positionals
}
