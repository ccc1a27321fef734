// Counters named as the daemon exposes them (API.md `GET /diagnostics/gossip`): `stats` holds
// the x0x names, `pubsub_stages` the per-stage detail of the ingest pipeline and the tree.
import type { PlumtreeCounters } from './plumtree-state.js'

/** The `stats` object of `/diagnostics/gossip`. Service-level fields stay 0 in a bare node. */
export interface GossipStats {
  /** Messages published locally (each payload of a batch counts). */
  publish_total: number
  /** Local publishes refused (bad topic, payload too large, no signing key). */
  publish_failed: number
  /** Frames received from neighbours. */
  incoming_total: number
  /** Frames that decoded within limits. */
  incoming_decoded: number
  /** Frames or envelopes that failed to decode or broke a limit (dropped, never forwarded). */
  incoming_decode_failed: number
  /** Messages handed to local subscribers (each payload counts once per node). */
  delivered_to_subscriber: number
  /** Messages a slow local subscriber lost to its bounded queue (set by the service). */
  slow_subscriber_dropped: number
  /** Deliveries to a subscriber that had closed (set by the service). */
  subscriber_channel_closed: number
  /** Envelopes decoded and awaiting verification or a key right now. */
  in_flight_decode: number
  /** Envelopes decoded but never delivered: bad signature, wrong or missing key, parking overflow. */
  decode_to_delivery_drops: number
}

/** The `pubsub_stages` object of `/diagnostics/gossip`. */
export interface PubsubStageStats extends PlumtreeCounters, IngestCounters {
  cache_messages: number
  cache_bytes: number
  cache_evicted: number
  seen_messages: number
  missing_messages: number
  neighbours: number
  topics: number
  public_keys: number
}

export function emptyGossipStats(): GossipStats {
  return {
    publish_total: 0,
    publish_failed: 0,
    incoming_total: 0,
    incoming_decoded: 0,
    incoming_decode_failed: 0,
    delivered_to_subscriber: 0,
    slow_subscriber_dropped: 0,
    subscriber_channel_closed: 0,
    in_flight_decode: 0,
    decode_to_delivery_drops: 0,
  }
}

/** Ingest counters kept by the node (the rest of `PubsubStageStats` is read from state). */
export interface IngestCounters {
  /** Copies of messages already seen, dropped before decoding or verification. */
  duplicates: number
  /** Envelopes whose signature verified. */
  verified: number
  /** Envelopes whose signature did not verify (dropped, never forwarded). */
  signature_failed: number
  /** Exact repeats of an envelope that already failed verification, dropped unverified. */
  rejected_repeat: number
  /** Attached public keys whose hash is not the origin id. */
  public_key_mismatch: number
  /** Envelopes parked while their origin's key was requested. */
  key_parked: number
  key_requests_sent: number
  key_responses_sent: number
  /** Parked envelopes dropped because no key arrived in time. */
  key_unavailable: number
  /** Parked envelopes dropped because the parking area was full. */
  parked_dropped: number
  /** Keys received that nobody asked for (ignored). */
  unsolicited_keys: number
}

export function emptyIngestCounters(): IngestCounters {
  return {
    duplicates: 0,
    verified: 0,
    signature_failed: 0,
    rejected_repeat: 0,
    public_key_mismatch: 0,
    key_parked: 0,
    key_requests_sent: 0,
    key_responses_sent: 0,
    key_unavailable: 0,
    parked_dropped: 0,
    unsolicited_keys: 0,
  }
}
