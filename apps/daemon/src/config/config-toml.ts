// The resolved config in the file's own format, for `--check`: what the daemon will actually use.
import { stringify } from 'smol-toml'
import type { DaemonConfig } from './daemon-config.js'

function withoutUndefined(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined))
}

/** `config` with x0x's snake_case keys (plus `identity_dir`, derived), as TOML. */
export function configToToml(config: DaemonConfig): string {
  return stringify(
    withoutUndefined({
      instance_name: config.instanceName,
      bind_address: config.bindAddress,
      api_address: config.apiAddress,
      data_dir: config.dataDir,
      identity_dir: config.identityDir,
      log_level: config.logLevel,
      log_format: config.logFormat,
      bootstrap_peers: [...config.bootstrapPeers],
      heartbeat_interval_secs: config.heartbeatIntervalSecs,
      identity_ttl_secs: config.identityTtlSecs,
      user_key_path: config.userKeyPath,
      rendezvous_enabled: config.rendezvousEnabled,
      rendezvous_validity_ms: config.rendezvousValidityMs,
      presence_beacon_interval_secs: config.presenceBeaconIntervalSecs,
      presence_event_poll_interval_secs: config.presenceEventPollIntervalSecs,
      presence_offline_timeout_secs: config.presenceOfflineTimeoutSecs,
      directory_digest_interval_secs: config.directoryDigestIntervalSecs,
      directory_resubscribe_jitter_ms: config.directoryResubscribeJitterMs,
      group_card_republish_interval_secs: config.groupCardRepublishIntervalSecs,
      mdns_enabled: config.mdnsEnabled,
      exec_acl: config.execAclPath,
      update: {
        enabled: config.update.enabled,
        rollout_window_minutes: config.update.rolloutWindowMinutes,
        stop_on_upgrade: config.update.stopOnUpgrade,
        fallback_check_interval_minutes: config.update.fallbackCheckIntervalMinutes,
        repo: config.update.repo,
        include_prereleases: config.update.includePrereleases,
        gossip_updates: config.update.gossipUpdates,
      },
      gossip: {
        active_view_size: config.gossip.activeViewSize,
        passive_view_size: config.gossip.passiveViewSize,
        arwl: config.gossip.activeRandomWalkLength,
        prwl: config.gossip.passiveRandomWalkLength,
        dispatch_workers: config.gossip.dispatchWorkers,
      },
    }),
  )
}
