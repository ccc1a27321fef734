// The TOML config file (API.md §3.2): same keys as x0x, types checked, unknown keys ignored with
// a warning, a syntax error fatal.
import { parse, TomlError } from 'smol-toml'
import { ConfigError } from './config-error.js'
import {
  LOG_FORMATS,
  LOG_LEVELS,
  MAX_DISPATCH_WORKERS,
  type DaemonConfig,
  type GossipConfig,
  type UpdateConfig,
} from './daemon-config.js'
import { TomlFields } from './toml-fields.js'

type Optional<T> = { -readonly [K in keyof T]?: T[K] | undefined }

/** What a config file sets; absent keys are `undefined`. */
export interface ConfigFileValues extends Optional<
  Omit<DaemonConfig, 'configPath' | 'identityDir' | 'execAclPath' | 'update' | 'gossip'>
> {
  update: Optional<UpdateConfig>
  gossip: Optional<GossipConfig>
}

/** The parsed file and the keys it had that this daemon does not know. */
export interface ParsedConfigFile {
  readonly values: ConfigFileValues
  readonly unknownKeys: readonly string[]
}

const TOP_LEVEL_KEYS = [
  'bind_address', 'api_address', 'data_dir', 'log_level', 'log_format', 'bootstrap_peers',
  'heartbeat_interval_secs', 'identity_ttl_secs', 'user_key_path', 'instance_name',
  'rendezvous_enabled', 'rendezvous_validity_ms', 'presence_beacon_interval_secs',
  'presence_event_poll_interval_secs', 'presence_offline_timeout_secs',
  'directory_digest_interval_secs', 'directory_resubscribe_jitter_ms',
  'group_card_republish_interval_secs', 'mdns_enabled', 'update', 'gossip',
] // prettier-ignore
const UPDATE_KEYS = [
  'enabled', 'rollout_window_minutes', 'stop_on_upgrade', 'fallback_check_interval_minutes',
  'repo', 'include_prereleases', 'gossip_updates',
] // prettier-ignore
const GOSSIP_KEYS = ['active_view_size', 'passive_view_size', 'arwl', 'prwl', 'dispatch_workers']

/** Parses TOML text; `source` names the file in syntax errors. */
export function parseConfigFile(text: string, source: string): ParsedConfigFile {
  let table: Record<string, unknown>
  try {
    table = parse(text)
  } catch (error) {
    const detail = error instanceof TomlError ? error.message.split('\n')[0] : String(error)
    throw new ConfigError('', `invalid TOML in ${source}: ${detail ?? 'syntax error'}`, {
      cause: error,
    })
  }
  const fields = new TomlFields(table)
  const update = fields.table('update')
  const gossip = fields.table('gossip')
  return {
    values: {
      ...topLevelValues(fields),
      update: updateValues(update),
      gossip: gossipValues(gossip),
    },
    unknownKeys: [
      ...fields.unknownKeys(TOP_LEVEL_KEYS),
      ...update.unknownKeys(UPDATE_KEYS),
      ...gossip.unknownKeys(GOSSIP_KEYS),
    ],
  }
}

function topLevelValues(fields: TomlFields): Omit<ConfigFileValues, 'update' | 'gossip'> {
  return {
    bindAddress: fields.socketAddress('bind_address'),
    apiAddress: fields.socketAddress('api_address'),
    dataDir: fields.string('data_dir'),
    logLevel: fields.choice('log_level', LOG_LEVELS),
    logFormat: fields.choice('log_format', LOG_FORMATS),
    bootstrapPeers: fields.socketAddresses('bootstrap_peers'),
    heartbeatIntervalSecs: fields.integer('heartbeat_interval_secs', 1),
    identityTtlSecs: fields.integer('identity_ttl_secs', 1),
    userKeyPath: fields.string('user_key_path'),
    instanceName: fields.string('instance_name'),
    rendezvousEnabled: fields.boolean('rendezvous_enabled'),
    rendezvousValidityMs: fields.integer('rendezvous_validity_ms', 1),
    presenceBeaconIntervalSecs: fields.integer('presence_beacon_interval_secs', 1),
    presenceEventPollIntervalSecs: fields.integer('presence_event_poll_interval_secs', 1),
    presenceOfflineTimeoutSecs: fields.integer('presence_offline_timeout_secs', 1),
    directoryDigestIntervalSecs: fields.integer('directory_digest_interval_secs', 1),
    directoryResubscribeJitterMs: fields.integer('directory_resubscribe_jitter_ms', 0),
    groupCardRepublishIntervalSecs: fields.integer('group_card_republish_interval_secs', 0),
    mdnsEnabled: fields.boolean('mdns_enabled'),
  }
}

function updateValues(fields: TomlFields): Optional<UpdateConfig> {
  return {
    enabled: fields.boolean('enabled'),
    rolloutWindowMinutes: fields.integer('rollout_window_minutes', 0),
    stopOnUpgrade: fields.boolean('stop_on_upgrade'),
    fallbackCheckIntervalMinutes: fields.integer('fallback_check_interval_minutes', 0),
    repo: fields.string('repo'),
    includePrereleases: fields.boolean('include_prereleases'),
    gossipUpdates: fields.boolean('gossip_updates'),
  }
}

/** x0x requires every gossip size > 0 and at most 32 dispatch workers. */
function gossipValues(fields: TomlFields): Optional<GossipConfig> {
  return {
    activeViewSize: fields.integer('active_view_size', 1),
    passiveViewSize: fields.integer('passive_view_size', 1),
    activeRandomWalkLength: fields.integer('arwl', 1),
    passiveRandomWalkLength: fields.integer('prwl', 1),
    dispatchWorkers: fields.integer('dispatch_workers', 1, MAX_DISPATCH_WORKERS),
  }
}
