import { createX0xClient } from '@x0x/api'
import { defaultDataDirectory, toBaseUrl } from '@x0x/api/node'
import { abortableDelay } from '@x0x/base'
import type { ParsedArguments } from '../args/parsed-arguments.js'
import type { Command, CommandContext } from './command-context.js'
import {
  DaemonStartError,
  configuredDataDirectory,
  locateDaemon,
  runForeground,
  spawnDetached,
  type DetachedDaemon,
} from './daemon-process.js'
import { readPortFile } from './instances-command.js'

/** How long `start` waits for `api.port` and `/health` (the daemon binds before joining). */
export const START_TIMEOUT_MS = 15_000

/** Pause between readiness checks. */
const POLL_INTERVAL_MS = 200

/** How long one readiness `/health` call may take. */
const HEALTH_TIMEOUT_MS = 1_000

function daemonArguments(context: CommandContext, parsed: ParsedArguments): string[] {
  const config = parsed.text('config')
  return [
    ...(context.settings.instanceName === undefined
      ? []
      : ['--name', context.settings.instanceName]),
    ...(config === undefined ? [] : ['--config', config]),
  ]
}

/** The address in `<dataDirectory>/api.port` if a daemon answers `/health` there. */
async function answeringAddress(
  context: CommandContext,
  dataDirectory: string,
): Promise<string | undefined> {
  // Only a port file counts, not the default address: it names the port actually bound.
  const port = await readPortFile(dataDirectory)
  if (port === undefined) return undefined
  const baseUrl = toBaseUrl(port)
  try {
    const client = createX0xClient({ baseUrl, timeoutMs: HEALTH_TIMEOUT_MS })
    await client.health({ signal: context.signal })
    return baseUrl
  } catch {
    return undefined
  }
}

async function waitUntilReady(
  context: CommandContext,
  daemon: DetachedDaemon,
  dataDirectory: string,
): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    const code = daemon.exitCode()
    if (code !== undefined) {
      throw new DaemonStartError(
        `x0xd exited (code ${String(code)}) while starting; see ${daemon.logPath}`,
      )
    }
    const address = await answeringAddress(context, dataDirectory)
    if (address !== undefined) return address
    await abortableDelay(POLL_INTERVAL_MS, { signal: context.signal })
  }
  throw new DaemonStartError(
    `x0xd did not answer within ${START_TIMEOUT_MS / 1000} s (pid ${String(daemon.child.pid)}); see ${daemon.logPath}`,
  )
}

async function start(
  context: CommandContext,
  parsed: ParsedArguments,
): Promise<number | undefined> {
  const program = await locateDaemon(context.daemonPath, context.environment.env['PATH'])
  const args = daemonArguments(context, parsed)
  if (parsed.flag('foreground'))
    return runForeground(program, args, context.environment.env, context.signal)
  const config = parsed.text('config')
  const dataDirectory =
    (config === undefined ? undefined : await configuredDataDirectory(config)) ??
    defaultDataDirectory({
      instanceName: context.settings.instanceName,
      platform: context.environment.platform,
      env: context.environment.env,
      home: context.environment.home,
    })
  const running = await answeringAddress(context, dataDirectory)
  if (running !== undefined) {
    context.output.result(
      { ok: true, already_running: true, api: running },
      () => `x0xd is already running at ${running}\n`,
    )
    return undefined
  }
  const daemon = await spawnDetached(program, args, context.environment.env, dataDirectory)
  const address = await waitUntilReady(context, daemon, dataDirectory)
  context.output.result(
    { ok: true, api: address, pid: daemon.child.pid ?? null, log: daemon.logPath },
    () => `x0xd started (pid ${String(daemon.child.pid)}), API at ${address}\n`,
  )
  return undefined
}

export const startCommand: Command = {
  name: 'start',
  summary: 'Start the daemon (x0xd) in the background, or attached with --foreground',
  options: [
    { name: 'config', kind: 'string', summary: 'x0xd TOML config file', valueName: 'PATH' },
    {
      name: 'foreground',
      kind: 'boolean',
      summary: 'run attached to this terminal until it exits',
    },
  ],
  run: start,
}
