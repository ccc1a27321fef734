/**
 * `@x0x/api/node`: finding a local daemon from Node (the CLI's rules, API.md §3 and §4). Kept out
 * of the main entry because it reads files, which browsers cannot.
 *
 * @example
 * ```ts
 * import { createX0xClient } from '@x0x/api'
 * import { discoverDaemon } from '@x0x/api/node'
 *
 * const { baseUrl, token } = await discoverDaemon({ instanceName: 'alice' })
 * const client = createX0xClient({ baseUrl, token })
 * ```
 *
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_API_ADDRESS } from './constants.js'
import { ApiEndpointNotFoundError } from './errors.js'

export { ApiEndpointNotFoundError }

/** Options of `defaultDataDirectory`. */
export interface DataDirectoryInit {
  /** A named instance (`x0x-<name>`). Default: the default instance (`x0x`). */
  instanceName?: string | undefined
  /** Default: `process.platform`. */
  platform?: NodeJS.Platform
  /** Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>
  /** Default: `os.homedir()`. */
  home?: string
}

/**
 * The data directory of an instance as x0x computes it (Rust `dirs::data_dir()` + `x0x[-name]`):
 * Linux `$XDG_DATA_HOME` or `~/.local/share`, macOS `~/Library/Application Support`, Windows
 * `%APPDATA%`; `/var/lib` when there is no home.
 */
export function defaultDataDirectory(init: DataDirectoryInit = {}): string {
  const platform = init.platform ?? process.platform
  const env = init.env ?? process.env
  const home = init.home ?? homedir()
  const leaf = init.instanceName === undefined ? 'x0x' : `x0x-${init.instanceName}`
  let base: string
  if (platform === 'darwin') base = join(home, 'Library', 'Application Support')
  else if (platform === 'win32') base = env['APPDATA'] ?? join(home, 'AppData', 'Roaming')
  else {
    const xdg = env['XDG_DATA_HOME']
    // dirs ignores a relative XDG_DATA_HOME, as the XDG spec requires.
    base =
      xdg !== undefined && xdg.startsWith('/')
        ? xdg
        : home === ''
          ? '/var/lib'
          : join(home, '.local', 'share')
  }
  return join(base, leaf)
}

/** Trimmed text, or `undefined` when there is none. */
function nonEmpty(text: string | undefined): string | undefined {
  const trimmed = text?.trim()
  return trimmed === undefined || trimmed === '' ? undefined : trimmed
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** `127.0.0.1:19101`, `[::1]:5`, `localhost:1`, or a URL → a base URL (`http://` if no scheme). */
export function toBaseUrl(address: string): string {
  const trimmed = address.trim()
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)
    ? trimmed.replace(/\/+$/, '')
    : `http://${trimmed}`
}

/** Options of `discoverDaemon`. */
export interface DiscoverDaemonInit extends DataDirectoryInit {
  /** An explicit address (`--api`): wins over everything. Default: none. */
  api?: string | undefined
  /** The data directory. Default: `defaultDataDirectory(init)`. */
  dataDirectory?: string | undefined
}

/** Where the daemon is and how to authenticate. */
export interface DaemonEndpoint {
  readonly baseUrl: string
  /** `undefined` when neither `X0X_API_TOKEN` nor `<data_dir>/api-token` exists. */
  readonly token: string | undefined
  readonly dataDirectory: string
}

/**
 * Finds the daemon as the x0x CLI does. Address: `api` > `<data_dir>/api.port` (an `ip:port`
 * string) > `http://127.0.0.1:12700` for the default instance; a named instance without a port
 * file throws `ApiEndpointNotFoundError` (its port is ephemeral). Token: `X0X_API_TOKEN` >
 * `<data_dir>/api-token` (trimmed).
 */
export async function discoverDaemon(init: DiscoverDaemonInit = {}): Promise<DaemonEndpoint> {
  const env = init.env ?? process.env
  const dataDirectory = init.dataDirectory ?? defaultDataDirectory(init)
  let baseUrl: string
  if (init.api !== undefined) baseUrl = toBaseUrl(init.api)
  else {
    const port = await readOptional(join(dataDirectory, 'api.port'))
    if (port !== undefined && port.trim() !== '') baseUrl = toBaseUrl(port)
    else if (init.instanceName === undefined) baseUrl = toBaseUrl(DEFAULT_API_ADDRESS)
    else {
      throw new ApiEndpointNotFoundError(
        `instance ${init.instanceName} has no ${join(dataDirectory, 'api.port')}: is it running?`,
      )
    }
  }
  const fromEnvironment = nonEmpty(env['X0X_API_TOKEN'])
  const token = fromEnvironment ?? nonEmpty(await readOptional(join(dataDirectory, 'api-token')))
  return { baseUrl, token, dataDirectory }
}
