// x0xd's command line (API.md §3.1). Hand-parsed like x0x's; unknown arguments are ignored as
// x0x ignores them, but each gets a warning so a typo does not pass silently.
import { FlagError } from './config-error.js'
import { isValidInstanceName } from './instance-paths.js'

/** What the invocation asks for. `run` starts the daemon; the others print and exit. */
export type DaemonCommand = 'run' | 'check' | 'version' | 'help' | 'doctor' | 'list'

/** The parsed command line. */
export interface DaemonFlags {
  readonly command: DaemonCommand
  readonly configPath: string | undefined
  readonly instanceName: string | undefined
  readonly apiPort: number | undefined
  /** `--no-hard-coded-bootstrap` / `--no-bootstrap`: clears every bootstrap peer. */
  readonly noBootstrap: boolean
  readonly execAclPath: string | undefined
  /** Update flags are accepted for compatibility; this daemon does not self-update. */
  readonly checkUpdates: boolean
  readonly skipUpdateCheck: boolean
  /** Messages for stderr (legacy or unknown flags). */
  readonly warnings: readonly string[]
}

type MutableFlags = { -readonly [K in keyof DaemonFlags]: DaemonFlags[K] } & { warnings: string[] }

/** Commands that win over `run`; the first one given counts. */
const COMMAND_FLAGS: Readonly<Record<string, DaemonCommand>> = {
  '--check': 'check',
  '--version': 'version',
  '-V': 'version',
  '--help': 'help',
  '-h': 'help',
  '--doctor': 'doctor',
  '--list': 'list',
}

function valueOf(argv: readonly string[], index: number, flag: string): string {
  const value = argv[index + 1]
  if (value === undefined || value.startsWith('--')) throw new FlagError(`${flag} needs a value`)
  return value
}

function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN
  if (!(port >= 0 && port <= 65_535)) {
    throw new FlagError(`--api-port: expected a port number 0..65535, got ${JSON.stringify(text)}`)
  }
  return port
}

function parseName(text: string): string {
  if (!isValidInstanceName(text)) {
    throw new FlagError(
      `--name: ${JSON.stringify(text)} is not a valid instance name (1-64 characters, starting with a letter or digit, then letters, digits or '-')`,
    )
  }
  return text
}

/** Applies a flag that takes a value; returns whether `flag` was one. */
function applyValueFlag(flags: MutableFlags, flag: string, value: () => string): boolean {
  if (flag === '--config') flags.configPath = value()
  else if (flag === '--name') flags.instanceName = parseName(value())
  else if (flag === '--api-port') flags.apiPort = parsePort(value())
  else if (flag === '--exec-acl') flags.execAclPath = value()
  else return false
  return true
}

/** Applies a switch; returns whether `flag` was one. */
function applySwitch(flags: MutableFlags, flag: string, isFirst: boolean): boolean {
  const command = COMMAND_FLAGS[flag] ?? (flag === 'doctor' && isFirst ? 'doctor' : undefined)
  if (command !== undefined) {
    if (flags.command === 'run') flags.command = command
  } else if (flag === '--no-hard-coded-bootstrap') flags.noBootstrap = true
  else if (flag === '--no-bootstrap') {
    flags.noBootstrap = true
    flags.warnings.push('x0xd: --no-bootstrap is deprecated; use --no-hard-coded-bootstrap')
  } else if (flag === '--check-updates') flags.checkUpdates = true
  else if (flag === '--skip-update-check') flags.skipUpdateCheck = true
  else return false
  return true
}

/** Parses `argv` (without `node` and the script). Throws `FlagError` for a malformed flag. */
export function parseDaemonFlags(argv: readonly string[]): DaemonFlags {
  const flags: MutableFlags = {
    command: 'run',
    configPath: undefined,
    instanceName: undefined,
    apiPort: undefined,
    noBootstrap: false,
    execAclPath: undefined,
    checkUpdates: false,
    skipUpdateCheck: false,
    warnings: [],
  }
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string
    const [flag, inline] =
      argument.startsWith('--') && argument.includes('=')
        ? [argument.slice(0, argument.indexOf('=')), argument.slice(argument.indexOf('=') + 1)]
        : [argument, undefined]
    const takeValue = (): string => {
      if (inline !== undefined) return inline
      index++
      return valueOf(argv, index - 1, flag)
    }
    if (applyValueFlag(flags, flag, takeValue)) continue
    if (inline === undefined && applySwitch(flags, flag, index === 0)) continue
    flags.warnings.push(`x0xd: ignoring unknown argument ${JSON.stringify(argument)}`)
  }
  return flags
}
