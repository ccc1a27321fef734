import type { CallOptions, X0xClient } from '@x0x/api'
import type { CommandSpec, OptionSpec } from '../args/command-spec.js'
import type { ParsedArguments } from '../args/parsed-arguments.js'
import type { Output } from '../output/output.js'

/** What the CLI reads from its surroundings; injected so tests run in-process. */
export interface CliEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly platform: NodeJS.Platform
  /** The home directory (the data directory root derives from it). */
  readonly home: string
}

/** The global options, resolved. */
export interface GlobalSettings {
  /** `--api` / `--api-url`: an address or URL that wins over discovery. */
  readonly api: string | undefined
  /** `--name`: a named instance (`x0x-<name>` data directory). */
  readonly instanceName: string | undefined
  readonly json: boolean
}

/** A daemon found by discovery, with a client for it. */
export interface DaemonConnection {
  readonly client: X0xClient
  readonly baseUrl: string
  readonly token: string | undefined
  readonly dataDirectory: string
}

/** What every command runs with. */
export interface CommandContext {
  readonly output: Output
  /** Aborted by Ctrl-C: every call and stream takes it. */
  readonly signal: AbortSignal
  readonly settings: GlobalSettings
  readonly environment: CliEnvironment
  /** Finds the daemon (`--api` > `api.port` > default) and its token. */
  connect(): Promise<DaemonConnection>
  /** The whole command tree (for `x0x tree`). */
  readonly root: Command
  /** The path of the daemon's entry script or binary, when the caller pins it (tests). */
  readonly daemonPath: string | undefined
}

/** A command of this CLI. */
export type Command = CommandSpec<CommandContext>

/** The per-call options every API call of a command uses. */
export function callOptions(context: CommandContext): CallOptions {
  return { signal: context.signal }
}

/** Extra parts of a command built by `apiCommand`. */
export interface ApiCommandParts {
  readonly positionals?: Command['positionals']
  readonly options?: readonly OptionSpec[]
  readonly hidden?: boolean
  /** Text rendering; default: the generic table / key-value rendering. */
  readonly render?: (value: unknown) => string
}

/**
 * A command that makes one API call and prints the answer: the shape of most of the CLI, so each
 * family file reads as a list of `name → route` lines.
 */
export function apiCommand(
  name: string,
  summary: string,
  call: (client: X0xClient, parsed: ParsedArguments, options: CallOptions) => Promise<unknown>,
  parts: ApiCommandParts = {},
): Command {
  return {
    name,
    summary,
    ...(parts.positionals === undefined ? {} : { positionals: parts.positionals }),
    ...(parts.options === undefined ? {} : { options: parts.options }),
    ...(parts.hidden === undefined ? {} : { hidden: parts.hidden }),
    run: async (context, parsed) => {
      const { client } = await context.connect()
      const value = await call(client, parsed, callOptions(context))
      context.output.result(value, parts.render)
      return undefined
    },
  }
}

/** A required positional argument. */
export function argument(name: string, summary: string): { name: string; summary: string } {
  return { name, summary }
}

/** A boolean flag. */
export function flagOption(name: string, summary: string): OptionSpec {
  return { name, kind: 'boolean', summary }
}
