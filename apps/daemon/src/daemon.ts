// The daemon: one agent, its HTTP API, and a clean stop. Order of start follows x0x (API.md
// §3.4): identity and state, the API bound (so `/health` answers at once), then the network
// joined in the background; `api.port` is written once the API listens.
import { debugLogger, type ComponentLogger } from '@x0x/base'
import { openNodeAgent, type NodeAgent } from '@x0x/core'
import { parseSocketAddress } from './config/socket-address.js'
import type { DaemonConfig } from './config/daemon-config.js'
import { DAEMON_VERSION } from './cli/daemon-version.js'
import { loadOrCreateApiToken } from './files/api-token.js'
import { startApiServer, type ApiServer } from './http/api-server.js'
import { createDaemonHandlers, type DaemonHandlers } from './handlers/daemon-handlers.js'

/** Everything must be released within this long of a stop request (x0x: 2 s graceful). */
export const STOP_DEADLINE_MS = 2_000

/** A running daemon. */
export interface Daemon {
  readonly node: NodeAgent
  readonly server: ApiServer
  /** Resolves once stopped (by `stop()`, `POST /shutdown`, or a signal handler calling it). */
  readonly stopped: Promise<void>
  stop(): Promise<void>
}

/** Log namespaces enabled by `log_level` (components log at debug, warn and error). */
function namespacesFor(level: DaemonConfig['logLevel']): string {
  if (level === 'debug' || level === 'trace') return '*'
  if (level === 'error') return '*:error'
  return '*:warn,*:error'
}

/** The daemon's structured log: text lines or JSON lines on stderr; never tokens or payloads. */
export function daemonLogger(
  config: Pick<DaemonConfig, 'logLevel' | 'logFormat'>,
): ComponentLogger {
  const json = config.logFormat === 'json'
  return debugLogger({
    namespaces: namespacesFor(config.logLevel),
    write: (line) => {
      if (!json) {
        process.stderr.write(line)
        return
      }
      const [time, namespace, ...rest] = line.trimEnd().split(' ')
      process.stderr.write(`${JSON.stringify({ time, namespace, message: rest.join(' ') })}\n`)
    },
  })
}

function listenOf(config: DaemonConfig): { host: string; port: number } {
  const address = parseSocketAddress(config.bindAddress)
  if (address === undefined) throw new Error(`invalid bind_address ${config.bindAddress}`)
  return address
}

/** Opens the agent, starts the API and the network. */
export async function startDaemon(
  config: DaemonConfig,
  logger: ComponentLogger = daemonLogger(config),
): Promise<Daemon> {
  const node = await openNodeAgent(
    {
      identityDir: config.identityDir,
      dataDir: config.dataDir,
      listen: listenOf(config),
      bootstrapPeers: config.bootstrapPeers,
      mdns: config.mdnsEnabled,
      heartbeatIntervalMs: config.heartbeatIntervalSecs * 1000,
      identityTtlMs: config.identityTtlSecs * 1000,
      membership: {
        activeViewSize: config.gossip.activeViewSize,
        passiveViewSize: config.gossip.passiveViewSize,
        activeRandomWalkLength: config.gossip.activeRandomWalkLength,
        passiveRandomWalkLength: config.gossip.passiveRandomWalkLength,
      },
    },
    logger,
  )
  let server: ApiServer | undefined
  let handlers: DaemonHandlers | undefined
  let resolveStopped: () => void = () => undefined
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve
  })
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, STOP_DEADLINE_MS).unref())
      handlers?.close()
      await Promise.race([Promise.allSettled([server?.close(), node.agent.stop()]), deadline])
      // The database closes even when the network did not finish in time: acknowledged state
      // is already committed, and closing checkpoints the WAL.
      node.database.close()
      resolveStopped()
    })()
    return stopping
  }
  try {
    await node.agent.start()
    const token = await loadOrCreateApiToken(config.dataDir)
    handlers = createDaemonHandlers({
      node,
      version: DAEMON_VERSION,
      apiAddress: () => server?.address ?? config.apiAddress,
      requestShutdown: () => {
        setImmediate(() => void stop())
      },
    })
    server = await startApiServer({
      config,
      token,
      handlers: { json: handlers.json, sse: handlers.sse, webSocket: handlers.webSocket },
      logger,
    })
  } catch (error) {
    await stop()
    throw error
  }
  return { node, server, stopped, stop }
}
