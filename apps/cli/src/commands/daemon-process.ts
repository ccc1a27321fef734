import { spawn, type ChildProcess } from 'node:child_process'
import { constants, existsSync } from 'node:fs'
import { access, mkdir, open, readFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { X0xError } from '@x0x/base'

/** The daemon could not be found, started, or did not become ready in time. */
export class DaemonStartError extends X0xError {
  override readonly name = 'DaemonStartError'
}

/** How to run the daemon: a program and the arguments before x0xd's own. */
export interface DaemonProgram {
  readonly command: string
  readonly prefix: readonly string[]
}

/**
 * In this monorepo the daemon's entry is `apps/daemon/dist/main.js`; from this file
 * (`apps/cli/dist/commands/daemon-process.js`) that is three levels up. Installed packages put
 * `x0xd` on PATH instead.
 */
const MONOREPO_DAEMON = fileURLToPath(new URL('../../../daemon/dist/main.js', import.meta.url))

function programOf(path: string): DaemonProgram {
  // A JavaScript entry runs under this very Node, so no shebang or exec bit is needed.
  return /\.[cm]?js$/.test(path)
    ? { command: process.execPath, prefix: [path] }
    : { command: path, prefix: [] }
}

async function onPath(name: string, pathVariable: string | undefined): Promise<string | undefined> {
  for (const directory of (pathVariable ?? '').split(delimiter)) {
    if (directory === '') continue
    const candidate = join(directory, name)
    try {
      await access(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here; try the next directory
    }
  }
  return undefined
}

/** Finds `x0xd`: an explicit path, next to the CLI in this monorepo, then on PATH. */
export async function locateDaemon(
  explicit: string | undefined,
  pathVariable: string | undefined,
): Promise<DaemonProgram> {
  if (explicit !== undefined) return programOf(explicit)
  if (existsSync(MONOREPO_DAEMON)) return programOf(MONOREPO_DAEMON)
  const found = await onPath('x0xd', pathVariable)
  if (found === undefined) {
    throw new DaemonStartError(`cannot find x0xd (looked at ${MONOREPO_DAEMON} and on PATH)`)
  }
  return programOf(found)
}

/**
 * A top-level `key = "value"` of a TOML file (before any `[table]`): enough to learn where a
 * config moves `data_dir`, without a TOML parser in the CLI.
 */
export function topLevelTomlString(text: string, key: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*\[/.test(line)) return undefined
    const match = /^\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')/.exec(line)
    if (match?.[1] === key) return match[2] ?? match[3]
  }
  return undefined
}

/** The `data_dir` a config file sets, if any. */
export async function configuredDataDirectory(configPath: string): Promise<string | undefined> {
  return topLevelTomlString(await readFile(configPath, 'utf8'), 'data_dir')
}

/** Runs the daemon attached to this terminal; resolves with its exit code. */
export function runForeground(
  program: DaemonProgram,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  signal: AbortSignal,
): Promise<number> {
  const child = spawn(program.command, [...program.prefix, ...args], { stdio: 'inherit', env })
  const onAbort = (): void => {
    child.kill('SIGINT')
  }
  signal.addEventListener('abort', onAbort, { once: true })
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      signal.removeEventListener('abort', onAbort)
      reject(new DaemonStartError(`cannot run ${program.command}`, { cause: error }))
    })
    child.once('exit', (code, killedBy) => {
      signal.removeEventListener('abort', onAbort)
      resolve(code ?? (killedBy === 'SIGINT' ? 0 : 1))
    })
  })
}

/** A detached daemon and where its output goes. */
export interface DetachedDaemon {
  readonly child: ChildProcess
  readonly logPath: string
  /** Set once the process has exited (it should not while starting). */
  exitCode(): number | null | undefined
}

/** Starts the daemon in the background, its output appended to `<data_dir>/x0xd.log`. */
export async function spawnDetached(
  program: DaemonProgram,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  dataDirectory: string,
): Promise<DetachedDaemon> {
  await mkdir(dataDirectory, { recursive: true, mode: 0o700 })
  const logPath = join(dataDirectory, 'x0xd.log')
  const log = await open(logPath, 'a', 0o600)
  let exited: number | null | undefined
  try {
    const child = spawn(program.command, [...program.prefix, ...args], {
      detached: true,
      stdio: ['ignore', log.fd, log.fd],
      env,
    })
    child.once('exit', (code) => {
      exited = code
    })
    child.once('error', () => {
      exited = -1
    })
    child.unref()
    return { child, logPath, exitCode: () => exited }
  } finally {
    await log.close()
  }
}
