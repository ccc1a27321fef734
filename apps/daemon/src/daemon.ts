// The daemon: one agent, its HTTP API, and a clean stop. Order of start follows x0x (API.md
// §3.4): identity and state, the API bound (so `/health` answers at once), then the network
// joined in the background; `api.port` is written once the API listens.
import { allRoutes } from '@x0x/api'
import { debugLogger, type ComponentLogger } from '@x0x/base'
import type * as Core from '@x0x/core'
import type { NodeAgent } from '@x0x/core'
import { parseSocketAddress } from './config/socket-address.js'
import type { DaemonConfig } from './config/daemon-config.js'
import { DAEMON_VERSION } from './cli/daemon-version.js'
import { removeApiPortFile, writeApiPortFile } from './files/api-port-file.js'
import { loadOrCreateApiToken } from './files/api-token.js'
import { startApiServer, type ApiServer } from './http/api-server.js'
import {
  HttpError,
  type JsonRouteHandler,
  type RouteHandlers,
  type SseHandler,
  type WebSocketHandler,
} from './http/route-handlers.js'
import type { DaemonHandlers } from './handlers/daemon-handlers.js'

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

/**
 * Resolves after a full turn of the event loop, its I/O phase included: a request that reached
 * the listening API (the first `/health`) is answered before the caller goes on. One
 * `setImmediate` is not enough: queued from I/O completion it runs in the same turn's check
 * phase, before new I/O is polled; one queued from there runs only after the next poll phase.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)))
}

/**
 * Loads the network stack, lowest layer first. Loading a package's modules is synchronous work
 * (resolve, compile, evaluate: ~100 ms for the QUIC library alone here), so it goes one package
 * at a time with a turn of the event loop between: a request to the API that already listens
 * (the first `/health`, PERF.md B10) waits for one package, not for the whole stack.
 */
async function loadNetworkStack(): Promise<typeof Core> {
  await import('@x0x/pqc')
  await nextTurn()
  await import('@x0x/transport')
  await nextTurn()
  const core = await import('@x0x/core')
  await nextTurn()
  return core
}

/** What every route answers until the agent is up (x0x: network endpoints are 503 meanwhile). */
const NOT_READY = 'network not initialized'

/**
 * A handler table over every route of the registry that forwards to `current()` once the agent
 * is up. Until then `/health` answers from the process alone and every other route 503, so the
 * API listens before the network stack is even loaded (`x0xd` → `/health` fast, PERF.md B10).
 */
function lateBoundHandlers(
  current: () => DaemonHandlers | undefined,
  version: string,
  startedAt: number,
): RouteHandlers {
  const json: Record<string, JsonRouteHandler> = {}
  const sse: Record<string, SseHandler> = {}
  const webSocket: Record<string, WebSocketHandler> = {}
  for (const route of allRoutes) {
    const name = route.name
    if (route.kind === 'json') {
      json[name] = (request) => {
        const handlers = current()
        const handler = handlers?.json[name]
        if (handler !== undefined) return handler(request)
        if (name === 'health') {
          const uptime = Math.floor((Date.now() - startedAt) / 1000)
          return { ok: true, status: 'healthy', version, peers: 0, uptime_secs: uptime }
        }
        throw new HttpError(503, NOT_READY)
      }
    } else if (route.kind === 'sse') {
      sse[name] = (sink, request) => {
        const handler = current()?.sse[name]
        if (handler === undefined) throw new HttpError(503, NOT_READY)
        return handler(sink, request)
      }
    } else {
      webSocket[name] = (session, request) => {
        const handler = current()?.webSocket[name]
        if (handler === undefined) session.close()
        else handler(session, request)
      }
    }
  }
  return { json, sse, webSocket }
}

/**
 * Starts the API at once, then loads the network stack, opens the agent and goes online; the
 * returned promise resolves when the agent is up (or rejects, after stopping what started).
 */
export async function startDaemon(
  config: DaemonConfig,
  logger: ComponentLogger = daemonLogger(config),
): Promise<Daemon> {
  const startedAt = Date.now()
  let node: NodeAgent | undefined
  let handlers: DaemonHandlers | undefined
  let resolveStopped: () => void = () => undefined
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve
  })
  let stopping: Promise<void> | undefined
  const token = await loadOrCreateApiToken(config.dataDir)
  const server = await startApiServer({
    config,
    token,
    handlers: lateBoundHandlers(() => handlers, DAEMON_VERSION, startedAt),
    logger,
    // Written once the agent is up (x0x §3.4 step 7), so a client that finds the file finds
    // every route ready; `/health` answers before that for whoever knows the address.
    writePortFile: false,
  })
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, STOP_DEADLINE_MS).unref())
      handlers?.close()
      await Promise.race([
        Promise.allSettled([
          removeApiPortFile(config.dataDir, server.address),
          server.close(),
          node?.agent.stop(),
        ]),
        deadline,
      ])
      // The database closes even when the network did not finish in time: acknowledged state
      // is already committed, and closing checkpoints the WAL.
      node?.database.close()
      resolveStopped()
    })()
    return stopping
  }
  try {
    const core = await loadNetworkStack()
    node = await core.openNodeAgent(nodeAgentInit(config), logger)
    await node.agent.start()
    const { createDaemonHandlers } = await import('./handlers/daemon-handlers.js')
    handlers = createDaemonHandlers({
      node,
      version: DAEMON_VERSION,
      apiAddress: () => server.address,
      startedAt,
      requestShutdown: () => {
        setImmediate(() => void stop())
      },
    })
    await writeApiPortFile(config.dataDir, server.address)
  } catch (error) {
    await stop()
    throw error
  }
  return { node, server, stopped, stop }
}

function nodeAgentInit(config: DaemonConfig) {
  return {
    identityDir: config.identityDir,
    dataDir: config.dataDir,
    listen: listenOf(config),
    bootstrapPeers: config.bootstrapPeers,
    mdns: config.mdnsEnabled,
    heartbeatIntervalMs: config.heartbeatIntervalSecs * 1000,
    identityTtlMs: config.identityTtlSecs * 1000,
    userKeyPath: config.userKeyPath,
    membership: {
      activeViewSize: config.gossip.activeViewSize,
      passiveViewSize: config.gossip.passiveViewSize,
      activeRandomWalkLength: config.gossip.activeRandomWalkLength,
      passiveRandomWalkLength: config.gossip.passiveRandomWalkLength,
    },
  }
}
