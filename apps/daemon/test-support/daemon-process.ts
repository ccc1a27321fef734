// Real `x0xd` processes for the black-box tests and the daemon benchmarks (B6, B9, B10): each gets
// its own HOME (identity dir), data dir and TOML config (API.md §3), listens for QUIC on 127.0.0.1
// and serves the API on a loopback port read from `<data_dir>/api.port`, as the CLI does.
// Erasable TypeScript with `node:` imports only, so that vitest and Node's type stripping
// (`pnpm bench`) load the same file. Not published: `files` in package.json omits it.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { hasExited, killChild, poll, stopChild } from './child-process.ts'

/** The daemon's entry point, built by `pnpm build`. */
export const DAEMON_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url))

/** Enough of the daemon's stderr to explain a failed start. */
const STDERR_TAIL_CHARS = 20_000
/** Readiness polling interval; also the resolution of the B10 startup timings. */
const READY_POLL_MS = 5
/** Bound on one API request that brings no signal of its own. */
const REQUEST_TIMEOUT_MS = 10_000
/** Bound on one `/health` probe while waiting for readiness. */
const HEALTH_PROBE_TIMEOUT_MS = 2_000

export interface DaemonOptions {
  /** The entry point to run (default {@link DAEMON_MAIN}). */
  readonly daemonMain?: string
  /** Reuse this root's home (identity) and data dir, for restart tests (default: a new temp dir). */
  readonly root?: string
  /** Prefix of the new temporary root (default `x0xd-`). */
  readonly rootPrefix?: string
  /** QUIC port on 127.0.0.1 (default 0: any). */
  readonly bindPort?: number
  /** API port on 127.0.0.1 (default 0: ephemeral, learnt from `api.port`). */
  readonly apiPort?: number
  /** `ip:port` QUIC addresses (default none). */
  readonly bootstrapPeers?: readonly string[]
  /** TOML appended to the generated config, tables included (default none). */
  readonly extraConfig?: string
  /** Flags after `--config <path>` (default none). */
  readonly flags?: readonly string[]
  /** Also wait for `/health` 200 and record `healthyAt` (default false: ready is `api.port`). */
  readonly waitForHealth?: boolean
  /** Bound on the whole start (default 30 s). */
  readonly timeoutMs?: number
  /** How long `stop()` waits after SIGTERM before SIGKILL (default 10 s). */
  readonly stopGraceMs?: number
  /** Called with the child right after spawn, e.g. to kill it on every exit path of a benchmark. */
  readonly onSpawn?: (child: ChildProcess) => void
}

export interface DaemonProcess {
  readonly root: string
  readonly home: string
  readonly dataDir: string
  readonly child: ChildProcess
  readonly bindPort: number
  readonly apiBase: string
  readonly token: string
  /** `performance.now()` just before exec. */
  readonly spawnedAt: number
  /** `performance.now()` when `api.port` appeared: the agent is up and every route served. */
  readonly readyAt: number
  /**
   * `performance.now()` at the first `/health` 200 (NaN without `waitForHealth`). With a fixed
   * `apiPort` `/health` is polled from exec (exec → first healthy answer is B10); with an
   * ephemeral port the address is only known from `api.port`, so it follows `readyAt`.
   */
  readonly healthyAt: number
  stderr(): string
  /** `fetch` against the API with the bearer token (10 s timeout unless a signal is given). */
  api(path: string, init?: RequestInit): Promise<Response>
  /** Requests `path` and parses JSON; throws on a non-2xx status. */
  json<T = Record<string, unknown>>(path: string, init?: RequestInit): Promise<T>
  /** The QUIC address other daemons bootstrap from. */
  quicAddress(): Promise<string>
  /** SIGTERM, SIGKILL after `stopGraceMs`; resolves with the exit code; keeps the directories. */
  stop(): Promise<number | null>
  /** SIGKILL; keeps the directories. */
  kill(): Promise<void>
  /** `stop()` if still running, then deletes the root. */
  remove(): Promise<void>
}

interface Layout {
  readonly root: string
  readonly home: string
  readonly dataDir: string
  readonly configPath: string
}

async function readTrimmed(path: string): Promise<string | undefined> {
  try {
    const text = (await readFile(path, 'utf8')).trim()
    return text === '' ? undefined : text
  } catch {
    return undefined
  }
}

function configText(layout: Layout, options: DaemonOptions): string {
  const peers = (options.bootstrapPeers ?? []).map((peer) => JSON.stringify(peer)).join(', ')
  return [
    `bind_address = "127.0.0.1:${options.bindPort ?? 0}"`,
    `api_address = "127.0.0.1:${options.apiPort ?? 0}"`,
    `data_dir = ${JSON.stringify(layout.dataDir)}`,
    `bootstrap_peers = [${peers}]`,
    'log_level = "warn"',
    'mdns_enabled = false',
    options.extraConfig ?? '',
  ].join('\n')
}

async function prepare(options: DaemonOptions): Promise<Layout> {
  const root = options.root ?? (await mkdtemp(join(tmpdir(), options.rootPrefix ?? 'x0xd-')))
  const layout = {
    root,
    home: join(root, 'home'),
    dataDir: join(root, 'data'),
    configPath: join(root, 'config.toml'),
  }
  await mkdir(layout.home, { recursive: true })
  await writeFile(layout.configPath, configText(layout, options))
  // A reused data dir still holds the previous run's file; readiness is this run's.
  await rm(join(layout.dataDir, 'api.port'), { force: true })
  return layout
}

function spawnDaemon(layout: Layout, options: DaemonOptions): ChildProcess {
  const main = options.daemonMain ?? DAEMON_MAIN
  const child = spawn(
    process.execPath,
    [main, '--config', layout.configPath, ...(options.flags ?? [])],
    {
      env: {
        ...process.env,
        HOME: layout.home,
        XDG_DATA_HOME: join(layout.root, 'xdg-data'),
        XDG_CONFIG_HOME: join(layout.root, 'xdg-config'),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  options.onSpawn?.(child)
  return child
}

/** Polls `GET <apiBase>/health` until it answers 200. */
function waitHealthy(apiBase: string, exited: () => void, timeoutMs: number): Promise<true> {
  return poll(
    async () => {
      exited()
      try {
        const response = await fetch(`${apiBase}/health`, {
          signal: AbortSignal.timeout(HEALTH_PROBE_TIMEOUT_MS),
        })
        await response.arrayBuffer()
        return response.status === 200 ? true : undefined
      } catch {
        return undefined
      }
    },
    'x0xd answers /health',
    timeoutMs,
    READY_POLL_MS,
  )
}

interface Readiness {
  readonly apiBase: string
  readonly token: string
  readonly readyAt: number
  readonly healthyAt: number
}

async function waitReady(
  layout: Layout,
  options: DaemonOptions,
  exited: () => void,
): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const fixedApi = (options.apiPort ?? 0) !== 0
  const health = options.waitForHealth ?? false
  let healthyAt = Number.NaN
  if (health && fixedApi) {
    await waitHealthy(`http://127.0.0.1:${options.apiPort ?? 0}`, exited, timeoutMs)
    healthyAt = performance.now()
  }
  const address = await poll(
    async () => {
      exited()
      return readTrimmed(join(layout.dataDir, 'api.port'))
    },
    'x0xd writes api.port',
    timeoutMs,
    READY_POLL_MS,
  )
  const readyAt = performance.now()
  const apiBase = `http://${address}`
  const token = (await readTrimmed(join(layout.dataDir, 'api-token'))) ?? ''
  if (health && !fixedApi) {
    await waitHealthy(apiBase, exited, timeoutMs)
    healthyAt = performance.now()
  }
  return { apiBase, token, readyAt, healthyAt }
}

/** Starts one daemon and resolves once it is ready (see {@link DaemonOptions.waitForHealth}). */
export async function startDaemon(options: DaemonOptions = {}): Promise<DaemonProcess> {
  const layout = await prepare(options)
  const spawnedAt = performance.now()
  const child = spawnDaemon(layout, options)
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS)
  })
  const exited = (): void => {
    if (hasExited(child)) throw new Error(`x0xd exited (${child.exitCode}): ${stderr}`)
  }
  let readiness: Readiness
  try {
    readiness = await waitReady(layout, options, exited)
  } catch (error) {
    await killChild(child)
    if (options.root === undefined) await rm(layout.root, { recursive: true, force: true })
    throw error
  }
  return createHandle(layout, child, options, {
    ...readiness,
    spawnedAt,
    stderr: () => stderr,
  })
}

function createHandle(
  layout: Layout,
  child: ChildProcess,
  options: DaemonOptions,
  state: Readiness & { readonly spawnedAt: number; readonly stderr: () => string },
): DaemonProcess {
  const api = (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers)
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${state.token}`)
    return fetch(state.apiBase + path, {
      ...init,
      headers,
      signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
  }
  const stop = (): Promise<number | null> => stopChild(child, options.stopGraceMs ?? 10_000)
  return {
    ...state,
    root: layout.root,
    home: layout.home,
    dataDir: layout.dataDir,
    child,
    bindPort: options.bindPort ?? 0,
    api,
    async json<T>(path: string, init?: RequestInit) {
      const response = await api(path, init)
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`)
      return (await response.json()) as T
    },
    async quicAddress() {
      const response = await api('/network/status')
      const status = (await response.json()) as { local_addr: string }
      return status.local_addr
    },
    stop,
    kill: () => killChild(child),
    async remove() {
      await stop()
      await rm(layout.root, { recursive: true, force: true })
    },
  }
}
