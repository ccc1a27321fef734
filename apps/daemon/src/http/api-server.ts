// The daemon's HTTP server: one `node:http` server on a loopback address serving the routes of
// `@x0x/api` that have handlers, plus WebSocket upgrades. Writes `api.port` once listening and
// removes it on close.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  allRoutes,
  createRouteRegistry,
  MAX_REQUEST_BODY_BYTES,
  type RouteDefinition,
} from '@x0x/api'
import { silentLogger, X0xError, type ComponentLogger } from '@x0x/base'
import { WebSocketServer } from 'ws'
import { ConfigError } from '../config/config-error.js'
import {
  formatSocketAddress,
  isLoopbackHost,
  parseSocketAddress,
} from '../config/socket-address.js'
import { removeApiPortFile, writeApiPortFile } from '../files/api-port-file.js'
import { handleRequest } from './request-pipeline.js'
import type { RouteHandlers } from './route-handlers.js'
import { hasHandler, type ServerState } from './server-state.js'
import { DEFAULT_SSE_QUEUE_CAPACITY } from './sse-stream.js'
import {
  DEFAULT_WEBSOCKET_QUEUE_CAPACITY,
  WEBSOCKET_PING_INTERVAL_MS,
} from './websocket-connection.js'
import { handleUpgrade } from './websocket-upgrade.js'

/** How long `close()` lets streams and sockets finish politely before cutting them. */
export const DEFAULT_CLOSE_GRACE_MS = 1_000

/** The API could not listen on its address (in use, not permitted). */
export class ApiBindError extends X0xError {
  override readonly name = 'ApiBindError'
}

/** Options of `startApiServer`. */
export interface ApiServerInit {
  /** `apiAddress` (loopback `ip:port`, port 0 = ephemeral) and `dataDir` (for `api.port`). */
  readonly config: { readonly apiAddress: string; readonly dataDir: string }
  /** The bearer token (`loadOrCreateApiToken`). */
  readonly token: string
  readonly handlers: RouteHandlers
  /** Default: `silentLogger`. Component `x0xd:http`; tokens, queries and bodies are never logged. */
  readonly logger?: ComponentLogger | undefined
  /** The route table. Default: `allRoutes` of `@x0x/api`. */
  readonly routes?: readonly RouteDefinition[] | undefined
  /** Write `<dataDir>/api.port` after listening (and remove it on close). Default: true. */
  readonly writePortFile?: boolean | undefined
  /** Request body limit. Default: `MAX_REQUEST_BODY_BYTES` (1 MiB, as x0x). */
  readonly maxBodyBytes?: number | undefined
  /** Events queued per SSE client before the oldest is dropped. Default: 256. */
  readonly sseQueueCapacity?: number | undefined
  /** Messages queued per WebSocket client before the oldest is dropped. Default: 256. */
  readonly webSocketQueueCapacity?: number | undefined
  /** Protocol ping interval; an unanswered ping drops the client. Default: 30 s. */
  readonly webSocketPingIntervalMs?: number | undefined
  /** Polite-close period of `close()`. Default: 1 s (so close resolves well within 2 s). */
  readonly closeGraceMs?: number | undefined
}

/** A running API server. */
export interface ApiServer {
  /** The bound `ip:port` (as written to `api.port`). */
  readonly address: string
  readonly port: number
  /** Aborted when `close()` starts. */
  readonly signal: AbortSignal
  /** Stops accepting, ends SSE streams and WebSockets, removes `api.port`. Idempotent. */
  close(): Promise<void>
}

function listenAddress(apiAddress: string): { host: string; port: number } {
  const parsed = parseSocketAddress(apiAddress)
  if (parsed === undefined || !isLoopbackHost(parsed.host)) {
    // The config check already refused this; the server refuses again rather than expose the agent.
    throw new ConfigError(
      'api_address',
      `config key "api_address": refusing to listen on ${apiAddress}`,
    )
  }
  return { host: parsed.host === 'localhost' ? '127.0.0.1' : parsed.host, port: parsed.port }
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new ApiBindError(
          `cannot listen on ${formatSocketAddress({ host, port })}: ${error.message}`,
          { cause: error },
        ),
      )
    }
    server.once('error', onError)
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError)
      resolve(server.address() as AddressInfo)
    })
  })
}

function stateOf(init: ApiServerInit, signal: AbortSignal): ServerState {
  const routes = (init.routes ?? allRoutes).filter((route) => hasHandler(init.handlers, route))
  return {
    registry: createRouteRegistry(routes),
    handlers: init.handlers,
    token: init.token,
    log: (init.logger ?? silentLogger).forComponent('x0xd:http'),
    signal,
    maxBodyBytes: init.maxBodyBytes ?? MAX_REQUEST_BODY_BYTES,
    sseQueueCapacity: init.sseQueueCapacity ?? DEFAULT_SSE_QUEUE_CAPACITY,
    webSocketQueueCapacity: init.webSocketQueueCapacity ?? DEFAULT_WEBSOCKET_QUEUE_CAPACITY,
    webSocketPingIntervalMs: init.webSocketPingIntervalMs ?? WEBSOCKET_PING_INTERVAL_MS,
    streams: new Set(),
    sockets: new Set(),
  }
}

/** Starts the API server; resolves once it listens (and `api.port` is written). */
export async function startApiServer(init: ApiServerInit): Promise<ApiServer> {
  const { host, port } = listenAddress(init.config.apiAddress)
  const controller = new AbortController()
  const state = stateOf(init, controller.signal)
  const server = createServer()
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: state.maxBodyBytes })
  server.on('request', (request, response) => {
    void handleRequest(state, request, response)
  })
  server.on('upgrade', (request, socket, head) => {
    handleUpgrade(state, webSockets, request, socket, head)
  })
  const bound = await listen(server, host, port)
  const address = formatSocketAddress({ host: bound.address, port: bound.port })
  const writePortFile = init.writePortFile ?? true
  if (writePortFile) await writeApiPortFile(init.config.dataDir, address)
  state.log('listening on %s', address)
  let closing: Promise<void> | undefined
  const close = async (): Promise<void> => {
    controller.abort()
    await closeServer(server, webSockets, state, init.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS)
    if (writePortFile) await removeApiPortFile(init.config.dataDir, address)
    state.log('closed')
  }
  return {
    address,
    port: bound.port,
    signal: controller.signal,
    close: () => (closing ??= close()),
  }
}

/** Polite close within `graceMs`, then force: every stream and socket is gone when it resolves. */
async function closeServer(
  server: Server,
  webSockets: WebSocketServer,
  state: ServerState,
  graceMs: number,
): Promise<void> {
  const closed = new Promise<void>((resolve) => {
    server.close(() => {
      resolve()
    })
  })
  for (const stream of state.streams) stream.end()
  for (const connection of state.sockets) connection.close()
  server.closeIdleConnections()
  let timer: NodeJS.Timeout | undefined
  const graceOver = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs)
  })
  await Promise.race([closed, graceOver])
  clearTimeout(timer)
  for (const connection of state.sockets) connection.terminate()
  server.closeAllConnections()
  await closed
  await new Promise<void>((resolve) => {
    webSockets.close(() => {
      resolve()
    })
  })
}
