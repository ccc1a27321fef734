// The command line before the daemon starts: flags, config, and the commands that only print
// (`--version`, `--help`, `--check`, `--list`, `doctor`). `main` composes the agent for `run`.
import { isErrorNamed } from '@x0x/base'
import { configToToml } from '../config/config-toml.js'
import type { DaemonConfig } from '../config/daemon-config.js'
import { parseDaemonFlags, type DaemonFlags } from '../config/daemon-flags.js'
import type { PathEnvironment } from '../config/instance-paths.js'
import { resolveDaemonConfig } from '../config/resolve-config.js'
import { DEFAULT_PROBE_TIMEOUT_MS, type DaemonCliIo } from './cli-io.js'
import { DAEMON_VERSION } from './daemon-version.js'
import { formatDoctorReport, runDoctorChecks } from './doctor.js'
import { HELP_TEXT } from './help-text.js'
import { formatInstanceTable, listInstances } from './list-instances.js'

/** What `runDaemonCli` decided: exit with a code, or run the daemon with this config. */
export type DaemonCliResult =
  | { readonly kind: 'exit'; readonly exitCode: number }
  | { readonly kind: 'run'; readonly config: DaemonConfig; readonly flags: DaemonFlags }

const exit = (exitCode: number): DaemonCliResult => ({ kind: 'exit', exitCode })

/** Errors a user can fix from the message alone; anything else is reported by name. */
function describeFailure(error: unknown): string {
  if (isErrorNamed(error, 'ConfigError') || isErrorNamed(error, 'FlagError')) return error.message
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

/**
 * Parses `argv` (without `node` and the script) and runs the print-only commands. Prints
 * warnings (unknown flags, unknown config keys, `--no-bootstrap`) to stderr. Never throws and
 * never calls `process.exit`: the caller exits with `exitCode` or starts the daemon.
 */
export async function runDaemonCli(
  argv: readonly string[],
  io: DaemonCliIo,
): Promise<DaemonCliResult> {
  const environment: PathEnvironment = { env: io.env ?? process.env, platform: io.platform }
  const timeoutMs = io.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS
  try {
    const flags = parseDaemonFlags(argv)
    for (const warning of flags.warnings) io.stderr.write(`${warning}\n`)
    if (flags.command === 'help') {
      io.stdout.write(HELP_TEXT)
      return exit(0)
    }
    if (flags.command === 'version') {
      io.stdout.write(`x0xd ${DAEMON_VERSION}\n`)
      return exit(0)
    }
    if (flags.command === 'list') {
      io.stdout.write(formatInstanceTable(await listInstances(environment, timeoutMs)))
      return exit(0)
    }
    const { config, warnings } = await resolveDaemonConfig(flags, environment)
    for (const warning of warnings) io.stderr.write(`${warning}\n`)
    if (flags.command === 'check') {
      io.stdout.write(`Configuration is valid\n\n${configToToml(config)}`)
      return exit(0)
    }
    if (flags.command === 'doctor') {
      const checks = await runDoctorChecks(config, timeoutMs)
      io.stdout.write(formatDoctorReport(checks))
      return exit(checks.some((check) => check.outcome === 'FAIL') ? 1 : 0)
    }
    return { kind: 'run', config, flags }
  } catch (error) {
    io.stderr.write(`x0xd: ${describeFailure(error)}\n`)
    if (argv.includes('doctor') || argv.includes('--doctor'))
      io.stdout.write('FAIL  configuration is invalid\n')
    return exit(1)
  }
}
