import { X0xApiError } from '@x0x/api'
import { isErrorNamed } from '@x0x/base'
import type { DaemonConnection } from './commands/command-context.js'
import type { TextSink } from './output/output.js'

/** Exit code when the daemon is not running (x0x's convention, API.md §4). */
export const EXIT_NOT_RUNNING = 2

/** Exit code for every other failure. */
export const EXIT_FAILURE = 1

/** What `reportError` needs to word a failure. */
export interface ErrorReportContext {
  readonly stderr: TextSink
  readonly signal: AbortSignal
  /** Set once the command line parsed: tells whether a token was found. */
  readonly connection: (() => Promise<DaemonConnection>) | undefined
  /** The `--name` given, so the hint names the same instance. */
  readonly instanceName?: string | undefined
}

async function tokenHint(context: ErrorReportContext): Promise<string> {
  try {
    const connection = await context.connection?.()
    return connection?.token === undefined
      ? `hint: no API token found: set X0X_API_TOKEN or check ${connection?.dataDirectory ?? '<data_dir>'}/api-token\n`
      : ''
  } catch {
    return ''
  }
}

/**
 * Prints `error: <message>` (and a hint where one helps) on stderr and returns the exit code:
 * 2 when the daemon is not there (connection refused, no port file for a named instance), else 1.
 */
export async function reportError(error: unknown, context: ErrorReportContext): Promise<number> {
  const write = (text: string): void => {
    context.stderr.write(text)
  }
  const message = error instanceof Error ? error.message : String(error)
  if (isErrorNamed(error, 'UsageError')) {
    const command = (error as Error & { command: string }).command
    write(`error: ${message}\nrun '${command} --help' for usage\n`)
    return EXIT_FAILURE
  }
  if (
    isErrorNamed(error, 'DaemonUnreachableError') ||
    isErrorNamed(error, 'ApiEndpointNotFoundError')
  ) {
    write(
      `error: x0xd is not running: ${message}\nhint: start it with 'x0x${context.instanceName === undefined ? '' : ` --name ${context.instanceName}`} start'\n`,
    )
    return EXIT_NOT_RUNNING
  }
  if (context.signal.aborted) {
    write('error: interrupted\n')
    return EXIT_FAILURE
  }
  if (error instanceof X0xApiError) {
    write(`error: ${message}${error.detail === undefined ? '' : ` (${error.detail})`}\n`)
    if (error.status === 401) write(await tokenHint(context))
    return EXIT_FAILURE
  }
  write(`error: ${message}\n`)
  return EXIT_FAILURE
}
