import { InvalidArgumentError } from '@x0x/base'
import {
  DEFAULT_ACK_TIMEOUT_MS,
  DEFAULT_ACTIVE_RANDOM_WALK_LENGTH,
  DEFAULT_ACTIVE_VIEW_SIZE,
  DEFAULT_FAILED_PEER_RETENTION_MS,
  DEFAULT_FAILED_PEER_RETRY_INTERVAL_MS,
  DEFAULT_FORWARD_JOINS_PER_SENDER_PER_SECOND,
  DEFAULT_INDIRECT_PROBE_COUNT,
  DEFAULT_JOINS_PER_SECOND,
  DEFAULT_MAX_ACTIVE_VIEW_SIZE,
  DEFAULT_MAX_FAILED_PEERS,
  DEFAULT_MAX_PASSIVE_ENTRIES_PER_SOURCE,
  DEFAULT_MAX_PENDING_INDIRECT_PROBES,
  DEFAULT_MAX_RATE_LIMITED_SENDERS,
  DEFAULT_NEIGHBOR_REQUEST_TIMEOUT_MS,
  DEFAULT_PASSIVE_RANDOM_WALK_LENGTH,
  DEFAULT_PASSIVE_VIEW_SIZE,
  DEFAULT_PING_REQUESTS_PER_SENDER_PER_INTERVAL,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_REJOIN_INTERVAL_MS,
  DEFAULT_SHUFFLE_ACTIVE_COUNT,
  DEFAULT_SHUFFLE_INTERVAL_MS,
  DEFAULT_SHUFFLE_PASSIVE_COUNT,
  DEFAULT_SHUFFLES_PER_SENDER_PER_INTERVAL,
  DEFAULT_SUSPICION_TIMEOUT_MS,
  MAX_ACTIVE_VIEW_SIZE_LIMIT,
  MAX_PASSIVE_VIEW_SIZE_LIMIT,
  MAX_PEERS_PER_MESSAGE,
} from './constants.js'

/** Protocol parameters of membership; every field is optional and documented with its default. */
export interface MembershipInit {
  /** Active view size: filled up to from the passive view; JOINs and HIGH requests evict at it. Default: 8. */
  activeViewSize?: number
  /** Hard cap of the active view, where LOW requests are refused; ≥ `activeViewSize`, ≤ 32. Default: `activeViewSize` + 1 (9). */
  maxActiveViewSize?: number
  /** Passive view capacity; ≤ 128. Default: 64. */
  passiveViewSize?: number
  /** Active random walk length (ARWL) of JOIN and SHUFFLE walks. Default: 6. */
  activeRandomWalkLength?: number
  /** Passive random walk length (PRWL): the join walk hop that also fills a passive view. Default: 3. */
  passiveRandomWalkLength?: number
  /** Active-view peers in a shuffle (ka). Default: 3. */
  shuffleActiveCount?: number
  /** Passive-view peers in a shuffle (kp). Default: 4. */
  shufflePassiveCount?: number
  /** Mean time between shuffles (each jittered ±50%). Default: 10,000 ms. */
  shuffleIntervalMs?: number
  /** A NEIGHBOR or JOIN request unanswered this long is abandoned. Default: 2,000 ms. */
  neighborRequestTimeoutMs?: number
  /** A node with empty views re-sends JOIN to its contacts this often. Default: 5,000 ms. */
  rejoinIntervalMs?: number
  /** SWIM protocol period: silent neighbours are pinged this often. Default: 1,000 ms. */
  probeIntervalMs?: number
  /** Direct-ack wait before indirect probes; < `probeIntervalMs`. Default: 500 ms. */
  ackTimeoutMs?: number
  /** Neighbours asked to probe indirectly (SWIM's k). Default: 3. */
  indirectProbeCount?: number
  /** Suspicion time before a silent neighbour is declared dead. Default: 2,000 ms. */
  suspicionTimeoutMs?: number
  /** Dead peers remembered for retry after a partition heals. Default: 16. */
  maxFailedPeers?: number
  /** Interval between retries of one remembered dead peer. Default: 10,000 ms. */
  failedPeerRetryIntervalMs?: number
  /** A remembered dead peer is forgotten after this long. Default: 600,000 ms. */
  failedPeerRetentionMs?: number
  /** Passive entries any one sender may have introduced. Default: 16. */
  maxPassiveEntriesPerSource?: number
  /** Shuffles accepted per sender per shuffle interval. Default: 4. */
  shufflesPerSenderPerInterval?: number
  /** JOINs accepted per second. Default: 16. */
  joinsPerSecond?: number
  /** FORWARDJOINs accepted per sender per second. Default: 8. */
  forwardJoinsPerSenderPerSecond?: number
  /** Indirect probe requests served per sender per probe interval. Default: 4. */
  pingRequestsPerSenderPerInterval?: number
  /** Indirect probes run for others at once. Default: 32. */
  maxPendingIndirectProbes?: number
  /** Senders each rate limiter tracks (least recently seen forgotten). Default: 1,024. */
  maxRateLimitedSenders?: number
}

/** `MembershipInit` with every default resolved and validated. */
export type MembershipOptions = Readonly<Required<MembershipInit>>

function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(`${name} must be an integer in [1, ${max}], got ${value}`)
  }
  return value
}

/**
 * Resolves defaults with `??` and validates ranges once.
 *
 * @throws InvalidArgumentError on a value out of range or inconsistent with another
 */
export function resolveMembershipOptions(init: MembershipInit = {}): MembershipOptions {
  const activeViewSize = positiveInteger(
    'activeViewSize',
    init.activeViewSize ?? DEFAULT_ACTIVE_VIEW_SIZE,
    MAX_ACTIVE_VIEW_SIZE_LIMIT,
  )
  const maxActiveViewSize = positiveInteger(
    'maxActiveViewSize',
    init.maxActiveViewSize ??
      (init.activeViewSize === undefined
        ? DEFAULT_MAX_ACTIVE_VIEW_SIZE
        : Math.min(activeViewSize + 1, MAX_ACTIVE_VIEW_SIZE_LIMIT)),
    MAX_ACTIVE_VIEW_SIZE_LIMIT,
  )
  if (maxActiveViewSize < activeViewSize) {
    throw new InvalidArgumentError('maxActiveViewSize must be at least activeViewSize')
  }
  const probeIntervalMs = positiveInteger(
    'probeIntervalMs',
    init.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS,
  )
  const ackTimeoutMs = positiveInteger('ackTimeoutMs', init.ackTimeoutMs ?? DEFAULT_ACK_TIMEOUT_MS)
  if (ackTimeoutMs >= probeIntervalMs) {
    throw new InvalidArgumentError('ackTimeoutMs must be shorter than probeIntervalMs')
  }
  const activeRandomWalkLength = positiveInteger(
    'activeRandomWalkLength',
    init.activeRandomWalkLength ?? DEFAULT_ACTIVE_RANDOM_WALK_LENGTH,
    255,
  )
  const passiveRandomWalkLength = positiveInteger(
    'passiveRandomWalkLength',
    init.passiveRandomWalkLength ?? DEFAULT_PASSIVE_RANDOM_WALK_LENGTH,
    activeRandomWalkLength,
  )
  const shuffleActiveCount = positiveInteger(
    'shuffleActiveCount',
    init.shuffleActiveCount ?? DEFAULT_SHUFFLE_ACTIVE_COUNT,
  )
  const shufflePassiveCount = positiveInteger(
    'shufflePassiveCount',
    init.shufflePassiveCount ?? DEFAULT_SHUFFLE_PASSIVE_COUNT,
  )
  if (shuffleActiveCount + shufflePassiveCount + 1 > MAX_PEERS_PER_MESSAGE) {
    throw new InvalidArgumentError(`a shuffle may carry at most ${MAX_PEERS_PER_MESSAGE} peers`)
  }
  return {
    activeViewSize,
    maxActiveViewSize,
    passiveViewSize: positiveInteger(
      'passiveViewSize',
      init.passiveViewSize ?? DEFAULT_PASSIVE_VIEW_SIZE,
      MAX_PASSIVE_VIEW_SIZE_LIMIT,
    ),
    activeRandomWalkLength,
    passiveRandomWalkLength,
    shuffleActiveCount,
    shufflePassiveCount,
    shuffleIntervalMs: positiveInteger(
      'shuffleIntervalMs',
      init.shuffleIntervalMs ?? DEFAULT_SHUFFLE_INTERVAL_MS,
    ),
    neighborRequestTimeoutMs: positiveInteger(
      'neighborRequestTimeoutMs',
      init.neighborRequestTimeoutMs ?? DEFAULT_NEIGHBOR_REQUEST_TIMEOUT_MS,
    ),
    rejoinIntervalMs: positiveInteger(
      'rejoinIntervalMs',
      init.rejoinIntervalMs ?? DEFAULT_REJOIN_INTERVAL_MS,
    ),
    probeIntervalMs,
    ackTimeoutMs,
    indirectProbeCount: positiveInteger(
      'indirectProbeCount',
      init.indirectProbeCount ?? DEFAULT_INDIRECT_PROBE_COUNT,
      MAX_ACTIVE_VIEW_SIZE_LIMIT,
    ),
    suspicionTimeoutMs: positiveInteger(
      'suspicionTimeoutMs',
      init.suspicionTimeoutMs ?? DEFAULT_SUSPICION_TIMEOUT_MS,
    ),
    maxFailedPeers: positiveInteger(
      'maxFailedPeers',
      init.maxFailedPeers ?? DEFAULT_MAX_FAILED_PEERS,
      1_024,
    ),
    failedPeerRetryIntervalMs: positiveInteger(
      'failedPeerRetryIntervalMs',
      init.failedPeerRetryIntervalMs ?? DEFAULT_FAILED_PEER_RETRY_INTERVAL_MS,
    ),
    failedPeerRetentionMs: positiveInteger(
      'failedPeerRetentionMs',
      init.failedPeerRetentionMs ?? DEFAULT_FAILED_PEER_RETENTION_MS,
    ),
    maxPassiveEntriesPerSource: positiveInteger(
      'maxPassiveEntriesPerSource',
      init.maxPassiveEntriesPerSource ?? DEFAULT_MAX_PASSIVE_ENTRIES_PER_SOURCE,
    ),
    shufflesPerSenderPerInterval: positiveInteger(
      'shufflesPerSenderPerInterval',
      init.shufflesPerSenderPerInterval ?? DEFAULT_SHUFFLES_PER_SENDER_PER_INTERVAL,
    ),
    joinsPerSecond: positiveInteger(
      'joinsPerSecond',
      init.joinsPerSecond ?? DEFAULT_JOINS_PER_SECOND,
    ),
    forwardJoinsPerSenderPerSecond: positiveInteger(
      'forwardJoinsPerSenderPerSecond',
      init.forwardJoinsPerSenderPerSecond ?? DEFAULT_FORWARD_JOINS_PER_SENDER_PER_SECOND,
    ),
    pingRequestsPerSenderPerInterval: positiveInteger(
      'pingRequestsPerSenderPerInterval',
      init.pingRequestsPerSenderPerInterval ?? DEFAULT_PING_REQUESTS_PER_SENDER_PER_INTERVAL,
    ),
    maxPendingIndirectProbes: positiveInteger(
      'maxPendingIndirectProbes',
      init.maxPendingIndirectProbes ?? DEFAULT_MAX_PENDING_INDIRECT_PROBES,
    ),
    maxRateLimitedSenders: positiveInteger(
      'maxRateLimitedSenders',
      init.maxRateLimitedSenders ?? DEFAULT_MAX_RATE_LIMITED_SENDERS,
    ),
  }
}
