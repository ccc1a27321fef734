// Where an instance keeps things (API.md §3.1, §3.3), per platform, as x0x computes them with
// Rust's `dirs` crate. The home directory comes from the caller (tests set HOME).
import { homedir } from 'node:os'
import { join } from 'node:path'
import { defaultDataDirectory } from '@x0x/api/node'

/** The environment and platform the paths depend on. */
export interface PathEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>
  /** Default: `process.platform`. */
  readonly platform?: NodeJS.Platform | undefined
}

/** x0x's instance-name rule: 1–64 chars, starts alphanumeric, then alphanumerics or `-`. */
const INSTANCE_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/

export function isValidInstanceName(name: string): boolean {
  return INSTANCE_NAME.test(name)
}

/** `$HOME` if set (so tests and sandboxes can move it), else `os.homedir()`. */
export function homeDirectoryOf(environment: PathEnvironment): string {
  const home = environment.env['HOME']
  return home !== undefined && home !== '' ? home : homedir()
}

/** `x0x` or `x0x-<name>`. */
export function instanceLeaf(instanceName: string | undefined): string {
  return instanceName === undefined ? 'x0x' : `x0x-${instanceName}`
}

/** `~/.local/share/x0x[-name]` on Linux (or `$XDG_DATA_HOME/…`), `~/Library/Application Support/…` on macOS. */
export function defaultDataDir(
  instanceName: string | undefined,
  environment: PathEnvironment,
): string {
  return defaultDataDirectory({
    instanceName,
    env: environment.env,
    home: homeDirectoryOf(environment),
    platform: environment.platform ?? process.platform,
  })
}

/** The directory holding every instance's data dir (`~/.local/share`), for `--list`. */
export function dataDirectoriesRoot(environment: PathEnvironment): string {
  return join(defaultDataDir(undefined, environment), '..')
}

/** `~/.x0x` or `~/.x0x-<name>`: identity stays in the home dir even when `data_dir` moves. */
export function identityDir(
  instanceName: string | undefined,
  environment: PathEnvironment,
): string {
  return join(homeDirectoryOf(environment), `.${instanceLeaf(instanceName)}`)
}

/** `$XDG_CONFIG_HOME` or `~/.config` (macOS `~/Library/Application Support`) + `x0x[-name]/config.toml`. */
export function defaultConfigPath(
  instanceName: string | undefined,
  environment: PathEnvironment,
): string {
  const home = homeDirectoryOf(environment)
  const platform = environment.platform ?? process.platform
  let base: string
  if (platform === 'darwin') base = join(home, 'Library', 'Application Support')
  else {
    const xdg = environment.env['XDG_CONFIG_HOME']
    // An XDG path must be absolute; a relative one is ignored, as the XDG spec requires.
    base = xdg !== undefined && xdg.startsWith('/') ? xdg : join(home, '.config')
  }
  return join(base, instanceLeaf(instanceName), 'config.toml')
}
