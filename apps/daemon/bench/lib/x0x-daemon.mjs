// Real `x0xd` processes for the daemon benchmarks (B6, B9, B10): each gets a fresh temporary HOME
// (identity dir), data dir and TOML config (API.md §3), QUIC on 127.0.0.1 and the API on an
// ephemeral loopback port read from `<data_dir>/api.port`, as the CLI does.
/* global fetch, AbortSignal */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { hasExited, poll, stopChild, track } from './processes.mjs'

/** The daemon's entry point, built by `pnpm build`; `X0X_BENCH_DAEMON` points elsewhere. */
export const DAEMON_MAIN =
  process.env.X0X_BENCH_DAEMON ?? fileURLToPath(new URL('../../dist/main.js', import.meta.url))

export function daemonAvailable() {
  return existsSync(DAEMON_MAIN)
}

async function readTrimmed(path) {
  try {
    const text = (await readFile(path, 'utf8')).trim()
    return text === '' ? undefined : text
  } catch {
    return undefined
  }
}

function configText({ bindPort, apiPort, dataDir, bootstrapPeers }) {
  const peers = bootstrapPeers.map((peer) => JSON.stringify(peer)).join(', ')
  return [
    `bind_address = "127.0.0.1:${bindPort}"`,
    `api_address = "127.0.0.1:${apiPort}"`,
    `data_dir = ${JSON.stringify(dataDir)}`,
    `bootstrap_peers = [${peers}]`,
    'log_level = "warn"',
    'mdns_enabled = false',
    '',
    '[update]',
    'enabled = false',
    '',
  ].join('\n')
}

/** Polls `GET <apiBase>/health` until it answers 200. */
function waitHealthy(apiBase, exited, timeoutMs) {
  return poll(
    async () => {
      exited()
      try {
        const response = await fetch(`${apiBase}/health`, { signal: AbortSignal.timeout(2_000) })
        await response.arrayBuffer()
        return response.status === 200 ? true : undefined
      } catch {
        return undefined
      }
    },
    'x0xd answers /health',
    timeoutMs,
    5,
  )
}

/**
 * Starts one daemon and resolves once it is ready (`api.port` written: every route served) and
 * `/health` answered 200. `spawnedAt`, `healthyAt` and `readyAt` are `performance.now()`
 * readings. With `apiPort` the API address is known before exec, so `/health` is polled from the
 * start and `healthyAt` is the first 200 (exec → first healthy answer is B10); with an ephemeral
 * port the address is only known from `api.port`, so `healthyAt` follows `readyAt`.
 */
export async function startDaemon({
  bindPort = 0,
  apiPort = 0,
  bootstrapPeers = [],
  timeoutMs = 30_000,
} = {}) {
  const root = await mkdtemp(join(tmpdir(), 'x0xd-bench-'))
  const home = join(root, 'home')
  const dataDir = join(root, 'data')
  await mkdir(home, { recursive: true })
  const configPath = join(root, 'config.toml')
  await writeFile(configPath, configText({ bindPort, apiPort, dataDir, bootstrapPeers }))
  let stderr = ''
  const spawnedAt = performance.now()
  const child = track(
    spawn(process.execPath, [DAEMON_MAIN, '--config', configPath, '--skip-update-check'], {
      env: {
        ...process.env,
        HOME: home,
        XDG_DATA_HOME: join(root, 'xdg-data'),
        XDG_CONFIG_HOME: join(root, 'xdg-config'),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  )
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8_000)
  })
  const daemon = {
    root,
    dataDir,
    child,
    spawnedAt,
    healthyAt: Number.NaN,
    readyAt: Number.NaN,
    apiBase: apiPort === 0 ? '' : `http://127.0.0.1:${apiPort}`,
    token: '',
    bindPort,
    stderr: () => stderr,
    api(path, init = {}) {
      return fetch(daemon.apiBase + path, {
        ...init,
        headers: { authorization: `Bearer ${daemon.token}`, ...init.headers },
        signal: init.signal ?? AbortSignal.timeout(10_000),
      })
    },
    async json(path, init) {
      const response = await daemon.api(path, init)
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
      return response.json()
    },
    async stop() {
      await stopChild(child, 5_000)
      await rm(root, { recursive: true, force: true })
    },
  }
  try {
    const exited = () => {
      if (hasExited(child)) throw new Error(`x0xd exited (${child.exitCode}): ${stderr}`)
    }
    if (apiPort !== 0) {
      await waitHealthy(daemon.apiBase, exited, timeoutMs)
      daemon.healthyAt = performance.now()
    }
    const address = await poll(
      async () => {
        exited()
        return readTrimmed(join(dataDir, 'api.port'))
      },
      'x0xd writes api.port',
      timeoutMs,
      5,
    )
    daemon.readyAt = performance.now()
    daemon.apiBase = `http://${address}`
    daemon.token = (await readTrimmed(join(dataDir, 'api-token'))) ?? ''
    if (apiPort === 0) {
      await waitHealthy(daemon.apiBase, exited, timeoutMs)
      daemon.healthyAt = performance.now()
    }
    return daemon
  } catch (error) {
    await daemon.stop()
    throw error
  }
}
