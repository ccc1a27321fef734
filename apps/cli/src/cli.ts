/**
 * `@x0x/cli`: the `x0x` command, the command-line client of the x0x daemon (API.md §4). It talks
 * to the daemon only through `@x0x/api`. `runCli` runs one command line in-process and resolves
 * with the exit code: 0 ok, 2 when the daemon is not running, 1 for everything else.
 *
 * @example
 * ```ts
 * import { runCli } from '@x0x/cli'
 *
 * const code = await runCli(['contacts', 'list', '--json'], { stdout: process.stdout })
 * ```
 *
 * @packageDocumentation
 */
import { homedir } from 'node:os'
import { createX0xClient } from '@x0x/api'
import { discoverDaemon } from '@x0x/api/node'
import { helpText } from './args/help-text.js'
import { parseCommandLine, type CommandLine } from './args/parse-command-line.js'
import { UsageError } from './args/usage-error.js'
import type {
  CliEnvironment,
  CommandContext,
  DaemonConnection,
  GlobalSettings,
} from './commands/command-context.js'
import { GLOBAL_OPTIONS, rootCommand } from './commands/command-tree.js'
import { reportError } from './error-report.js'
import { createOutput, type TextSink } from './output/output.js'

export { UsageError } from './args/usage-error.js'
export { DaemonStartError } from './commands/daemon-process.js'
export { rootCommand, GLOBAL_OPTIONS } from './commands/command-tree.js'
export type { TextSink } from './output/output.js'

/** Options of `runCli`; every default is the real process's. */
export interface RunCliOptions {
  /** Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
  /** Default: `process.stdout`. */
  stdout?: TextSink
  /** Default: `process.stderr`. */
  stderr?: TextSink
  /** Ctrl-C: cancels calls and ends streams. Default: none. */
  signal?: AbortSignal
  /** Default: `process.platform`. */
  platform?: NodeJS.Platform
  /** Default: `$HOME` from `env`, else `os.homedir()`. */
  home?: string
  /** The daemon to `start` (a `.js` entry or a binary). Default: found next to the CLI or on PATH. */
  daemonPath?: string
}

function settingsOf(line: CommandLine<CommandContext>): GlobalSettings {
  const format = line.globals.text('format')
  if (format !== undefined && format !== 'json' && format !== 'text') {
    throw new UsageError(`--format must be json or text, got '${format}'`, line.arguments.command)
  }
  return {
    api: line.globals.text('api'),
    instanceName: line.globals.text('name'),
    json: line.globals.flag('json') || format === 'json',
  }
}

function connector(
  settings: GlobalSettings,
  environment: CliEnvironment,
): () => Promise<DaemonConnection> {
  let connection: Promise<DaemonConnection> | undefined
  return () => {
    connection ??= discoverDaemon({
      api: settings.api,
      instanceName: settings.instanceName,
      platform: environment.platform,
      env: environment.env,
      home: environment.home,
    }).then((endpoint) => ({
      ...endpoint,
      client: createX0xClient({ baseUrl: endpoint.baseUrl, token: endpoint.token }),
    }))
    return connection
  }
}

/** The `--name` of a command line, for hints, even when the line did not parse. */
function instanceNameOf(argv: readonly string[]): string | undefined {
  const inline = argv.find((token) => token.startsWith('--name='))
  if (inline !== undefined) return inline.slice('--name='.length)
  const index = argv.indexOf('--name')
  return index === -1 ? undefined : argv[index + 1]
}

/** Runs one `x0x` command line; resolves with the process exit code (never rejects). */
export async function runCli(
  argv: readonly string[],
  options: RunCliOptions = {},
): Promise<number> {
  const env = options.env ?? process.env
  const stdout = options.stdout ?? process.stdout
  const stderr = options.stderr ?? process.stderr
  const environment: CliEnvironment = {
    env,
    platform: options.platform ?? process.platform,
    home: options.home ?? env['HOME'] ?? homedir(),
  }
  const signal = options.signal ?? new AbortController().signal
  let connection: (() => Promise<DaemonConnection>) | undefined
  if (argv.length === 0) {
    // A bare `x0x` is a request for orientation, not a mistake to scold.
    stderr.write(helpText([rootCommand], GLOBAL_OPTIONS))
    return 1
  }
  try {
    const line = parseCommandLine(rootCommand, GLOBAL_OPTIONS, argv)
    if (line.help) {
      stdout.write(helpText(line.path, GLOBAL_OPTIONS))
      return 0
    }
    const settings = settingsOf(line)
    connection = connector(settings, environment)
    const command = line.path[line.path.length - 1]
    const context: CommandContext = {
      output: createOutput({
        stdout,
        stderr,
        json: settings.json,
        noColor: env['NO_COLOR'] !== undefined,
      }),
      signal,
      settings,
      environment,
      connect: connection,
      root: rootCommand,
      daemonPath: options.daemonPath,
    }
    return (await command?.run?.(context, line.arguments)) ?? 0
  } catch (error) {
    return reportError(error, { stderr, signal, connection, instanceName: instanceNameOf(argv) })
  }
}
