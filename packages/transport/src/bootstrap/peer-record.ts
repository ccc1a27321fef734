// The pure core of the peer cache: records, their transitions on a dial outcome, and their score.
// No I/O and no clock reads; `now` is passed in.
import type { MachineId } from '@x0x/pqc'
import {
  PEER_RTT_SMOOTHING,
  PEER_SCORE_OUTCOME_WEIGHT,
  PEER_SCORE_RECENCY_HALF_LIFE_MS,
  PEER_SCORE_REFERENCE_RTT_MS,
} from '../constants.js'
import type { PeerAddress } from '../transport.js'
import { peerAddressKey } from './peer-address-text.js'

/** An address at which a connection to the peer once succeeded. */
export interface CachedAddress extends PeerAddress {
  /** `clock.now()` of the last success at this address. */
  readonly lastSuccessAt: number
}

/** What the cache knows of one peer; also the unit a `PeerCacheStore` persists. */
export interface PeerCacheRecord {
  readonly machineId: MachineId
  /** Most recently successful first. */
  readonly addresses: readonly CachedAddress[]
  readonly successes: number
  readonly failures: number
  /** Failures since the last success; the peer is forgotten past `maxConsecutiveFailures`. */
  readonly consecutiveFailures: number
  /** Exponentially decayed success ratio in [0, 1]: recent outcomes weigh most. */
  readonly reliability: number
  /** Smoothed round-trip time in milliseconds, when one was measured. */
  readonly rttMs: number | undefined
  readonly lastSuccessAt: number
  readonly lastFailureAt: number | undefined
}

/** The prior success ratio of a peer with no history: neither trusted nor distrusted. */
const PRIOR_RELIABILITY = 0.5

/** Score weights: reliability dominates, recency breaks ties between equally reliable peers. */
const RELIABILITY_WEIGHT = 0.6
const RECENCY_WEIGHT = 0.3
const LATENCY_WEIGHT = 0.1

/** The record after a successful connection to `machineId` at `address`. */
export function recordWithSuccess(
  record: PeerCacheRecord | undefined,
  machineId: MachineId,
  address: PeerAddress,
  rttMs: number | undefined,
  now: number,
  maxAddresses: number,
): PeerCacheRecord {
  const key = peerAddressKey(address)
  const others = (record?.addresses ?? []).filter((cached) => peerAddressKey(cached) !== key)
  const addresses = [{ host: address.host, port: address.port, lastSuccessAt: now }, ...others]
  const reliability = record?.reliability ?? PRIOR_RELIABILITY
  return {
    machineId,
    addresses: addresses.slice(0, maxAddresses),
    successes: (record?.successes ?? 0) + 1,
    failures: record?.failures ?? 0,
    consecutiveFailures: 0,
    reliability: reliability + (1 - reliability) * PEER_SCORE_OUTCOME_WEIGHT,
    rttMs: smoothedRtt(record?.rttMs, rttMs),
    lastSuccessAt: now,
    lastFailureAt: record?.lastFailureAt,
  }
}

/** The record with a round-trip sample folded into its smoothed RTT (RFC 6298 style). */
export function recordWithRtt(record: PeerCacheRecord, rttMs: number): PeerCacheRecord {
  return { ...record, rttMs: smoothedRtt(record.rttMs, rttMs) }
}

function smoothedRtt(previous: number | undefined, sample: number | undefined): number | undefined {
  if (sample === undefined) return previous
  if (previous === undefined) return sample
  return previous + (sample - previous) * PEER_RTT_SMOOTHING
}

/** The record after a failed dial. */
export function recordWithFailure(record: PeerCacheRecord, now: number): PeerCacheRecord {
  return {
    ...record,
    failures: record.failures + 1,
    consecutiveFailures: record.consecutiveFailures + 1,
    reliability: record.reliability * (1 - PEER_SCORE_OUTCOME_WEIGHT),
    lastFailureAt: now,
  }
}

/**
 * The score in [0, 1] that orders dial attempts and picks eviction victims: 0.6 × decayed success
 * ratio + 0.3 × recency (halving per day since the last success) + 0.1 × latency (one half at
 * 100 ms; one half too when never measured).
 */
export function scoreOf(record: PeerCacheRecord, now: number): number {
  const age = Math.max(0, now - record.lastSuccessAt)
  const recency = 0.5 ** (age / PEER_SCORE_RECENCY_HALF_LIFE_MS)
  const latency =
    record.rttMs === undefined
      ? 0.5
      : PEER_SCORE_REFERENCE_RTT_MS / (PEER_SCORE_REFERENCE_RTT_MS + record.rttMs)
  return (
    RELIABILITY_WEIGHT * record.reliability + RECENCY_WEIGHT * recency + LATENCY_WEIGHT * latency
  )
}
