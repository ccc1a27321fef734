import type { HealthResponse, StatusResponse } from '@x0x/api'
import { renderKeyValue } from '../output/render.js'
import { apiCommand, type Command } from './command-context.js'

/** `12h 3m 4s` from seconds. */
export function formatUptime(seconds: number): string {
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.floor((seconds % 3600) / 60)
  const rest = Math.floor(seconds % 60)
  if (hours > 0) return `${hours}h ${minutes}m ${rest}s`
  return minutes > 0 ? `${minutes}m ${rest}s` : `${rest}s`
}

function renderHealth(value: unknown): string {
  const health = value as HealthResponse
  return `${health.status} (x0xd ${health.version}, ${health.peers} peers, up ${formatUptime(health.uptime_secs)})\n`
}

function renderStatus(value: unknown): string {
  const status = value as StatusResponse
  const { ok: _ok, uptime_secs, ...rest } = status
  return renderKeyValue({ ...rest, uptime: formatUptime(uptime_secs) })
}

export const stopCommand: Command = apiCommand(
  'stop',
  'Stop the running daemon (POST /shutdown)',
  (client, _parsed, options) => client.shutdown(options),
  { render: () => 'x0xd is shutting down\n' },
)

export const healthCommand: Command = apiCommand(
  'health',
  'Check that the daemon answers (GET /health, no token needed)',
  (client, _parsed, options) => client.health(options),
  { render: renderHealth },
)

export const statusCommand: Command = apiCommand(
  'status',
  'Daemon status: connectivity, addresses, agent id (GET /status)',
  (client, _parsed, options) => client.status(options),
  { render: renderStatus },
)
