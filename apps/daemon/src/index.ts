/**
 * `x0xd`: the x0x daemon's building blocks, for the composition root (`main.ts`) and tests —
 * the command line and TOML config (API.md §3), the token and port files, and the HTTP server
 * that applies x0x's cross-cutting rules (auth, CORS, limits, errors, API.md §0) and routes the
 * `@x0x/api` registry to handler tables (JSON, SSE, WebSocket).
 *
 * @example
 * ```ts
 * import { loadOrCreateApiToken, runDaemonCli, startApiServer } from 'x0xd'
 *
 * const decision = await runDaemonCli(process.argv.slice(2), {
 *   stdout: process.stdout,
 *   stderr: process.stderr,
 * })
 * if (decision.kind === 'run') {
 *   const { config } = decision
 *   const token = await loadOrCreateApiToken(config.dataDir)
 *   const server = await startApiServer({
 *     config,
 *     token,
 *     handlers: { json: { health: () => ({ ok: true, status: 'healthy' }) } },
 *   })
 *   process.once('SIGTERM', () => void server.close())
 * }
 * ```
 *
 * @packageDocumentation
 */
export { ConfigError, FlagError } from './config/config-error.js'
export {
  CONFIG_DEFAULTS,
  DEFAULT_API_ADDRESS,
  DEFAULT_BIND_ADDRESS,
  LOG_FORMATS,
  LOG_LEVELS,
  NAMED_INSTANCE_API_ADDRESS,
  NAMED_INSTANCE_BIND_ADDRESS,
  type DaemonConfig,
  type DaemonLogFormat,
  type DaemonLogLevel,
  type GossipConfig,
  type UpdateConfig,
} from './config/daemon-config.js'
export {
  parseConfigFile,
  type ConfigFileValues,
  type ParsedConfigFile,
} from './config/config-file.js'
export { configToToml } from './config/config-toml.js'
export { parseDaemonFlags, type DaemonCommand, type DaemonFlags } from './config/daemon-flags.js'
export {
  dataDirectoriesRoot,
  defaultConfigPath,
  defaultDataDir,
  identityDir,
  isValidInstanceName,
  type PathEnvironment,
} from './config/instance-paths.js'
export {
  buildDaemonConfig,
  resolveDaemonConfig,
  type ResolvedConfig,
} from './config/resolve-config.js'
export {
  formatSocketAddress,
  isLoopbackHost,
  parseSocketAddress,
  type SocketAddress,
} from './config/socket-address.js'
export { API_TOKEN_BYTES, API_TOKEN_FILE, loadOrCreateApiToken } from './files/api-token.js'
export {
  API_PORT_FILE,
  readApiPortFile,
  removeApiPortFile,
  writeApiPortFile,
} from './files/api-port-file.js'
export {
  ApiBindError,
  DEFAULT_CLOSE_GRACE_MS,
  startApiServer,
  type ApiServer,
  type ApiServerInit,
} from './http/api-server.js'
export { isAllowedOrigin } from './http/cors.js'
export {
  ERROR_STATUS,
  INTERNAL_ERROR_MESSAGE,
  errorResponse,
  type ErrorResponse,
} from './http/error-response.js'
export {
  HttpError,
  JsonAnswer,
  isJsonAnswer,
  type EventSink,
  type JsonRequest,
  type JsonRouteHandler,
  type RouteHandlers,
  type SocketSession,
  type SseHandler,
  type StreamRequest,
  type WebSocketHandler,
} from './http/route-handlers.js'
export { DEFAULT_SSE_QUEUE_CAPACITY } from './http/sse-stream.js'
export {
  DEFAULT_WEBSOCKET_QUEUE_CAPACITY,
  WEBSOCKET_PING_INTERVAL_MS,
} from './http/websocket-connection.js'
export { DAEMON_VERSION } from './cli/daemon-version.js'
export { HELP_TEXT } from './cli/help-text.js'
export { runDaemonCli, type DaemonCliResult } from './cli/run-daemon-cli.js'
export type { DaemonCliIo } from './cli/cli-io.js'
export { formatInstanceTable, listInstances, type InstanceRow } from './cli/list-instances.js'
export {
  formatDoctorReport,
  runDoctorChecks,
  type CheckOutcome,
  type DoctorCheck,
} from './cli/doctor.js'
