// Defaults and hard limits of the membership protocol. Paper parameters follow HyParView (Leitão,
// Pereira, Rodrigues, DSN 2007, §4 and §5) and SWIM (Das, Gupta, Motivala, DSN 2002, §3–4).

/** Target active view: HyParView uses log10(n) + c; 8 keeps 10,000+ nodes connected at 90% failure in §5. */
export const DEFAULT_ACTIVE_VIEW_SIZE = 8

/**
 * Hard cap of the active view: LOW-priority (repair) requests are accepted below it. One slot
 * above the target lets repairs land in a full overlay without evictions; more slack lets views
 * drift above the target, because every join walk that evicts starts a repair somewhere.
 */
export const DEFAULT_MAX_ACTIVE_VIEW_SIZE = 9

/** Largest configurable active view: every active link is a live connection probed each period. */
export const MAX_ACTIVE_VIEW_SIZE_LIMIT = 32

/** Passive view: the paper's k·(log n + c) with k = 6 at n ≈ 10,000 is about 64. */
export const DEFAULT_PASSIVE_VIEW_SIZE = 64

/** Largest configurable passive view: also bounds what a decoder accepts in one frame. */
export const MAX_PASSIVE_VIEW_SIZE_LIMIT = 128

/** Active random walk length (ARWL): the paper's 6 reaches beyond the contact's neighbourhood. */
export const DEFAULT_ACTIVE_RANDOM_WALK_LENGTH = 6

/** Passive random walk length (PRWL): the hop at which a forwarded join also lands in a passive view. */
export const DEFAULT_PASSIVE_RANDOM_WALK_LENGTH = 3

/** Active entries a shuffle carries (ka, §4.4 of the paper). */
export const DEFAULT_SHUFFLE_ACTIVE_COUNT = 3

/** Passive entries a shuffle carries (kp, §4.4 of the paper). */
export const DEFAULT_SHUFFLE_PASSIVE_COUNT = 4

/** Shuffle period: passive views refresh every ~10 s, fast next to churn, cheap on the wire. */
export const DEFAULT_SHUFFLE_INTERVAL_MS = 10_000

/** A neighbour request unanswered by now is abandoned and the next passive peer is tried. */
export const DEFAULT_NEIGHBOR_REQUEST_TIMEOUT_MS = 2_000

/** How often a node with an empty overlay re-sends JOIN to its contacts. */
export const DEFAULT_REJOIN_INTERVAL_MS = 5_000

/** SWIM protocol period (T'): about one second, as the issue and SWIM §5 suggest. */
export const DEFAULT_PROBE_INTERVAL_MS = 1_000

/** Wait for a direct ack before asking K neighbours to probe indirectly (SWIM §3.1). */
export const DEFAULT_ACK_TIMEOUT_MS = 500

/** Indirect probers (SWIM's k): 3 makes a false suspicion at 5% loss about 10⁻⁴ per probe. */
export const DEFAULT_INDIRECT_PROBE_COUNT = 3

/**
 * Suspicion lasts this long before a neighbour is declared dead (SWIM §4.2): two more probe
 * periods must fail, so one late ack never evicts a slow neighbour, yet a crash is repaired in
 * about four seconds.
 */
export const DEFAULT_SUSPICION_TIMEOUT_MS = 2_000

/** Peers declared dead, remembered to retry after a partition heals (oldest dropped first). */
export const DEFAULT_MAX_FAILED_PEERS = 16

/** How often one remembered dead peer is retried; reconnects islands after a partition heals. */
export const DEFAULT_FAILED_PEER_RETRY_INTERVAL_MS = 10_000

/** A dead peer is forgotten after this long: partitions longer than that need the contacts. */
export const DEFAULT_FAILED_PEER_RETENTION_MS = 10 * 60_000

/** Passive entries one sender may have introduced: no peer owns more than its share of the view. */
export const DEFAULT_MAX_PASSIVE_ENTRIES_PER_SOURCE = 16

/** Shuffles (requests and walks) accepted per sender per shuffle interval before dropping. */
export const DEFAULT_SHUFFLES_PER_SENDER_PER_INTERVAL = 4

/** JOINs this node accepts per second (each fans out ARWL walks to every neighbour). */
export const DEFAULT_JOINS_PER_SECOND = 16

/** FORWARDJOINs accepted per sender per second: bounds the evictions a neighbour can force. */
export const DEFAULT_FORWARD_JOINS_PER_SENDER_PER_SECOND = 8

/** Indirect probe requests served per sender per probe interval: bounds dials made for others. */
export const DEFAULT_PING_REQUESTS_PER_SENDER_PER_INTERVAL = 4

/** Indirect probes this node runs for others at once; more are dropped. */
export const DEFAULT_MAX_PENDING_INDIRECT_PROBES = 32

/** Senders tracked by each rate limiter; the least recently refilled is forgotten first. */
export const DEFAULT_MAX_RATE_LIMITED_SENDERS = 1_024

/** Addresses kept per peer: one dial tries at most this many, so hostile lists cost little. */
export const MAX_ADDRESSES_PER_PEER = 4

/** A host name is at most 253 bytes (RFC 1035 §2.3.4). */
export const MAX_HOST_BYTES = 253

/** Wire format version; a decoder rejects any other. */
export const MEMBERSHIP_WIRE_VERSION = 1

/** Machine ids travel as their 32 SHA-256 digest bytes. */
export const MACHINE_ID_BYTES = 32

/** Peers one frame may carry: a shuffle of at most the largest passive view plus its origin. */
export const MAX_PEERS_PER_MESSAGE = MAX_PASSIVE_VIEW_SIZE_LIMIT

/** Largest membership frame: 128 peers × (32 + 4 × 256) bytes stays well inside it. */
export const MAX_MEMBERSHIP_FRAME_BYTES = 160 * 1024

/** Frames queued for one peer in the service before new ones are dropped (membership is lossy-safe). */
export const DEFAULT_MAX_QUEUED_FRAMES_PER_PEER = 64
