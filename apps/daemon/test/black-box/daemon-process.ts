// Real `x0xd` processes for black-box tests: each gets its own HOME (identity dir), data dir and
// TOML config, listens for QUIC on 127.0.0.1 and serves the API on an ephemeral loopback port
// that the test reads from `<data_dir>/api.port`, as the CLI does.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const DAEMON_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url))

export interface DaemonOptions {
  readonly bootstrapPeers?: readonly string[]
  /** Reuse a home (identity) and data dir, for restart tests. */
  readonly root?: string
  readonly extraConfig?: string
}

export interface DaemonProcess {
  readonly root: string
  readonly home: string
  readonly dataDir: string
  readonly apiBase: string
  readonly token: string
  readonly child: ChildProcess
  readonly stderr: () => string
  /** `fetch` against the API with the bearer token. */
  api(path: string, init?: RequestInit): Promise<Response>
  json<T = Record<string, unknown>>(path: string, init?: RequestInit): Promise<T>
  /** The QUIC address other daemons bootstrap from. */
  quicAddress(): Promise<string>
  /** SIGTERM, waits for exit (bounded); keeps the directories. */
  stop(): Promise<number | null>
  kill(): Promise<void>
}

/** Polls `probe` every 25 ms until it returns a value; fails after `timeoutMs`. */
export async function poll<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

async function readTextOrUndefined(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim()
  } catch {
    return undefined
  }
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('daemon did not exit in time'))
    }, timeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

export async function startDaemon(options: DaemonOptions = {}): Promise<DaemonProcess> {
  const root = options.root ?? (await mkdtemp(join(tmpdir(), 'x0xd-test-')))
  const home = join(root, 'home')
  const dataDir = join(root, 'data')
  await mkdir(home, { recursive: true })
  const configPath = join(root, 'config.toml')
  const peers = (options.bootstrapPeers ?? []).map((peer) => JSON.stringify(peer)).join(', ')
  await writeFile(
    configPath,
    [
      'bind_address = "127.0.0.1:0"',
      'api_address = "127.0.0.1:0"',
      `data_dir = ${JSON.stringify(dataDir)}`,
      `bootstrap_peers = [${peers}]`,
      'log_level = "warn"',
      'mdns_enabled = false',
      options.extraConfig ?? '',
    ].join('\n'),
  )
  await rm(join(dataDir, 'api.port'), { force: true })
  let stderr = ''
  const child = spawn(process.execPath, [DAEMON_MAIN, '--config', configPath], {
    env: {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: join(root, 'xdg-data'),
      XDG_CONFIG_HOME: join(root, 'xdg-config'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000)
  })
  const address = await poll(async () => {
    if (child.exitCode !== null) throw new Error(`x0xd exited with ${child.exitCode}: ${stderr}`)
    return readTextOrUndefined(join(dataDir, 'api.port'))
  }, 'x0xd writes api.port')
  const token = (await readTextOrUndefined(join(dataDir, 'api-token'))) ?? ''
  const apiBase = `http://${address}`
  const api = (path: string, init: RequestInit = {}) =>
    fetch(apiBase + path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    })
  return {
    root,
    home,
    dataDir,
    apiBase,
    token,
    child,
    stderr: () => stderr,
    api,
    async json<T>(path: string, init?: RequestInit) {
      const response = await api(path, init)
      return (await response.json()) as T
    },
    async quicAddress() {
      const status = (await (await api('/network/status')).json()) as { local_addr: string }
      return status.local_addr
    },
    async stop() {
      child.kill('SIGTERM')
      return waitForExit(child, 10_000)
    },
    async kill() {
      child.kill('SIGKILL')
      await waitForExit(child, 10_000).catch(() => undefined)
    },
  }
}

/** Starts `count` daemons, each bootstrapping from the first, and waits until all see a peer. */
export async function startMesh(count: number): Promise<DaemonProcess[]> {
  const first = await startDaemon()
  const seed = await first.quicAddress()
  const rest = await Promise.all(
    Array.from({ length: count - 1 }, () => startDaemon({ bootstrapPeers: [seed] })),
  )
  const all = [first, ...rest]
  await Promise.all(
    all.map((daemon) =>
      poll(async () => {
        const { agents } = await daemon.json<{ agents: unknown[] }>('/agents/discovered')
        return agents.length >= count - 1 ? true : undefined
      }, 'every daemon discovers every other agent'),
    ),
  )
  return all
}

export async function removeDaemons(daemons: readonly DaemonProcess[]): Promise<void> {
  await Promise.all(daemons.map((daemon) => daemon.kill()))
  await Promise.all(daemons.map((daemon) => rm(daemon.root, { recursive: true, force: true })))
}
