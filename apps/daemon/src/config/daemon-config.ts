/** Log levels of `log_level` (API.md §3.2). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const
export type DaemonLogLevel = (typeof LOG_LEVELS)[number]

/** Formats of `log_format`. */
export const LOG_FORMATS = ['text', 'json'] as const
export type DaemonLogFormat = (typeof LOG_FORMATS)[number]

/** The `[update]` table. Kept for compatibility; this daemon does not self-update yet. */
export interface UpdateConfig {
  readonly enabled: boolean
  readonly rolloutWindowMinutes: number
  readonly stopOnUpgrade: boolean
  readonly fallbackCheckIntervalMinutes: number
  readonly repo: string
  readonly includePrereleases: boolean
  readonly gossipUpdates: boolean
}

/** The `[gossip]` table: HyParView sizes and random-walk lengths, pub/sub dispatch workers. */
export interface GossipConfig {
  readonly activeViewSize: number
  readonly passiveViewSize: number
  /** `arwl`: active random walk length. */
  readonly activeRandomWalkLength: number
  /** `prwl`: passive random walk length. */
  readonly passiveRandomWalkLength: number
  readonly dispatchWorkers: number
}

/** The daemon's resolved configuration: file, flags, instance defaults and overrides applied. */
export interface DaemonConfig {
  /** `--name` or `instance_name`; `undefined` for the default instance. */
  readonly instanceName: string | undefined
  /** The TOML file that was read, if any. */
  readonly configPath: string | undefined
  /** UDP/QUIC `ip:port` (`0.0.0.0:p` is promoted to `[::]:p`, as x0x does). */
  readonly bindAddress: string
  /** Loopback `ip:port` of the API (checked: never reachable from another machine). */
  readonly apiAddress: string
  readonly dataDir: string
  /** Where the identity keys live: `~/.x0x` or `~/.x0x-<name>`, always under the home dir. */
  readonly identityDir: string
  readonly logLevel: DaemonLogLevel
  readonly logFormat: DaemonLogFormat
  readonly bootstrapPeers: readonly string[]
  readonly heartbeatIntervalSecs: number
  readonly identityTtlSecs: number
  readonly userKeyPath: string | undefined
  readonly rendezvousEnabled: boolean
  readonly rendezvousValidityMs: number
  readonly presenceBeaconIntervalSecs: number | undefined
  readonly presenceEventPollIntervalSecs: number | undefined
  readonly presenceOfflineTimeoutSecs: number | undefined
  readonly directoryDigestIntervalSecs: number
  readonly directoryResubscribeJitterMs: number
  /** 0 disables republishing. */
  readonly groupCardRepublishIntervalSecs: number
  /** Extension (not in x0x 0.19.21): LAN discovery on/off. */
  readonly mdnsEnabled: boolean
  /** `--exec-acl`: the exec ACL file, if given. */
  readonly execAclPath: string | undefined
  readonly update: UpdateConfig
  readonly gossip: GossipConfig
}

/** x0x's UDP/QUIC port. */
export const DEFAULT_BIND_ADDRESS = '[::]:5483'
/** A named instance takes an ephemeral QUIC port so several can run side by side. */
export const NAMED_INSTANCE_BIND_ADDRESS = '[::]:0'
/** x0x's API address. */
export const DEFAULT_API_ADDRESS = '127.0.0.1:12700'
/** A named instance takes an ephemeral API port; clients find it in `api.port`. */
export const NAMED_INSTANCE_API_ADDRESS = '127.0.0.1:0'

/**
 * Defaults of every key that has one (API.md §3.2). DIFFERENCE from x0x: no bootstrap peers,
 * because this network has no public seed nodes; configure `bootstrap_peers` to join one.
 */
export const CONFIG_DEFAULTS = {
  logLevel: 'info',
  logFormat: 'text',
  bootstrapPeers: [] as readonly string[],
  heartbeatIntervalSecs: 300,
  identityTtlSecs: 900,
  rendezvousEnabled: true,
  rendezvousValidityMs: 3_600_000,
  directoryDigestIntervalSecs: 60,
  directoryResubscribeJitterMs: 30_000,
  groupCardRepublishIntervalSecs: 300,
  mdnsEnabled: true,
  update: {
    enabled: true,
    rolloutWindowMinutes: 1_440,
    stopOnUpgrade: false,
    fallbackCheckIntervalMinutes: 2_880,
    repo: 'saorsa-labs/x0x',
    includePrereleases: false,
    gossipUpdates: true,
  },
  gossip: {
    activeViewSize: 6,
    passiveViewSize: 30,
    activeRandomWalkLength: 6,
    passiveRandomWalkLength: 3,
    dispatchWorkers: 1,
  },
} as const satisfies Partial<DaemonConfig>

/** x0x caps `dispatch_workers` at 32. */
export const MAX_DISPATCH_WORKERS = 32
