// Wire constants, limits and timer defaults of x0x pub/sub. Each says why it has its value.
// Timer defaults follow the Plumtree paper (Leitão, Pereira, Rodrigues 2007, §3.6–3.8) as tuned
// by iroh-gossip for real networks with 10–50 ms links.

/** Signing context (FIPS 204 §5.2) of every pub/sub envelope: a signature from any other x0x protocol never verifies here. */
export const PUBSUB_SIGNING_CONTEXT_LABEL = 'x0x/pubsub/message/v1'

/** Version byte at the start of the signed body: a new layout gets a new version, never a reinterpretation. */
export const ENVELOPE_VERSION = 1

/** Version byte of every pub/sub frame on a `pubsub` stream, so a future layout can coexist. */
export const FRAME_VERSION = 1

/** Bytes of an agent id on the wire (SHA-256 output). */
export const AGENT_ID_BYTES = 32

/** Bytes of a message id: SHA-256 of the signed body, full length so no one can forge a collision. */
export const MESSAGE_ID_BYTES = 32

/** Bytes of the anti-entropy digest summary hash: 128 bits make an accidental match negligible. */
export const DIGEST_SUMMARY_BYTES = 16

/** Default most topic bytes (UTF-8): x0x topics are short names; one length byte carries them. */
export const DEFAULT_MAX_TOPIC_BYTES = 255

/** Default most bytes of one payload: 64 KiB keeps a frame well inside a transport frame with its 5 KiB signature. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 65_536

/** Default most messages signed together under one signature (batching amortises ML-DSA signing, PERF.md B6). */
export const DEFAULT_MAX_BATCH_MESSAGES = 64

/** Default most bytes of one envelope (signed body + signature): bounds memory per frame before verification. */
export const DEFAULT_MAX_ENVELOPE_BYTES = 1_048_576

/** Default most ids in one IHAVE or GRAFT frame: bounds a control frame to ~8 KiB. */
export const DEFAULT_MAX_IDS_PER_FRAME = 256

/** Default most entries in one anti-entropy digest frame: one per active (origin, epoch) stream of a topic. */
export const DEFAULT_MAX_DIGEST_ENTRIES = 1_024

/** Default most public keys or key requests in one frame: a key is 1,952 bytes, so 32 keys stay under 64 KiB. */
export const DEFAULT_MAX_KEYS_PER_FRAME = 32

/** Default most topics in one interest frame. */
export const DEFAULT_MAX_TOPICS_PER_FRAME = 256

/** Default most message ids remembered as seen (dedup): about 30 s of traffic at 10,000 msg/s. */
export const DEFAULT_MAX_SEEN_MESSAGES = 300_000

/** Default time a seen message id is remembered: longer than any cache age, so a repaired message is never delivered twice. */
export const DEFAULT_SEEN_TTL_MS = 180_000

/** Default most verified public keys cached, by agent id (least recently used evicted). */
export const DEFAULT_MAX_PUBLIC_KEYS = 4_096

/** Default most envelopes parked while their origin's public key is requested (oldest dropped first). */
export const DEFAULT_MAX_PARKED_ENVELOPES = 256

/** Default time an envelope waits for its origin's public key before it is dropped (and left to anti-entropy). */
export const DEFAULT_KEY_REQUEST_TIMEOUT_MS = 2_000

/** Default most forged-frame hashes remembered, so the same invalid frame is not verified again. */
export const DEFAULT_MAX_REJECTED_FRAMES = 4_096

/** Default messages kept for GRAFT answers and anti-entropy repair. */
export const DEFAULT_MAX_CACHE_MESSAGES = 10_000

/** Default bytes of messages kept (oldest evicted first). */
export const DEFAULT_MAX_CACHE_BYTES = 64 * 1_048_576

/** Default age after which a cached message is evicted: the anti-entropy repair window. */
export const DEFAULT_MAX_CACHE_AGE_MS = 120_000

/** Default wait after the first IHAVE before GRAFTing (Plumtree timeout1); above typical eager-path lag. */
export const DEFAULT_GRAFT_TIMEOUT_MS = 250

/** Default wait before GRAFTing the next announcer (Plumtree timeout2): above the round trip of a recursive GRAFT through a few relays of an interest-scoped tree, or every retry builds one more path (measured: RMR 1.2 → 0.5 among subscribers at 100 → 400 ms, docs/protocols/pubsub.md). */
export const DEFAULT_GRAFT_RETRY_TIMEOUT_MS = 400

/** Default window over which IHAVE announcements to one peer are batched into one frame. */
export const DEFAULT_IHAVE_FLUSH_MS = 20

/** Default hop gap at which a lazy path replaces the eager one (Plumtree §3.8 optimisation threshold). */
export const DEFAULT_OPTIMIZATION_THRESHOLD = 7

/** Default most announcers remembered per missing message: enough retries, bounded memory. */
export const DEFAULT_MAX_ANNOUNCERS_PER_MESSAGE = 8

/** Default most messages awaited through IHAVE at once (oldest abandoned first; anti-entropy covers them). */
export const DEFAULT_MAX_MISSING_MESSAGES = 4_096

/** Default window in which `DEFAULT_PUBLISHER_JOIN_COUNT` publishes make a steady publisher that joins the tree: short, so one-off publishers do not accumulate branches (measured, docs/protocols/pubsub.md). */
export const DEFAULT_PUBLISHER_INTEREST_TTL_MS = 10_000

/** Default wait before a one-off publisher announces its forward-only message: the tree, reached by the push, announces it first, so grafters join the tree rather than a path to the publisher. */
export const DEFAULT_FORWARD_ONLY_ANNOUNCEMENT_DELAY_MS = 500

/** Default publishes within the window that make a publisher join the tree; fewer are pushed forward-only, as joining costs more than a few forward-only pushes. */
export const DEFAULT_PUBLISHER_JOIN_COUNT = 4

/** Default time an uninterested node remembers an announced message it lacks, to serve a recursive GRAFT: above a subscriber's whole GRAFT schedule (250 + 8 × 400 ms) plus the announcement's path. */
export const DEFAULT_ANNOUNCEMENT_TTL_MS = 5_000

/** Default period of anti-entropy digest rounds with every neighbour of a topic. */
export const DEFAULT_ANTI_ENTROPY_INTERVAL_MS = 2_000

/** Default age below which a cached message is not pushed by anti-entropy: it is still travelling the tree. */
export const DEFAULT_REPAIR_DELAY_MS = 1_000

/** Default most cached messages pushed to one neighbour per digest: repair is spread over rounds. */
export const DEFAULT_MAX_REPAIR_MESSAGES = 256

/** Default most (origin, epoch) streams tracked per topic for digests (least recently active dropped). */
export const DEFAULT_MAX_STREAMS_PER_TOPIC = 4_096

/** Default most out-of-order sequences remembered above a stream's contiguous mark. */
export const DEFAULT_MAX_OUT_OF_ORDER = 1_024

/** Default most topics a node tracks Plumtree state for (least recently active dropped). */
export const DEFAULT_MAX_TOPICS = 1_024

/** Default most neighbours a node keeps per-neighbour state for (HyParView active view is ~8). */
export const DEFAULT_MAX_NEIGHBOURS = 64

/** Default most agent ids remembered per neighbour as "already sent its public key". */
export const DEFAULT_MAX_KEYS_SENT_PER_NEIGHBOUR = 1_024

/** Default messages queued per local subscriber before the slow-subscriber policy applies. */
export const DEFAULT_SUBSCRIBER_QUEUE_MESSAGES = 1_024

/** Default frames queued per neighbour stream before new frames to it are dropped (Plumtree repairs them). */
export const DEFAULT_MAX_QUEUED_FRAMES_PER_NEIGHBOUR = 1_024

/** Default bytes queued per neighbour stream: bounds memory held for one slow neighbour. */
export const DEFAULT_MAX_QUEUED_BYTES_PER_NEIGHBOUR = 16 * 1_048_576

/** Default window over which local publishes to one topic share a signature (PERF.md B6). */
export const DEFAULT_PUBLISH_BATCH_WINDOW_MS = 2

/** Default local publishes awaiting their batch's signature; reaching it signs every batch at once. */
export const DEFAULT_MAX_PENDING_PUBLISHES = 4_096

/** Default inbound pubsub streams read at once (one per neighbour; the active view is ~8). */
export const DEFAULT_MAX_INBOUND_STREAMS = 64

/** Verification worker threads: one already frees the main thread of the signature cost. */
export const DEFAULT_VERIFY_POOL_WORKERS = 1
/** Verifications waiting or in flight in a pool; as many as the subscriber queue holds. */
export const DEFAULT_VERIFY_POOL_MAX_QUEUED = 1024
/** Jobs per worker round trip: ~5 ms of verification amortises a message round trip (~50 µs). */
export const DEFAULT_VERIFY_POOL_MAX_IN_FLIGHT_PER_WORKER = 16
/** Envelopes verifying on a pool at once; past it ingest verifies on its own thread (back-pressure). */
export const DEFAULT_MAX_ASYNC_VERIFICATIONS = 1024
