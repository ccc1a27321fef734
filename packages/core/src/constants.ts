// Wire constants, topic names and limits of the Agent. Topic names follow x0x (API.md §5.5) so
// that what users see (topics in diagnostics) reads the same.

/** Signed identity announcements (agent ↔ machine binding, addresses, KEM key). */
export const IDENTITY_ANNOUNCE_TOPIC = 'x0x.identity.announce.v2'

/** "Who has agent X?" queries: the named agent re-announces, so `find` does not wait minutes. */
export const IDENTITY_QUERY_TOPIC = 'x0x.identity.query.v1'

/** ML-KEM-sealed direct messages that could not travel over a direct connection. */
export const DIRECT_MESSAGE_BUS_TOPIC = 'x0x/dm/v1/bus'

/** ML-DSA-65 context of the machine's half of an announcement (binds agent → machine). */
export const ANNOUNCEMENT_MACHINE_CONTEXT = 'x0x.identity.machine-binding.v1'

/** ML-DSA-65 context of direct messages (distinct from every other signature). */
export const DIRECT_MESSAGE_CONTEXT = 'x0x-dm-v1'

/** Purpose string of sealed gossip DMs (binds sender, recipient and use). */
export const DIRECT_ENVELOPE_PURPOSE = 'x0x-dm-payload-v1'

/** x0x's limit on a direct message payload (API.md §5.7): 48 KiB. */
export const MAX_DIRECT_PAYLOAD_BYTES = 49_152

/** An announcement holds two public keys, a KEM key, a few addresses: 16 KiB is ample. */
export const MAX_ANNOUNCEMENT_BYTES = 16_384

/** Addresses kept from one announcement: enough for dual-stack multi-homed hosts. */
export const MAX_ANNOUNCED_ADDRESSES = 16

/** Identity re-announce period (x0x `heartbeat_interval_secs`): 300 s. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 300_000

/** Discovery cache TTL (x0x `identity_ttl_secs`): 900 s. */
export const DEFAULT_IDENTITY_TTL_MS = 900_000

/** Quickest re-announce after a new neighbour or a query, so joins cannot cause a storm. */
export const MIN_REANNOUNCE_INTERVAL_MS = 5_000

/**
 * Announcements of one agent a receiver processes: a bucket of `ANNOUNCEMENT_BURST` refilled one
 * every `ANNOUNCEMENT_REFILL_MS`. Each costs a second ML-DSA-65 verification (the machine's), so
 * a flooding agent is throttled before it; honest agents re-announce at most every
 * `MIN_REANNOUNCE_INTERVAL_MS` plus the odd explicit `announce`, well inside the bucket.
 */
export const ANNOUNCEMENT_BURST = 4
export const ANNOUNCEMENT_REFILL_MS = 2_000

/** Agents whose announcement bucket is remembered (LRU; a forgotten agent starts full). */
export const MAX_ANNOUNCEMENT_THROTTLE_ENTRIES = 4_096

/** How long `sendDirect` waits for the recipient's acknowledgement. */
export const DEFAULT_DIRECT_ACK_TIMEOUT_MS = 10_000

/** How long `find` waits for an answer to an identity query. */
export const DEFAULT_FIND_TIMEOUT_MS = 5_000

/** Request ids remembered to drop retried duplicates of a direct message. */
export const DIRECT_DEDUP_CAPACITY = 4_096

/** Direct messages waiting for their acknowledgement at once; more are refused. */
export const MAX_PENDING_DIRECT_SENDS = 1_024

/** Direct messages queued for local listeners before the oldest is dropped. */
export const DEFAULT_DIRECT_EVENT_QUEUE = 1_024

/** Skew accepted on a direct message's timestamp before it counts as a replay (API.md §5.7). */
export const DIRECT_MESSAGE_MAX_AGE_MS = 600_000
