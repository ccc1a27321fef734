/** Largest application frame: above the 48 KiB direct-message payload plus envelope and headers. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024

/** Frames a stream buffers for its reader before the sender is held back (back-pressure). */
export const DEFAULT_STREAM_RECEIVE_QUEUE_FRAMES = 64

/** Open streams of one kind per connection; enough for parallel transfers, bounded against floods. */
export const DEFAULT_MAX_STREAMS_PER_KIND = 256

/** Open connections per transport; a node keeps ~12 active neighbours plus transient ones. */
export const DEFAULT_MAX_CONNECTIONS = 512

/** Dials in progress at once; more are refused rather than queued without bound. */
export const DEFAULT_MAX_PENDING_DIALS = 64

/** A dial that has not completed (including the post-quantum handshake) by now fails. */
export const DEFAULT_DIAL_TIMEOUT_MS = 10_000

/** An idle connection is probed this often so that NAT bindings stay open and dead paths show. */
export const DEFAULT_KEEPALIVE_INTERVAL_MS = 5_000

/** A connection with no traffic (keepalives included) for this long is declared dead. */
export const DEFAULT_IDLE_TIMEOUT_MS = 15_000

/**
 * Credit for more frames goes back to the sender once this fraction of a stream's receive window
 * has been read, rather than after every frame: halves the control traffic, and (as RFC 9000 §4.2
 * advises for MAX_STREAM_DATA) leaves the sender a half window to keep sending meanwhile.
 */
export const STREAM_CREDIT_RETURN_FRACTION = 0.5

/** One-way delay of a memory link unless set: non-zero, so that every delivery is asynchronous. */
export const DEFAULT_MEMORY_LATENCY_MS = 1

/**
 * Floor of the modelled retransmission timeout: RFC 9002 §6.2 adds the peer's max_ack_delay
 * (25 ms by default) to every probe timeout, so even a zero-latency link takes this long to
 * repair a loss.
 */
export const MIN_RETRANSMISSION_TIMEOUT_MS = 25

/** Modelled retransmission timeout in one-way latencies: a round trip plus RFC 9002's variance margin. */
export const RETRANSMISSION_TIMEOUT_LATENCY_FACTOR = 3

/**
 * Retransmissions modelled for one frame at most: at any sane loss rate the chance of more is
 * negligible, and a real QUIC connection would have declared persistent congestion long before.
 */
export const MAX_MODELLED_RETRANSMISSIONS = 16

/** The UDP port every memory transport pretends to listen on, as a daemon does on one port. */
export const MEMORY_LISTEN_PORT = 5483

/**
 * Timer firings `MemoryNetwork.flush` drives before giving up: a network that has not quiesced by
 * then is busy forever (a ping-pong loop), which a test must see as a failure, not a hang.
 */
export const DEFAULT_FLUSH_MAX_STEPS = 100_000

// Bootstrap and the persistent peer cache.

/** Peers the cache remembers: far more than a node keeps connected, small enough to score on every insert. */
export const DEFAULT_PEER_CACHE_MAX_PEERS = 1_024

/** Addresses remembered per peer: a dual-stack host behind a NAT or two shows a handful, not more. */
export const DEFAULT_PEER_CACHE_MAX_ADDRESSES = 8

/** A peer whose last success is older than this is forgotten: 30 days of silence means it is gone. */
export const DEFAULT_PEER_CACHE_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1_000

/** Consecutive failed dials after which a cached peer is forgotten, so dead peers stop costing dials. */
export const DEFAULT_PEER_CACHE_MAX_CONSECUTIVE_FAILURES = 10

/** Changes are written at most this long after they happen: a crash loses seconds of learning, not days. */
export const DEFAULT_PEER_CACHE_SAVE_DELAY_MS = 5_000

/**
 * Largest peer cache file read: the bound of 1,024 peers × 8 addresses in JSON is under 1 MiB,
 * so anything past 4 MiB is not ours and is refused before it is read into memory.
 */
export const DEFAULT_PEER_CACHE_MAX_FILE_BYTES = 4 * 1024 * 1024

/** Version of the peer cache file format; a file of another version is ignored, not guessed at. */
export const PEER_CACHE_FILE_VERSION = 1

/** The peer cache file holds addresses of peers: private to the node's user, as x0x keeps its data dir. */
export const PEER_CACHE_FILE_MODE = 0o600

/** Weight of the newest outcome in a peer's exponentially decayed success ratio (~5 outcomes of memory). */
export const PEER_SCORE_OUTCOME_WEIGHT = 0.3

/** Half-life of the recency term of a peer's score: a peer seen a day ago is half as fresh. */
export const PEER_SCORE_RECENCY_HALF_LIFE_MS = 24 * 60 * 60 * 1_000

/** Round-trip time at which the latency term of a peer's score is one half. */
export const PEER_SCORE_REFERENCE_RTT_MS = 100

/** Weight of the smoothed RTT's newest sample (RFC 6298 uses 1/8 for SRTT). */
export const PEER_RTT_SMOOTHING = 0.125

/** Cached peers dialled per bootstrap round besides the seeds: enough to join, not a dial storm. */
export const DEFAULT_BOOTSTRAP_CACHED_PEERS = 16

/** Bootstrap dials in flight at once, well under the transport's `DEFAULT_MAX_PENDING_DIALS`. */
export const DEFAULT_BOOTSTRAP_MAX_CONCURRENT_DIALS = 8

/** Delay before the first retry of a bootstrap round that left the node without connections. */
export const DEFAULT_BOOTSTRAP_INITIAL_BACKOFF_MS = 1_000

/** Ceiling of the bootstrap retry delay: a lone node still tries once a minute (x0x's zero-peer restart). */
export const DEFAULT_BOOTSTRAP_MAX_BACKOFF_MS = 60_000

/** Growth of the bootstrap retry delay per round that failed. */
export const DEFAULT_BOOTSTRAP_BACKOFF_MULTIPLIER = 2

/**
 * Fraction of each retry delay drawn at random (the delay lies in [1 − jitter, 1] × the backoff),
 * so that nodes restarted together by one outage do not redial the seeds in lockstep.
 */
export const DEFAULT_BOOTSTRAP_JITTER = 0.5

/** Connections below which bootstrap runs again: the "re-runs when the node has no connections". */
export const DEFAULT_BOOTSTRAP_MIN_CONNECTIONS = 1

/** Seeds accepted at most: the default list has 12; a config with thousands is a mistake. */
export const MAX_BOOTSTRAP_SEEDS = 256

// mDNS LAN discovery (RFC 6762, RFC 6763).

/** The DNS-SD service type x0x nodes advertise and browse. */
export const MDNS_SERVICE_TYPE = '_x0x._udp.local'

/** The IPv4 mDNS group and port (RFC 6762 §3). */
export const MDNS_IPV4_GROUP = '224.0.0.251'
export const MDNS_PORT = 5353

/** Version of the TXT record contents (`id=`, `v=`); a peer advertising another is ignored. */
export const MDNS_PROTOCOL_VERSION = 1

/** Hex characters of the machine id in instance and host names: unique enough on a LAN, short for a label. */
export const MDNS_NAME_ID_CHARACTERS = 16

/** TTL of advertised records in seconds: RFC 6762 §10 recommends 120 s for records naming a host. */
export const DEFAULT_MDNS_RECORD_TTL_SECONDS = 120

/** Largest mDNS packet accepted or sent: RFC 6762 §17 caps multicast DNS messages at 9,000 bytes. */
export const MDNS_MAX_PACKET_BYTES = 9_000

/** Records in one packet accepted at most (all sections together); a real response holds fewer than 10. */
export const MDNS_MAX_RECORDS_PER_PACKET = 64

/** Peers taken from one packet at most, so one packet cannot churn the whole discovery cache. */
export const MDNS_MAX_PEERS_PER_PACKET = 4

/** Addresses kept per discovered peer, as for the peer cache. */
export const MDNS_MAX_ADDRESSES_PER_PEER = 8

/** Discovered peers remembered at once; a flood of spoofed peers evicts the oldest, never grows memory. */
export const DEFAULT_MDNS_MAX_PEERS = 256

/** First interval between queries; RFC 6762 §5.2 requires at least one second. */
export const DEFAULT_MDNS_INITIAL_QUERY_INTERVAL_MS = 1_000

/**
 * Ceiling of the doubling query interval. RFC 6762 §5.2 allows up to an hour; one minute keeps
 * the discovered records (120 s TTL) fresh, since a peer's cache entry expires after one TTL.
 */
export const DEFAULT_MDNS_MAX_QUERY_INTERVAL_MS = 60_000

/** One multicast response per this interval at most (RFC 6762 §6: a record at most once a second). */
export const MDNS_MIN_RESPONSE_INTERVAL_MS = 1_000

/** Random delay before answering a shared (PTR) question, to spread responders (RFC 6762 §6). */
export const MDNS_RESPONSE_DELAY_MIN_MS = 20
export const MDNS_RESPONSE_DELAY_MAX_MS = 120

/** Unsolicited announcements on start, one second apart (RFC 6762 §8.3 requires at least two). */
export const MDNS_ANNOUNCEMENTS = 2
export const MDNS_ANNOUNCEMENT_INTERVAL_MS = 1_000

/** Discovered peers dialled at once when auto-dial is on. */
export const DEFAULT_MDNS_MAX_CONCURRENT_DIALS = 4

/** A discovered peer is not auto-dialled again within this long, whatever its announcements say. */
export const DEFAULT_MDNS_DIAL_COOLDOWN_MS = 30_000
