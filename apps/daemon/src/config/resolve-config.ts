// Flags + config file + instance defaults → one `DaemonConfig`, in x0x's order (API.md §3.4):
// file, instance defaults, `--api-port`, bootstrap override, then the loopback check.
import { readFile } from 'node:fs/promises'
import { ConfigError, invalidKey } from './config-error.js'
import { parseConfigFile, type ConfigFileValues } from './config-file.js'
import type { DaemonFlags } from './daemon-flags.js'
import {
  CONFIG_DEFAULTS,
  DEFAULT_API_ADDRESS,
  DEFAULT_BIND_ADDRESS,
  NAMED_INSTANCE_API_ADDRESS,
  NAMED_INSTANCE_BIND_ADDRESS,
  type DaemonConfig,
  type GossipConfig,
  type UpdateConfig,
} from './daemon-config.js'
import {
  defaultConfigPath,
  defaultDataDir,
  identityDir,
  isValidInstanceName,
  type PathEnvironment,
} from './instance-paths.js'
import { formatSocketAddress, isLoopbackHost, parseSocketAddress } from './socket-address.js'

/** A resolved config and what to warn about. */
export interface ResolvedConfig {
  readonly config: DaemonConfig
  readonly warnings: readonly string[]
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** The file `--config` names (must exist), else the instance's default file if it exists. */
async function loadConfigFile(
  flags: DaemonFlags,
  environment: PathEnvironment,
): Promise<{ path: string | undefined; text: string | undefined }> {
  if (flags.configPath !== undefined) {
    try {
      return { path: flags.configPath, text: await readFile(flags.configPath, 'utf8') }
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error)
      throw new ConfigError('--config', `cannot read config file ${flags.configPath}: ${reason}`, {
        cause: error,
      })
    }
  }
  const path = defaultConfigPath(flags.instanceName, environment)
  const text = await readIfExists(path)
  return text === undefined ? { path: undefined, text } : { path, text }
}

/** A named instance replaces a *default* address with its ephemeral one; explicit ones stay. */
function instanceAddress(
  value: string | undefined,
  fallback: string,
  named: boolean,
  namedDefault: string,
): string {
  if (named && (value === undefined || value === fallback)) return namedDefault
  return value ?? fallback
}

/** x0x listens dual-stack: `0.0.0.0:p` becomes `[::]:p`. */
function promoteBindAddress(address: string): string {
  return address.startsWith('0.0.0.0:') ? `[::]:${address.slice('0.0.0.0:'.length)}` : address
}

/** `--api-port`, then the check that the API can only be reached from this machine. */
function finalApiAddress(address: string, apiPort: number | undefined): string {
  const parsed = parseSocketAddress(address)
  if (parsed === undefined) throw invalidKey('api_address', '"ip:port"', address)
  const withPort = apiPort === undefined ? parsed : { ...parsed, port: apiPort }
  if (!isLoopbackHost(withPort.host)) {
    throw invalidKey('api_address', 'a loopback address (127.0.0.0/8, ::1 or localhost)', address)
  }
  return formatSocketAddress(withPort)
}

function instanceNameOf(flags: DaemonFlags, values: ConfigFileValues): string | undefined {
  const name = flags.instanceName ?? values.instanceName
  if (name !== undefined && !isValidInstanceName(name)) {
    throw invalidKey(
      'instance_name',
      'an instance name (1-64 of [A-Za-z0-9-], starting alphanumeric)',
      name,
    )
  }
  return name
}

/** Builds the config from already-parsed file values (exported for tests and `--check`). */
export function buildDaemonConfig(
  flags: DaemonFlags,
  values: ConfigFileValues,
  configPath: string | undefined,
  environment: PathEnvironment,
): DaemonConfig {
  const name = instanceNameOf(flags, values)
  const named = name !== undefined
  const bind = instanceAddress(
    values.bindAddress,
    DEFAULT_BIND_ADDRESS,
    named,
    NAMED_INSTANCE_BIND_ADDRESS,
  )
  const api = instanceAddress(
    values.apiAddress,
    DEFAULT_API_ADDRESS,
    named,
    NAMED_INSTANCE_API_ADDRESS,
  )
  const defaults = CONFIG_DEFAULTS
  return {
    instanceName: name,
    configPath,
    bindAddress: promoteBindAddress(bind),
    apiAddress: finalApiAddress(api, flags.apiPort),
    dataDir: values.dataDir ?? defaultDataDir(name, environment),
    identityDir: identityDir(name, environment),
    logLevel: values.logLevel ?? defaults.logLevel,
    logFormat: values.logFormat ?? defaults.logFormat,
    bootstrapPeers: flags.noBootstrap ? [] : (values.bootstrapPeers ?? defaults.bootstrapPeers),
    heartbeatIntervalSecs: values.heartbeatIntervalSecs ?? defaults.heartbeatIntervalSecs,
    identityTtlSecs: values.identityTtlSecs ?? defaults.identityTtlSecs,
    userKeyPath: values.userKeyPath,
    rendezvousEnabled: values.rendezvousEnabled ?? defaults.rendezvousEnabled,
    rendezvousValidityMs: values.rendezvousValidityMs ?? defaults.rendezvousValidityMs,
    presenceBeaconIntervalSecs: values.presenceBeaconIntervalSecs,
    presenceEventPollIntervalSecs: values.presenceEventPollIntervalSecs,
    presenceOfflineTimeoutSecs: values.presenceOfflineTimeoutSecs,
    directoryDigestIntervalSecs:
      values.directoryDigestIntervalSecs ?? defaults.directoryDigestIntervalSecs,
    directoryResubscribeJitterMs:
      values.directoryResubscribeJitterMs ?? defaults.directoryResubscribeJitterMs,
    groupCardRepublishIntervalSecs:
      values.groupCardRepublishIntervalSecs ?? defaults.groupCardRepublishIntervalSecs,
    mdnsEnabled: values.mdnsEnabled ?? defaults.mdnsEnabled,
    execAclPath: flags.execAclPath,
    update: { ...defaults.update, ...definedOnly<UpdateConfig>(values.update) },
    gossip: { ...defaults.gossip, ...definedOnly<GossipConfig>(values.gossip) },
  }
}

function definedOnly<T extends object>(values: {
  readonly [K in keyof T]?: T[K] | undefined
}): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>
}

/**
 * Reads the config file (if any) and resolves the config. Throws `ConfigError` naming the key
 * at fault, or for a missing `--config` file or broken TOML.
 */
export async function resolveDaemonConfig(
  flags: DaemonFlags,
  environment: PathEnvironment,
): Promise<ResolvedConfig> {
  const file = await loadConfigFile(flags, environment)
  const parsed =
    file.text === undefined
      ? { values: { update: {}, gossip: {} }, unknownKeys: [] }
      : parseConfigFile(file.text, file.path ?? 'config')
  const config = buildDaemonConfig(flags, parsed.values, file.path, environment)
  const warnings = parsed.unknownKeys.map((key) => `x0xd: ignoring unknown config key "${key}"`)
  return { config, warnings }
}
