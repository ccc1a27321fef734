/** The x0x release whose API this package reproduces (API.md). */
export const COMPATIBLE_X0X_VERSION = '0.19.21'

/** axum's `DefaultBodyLimit` in x0x: larger request bodies get a 413. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024

/** Where the daemon listens unless configured otherwise (API.md §3.2 `api_address`). */
export const DEFAULT_API_ADDRESS = '127.0.0.1:12700'

/** The x0x CLI's HTTP timeout (API.md §4); the client's default per request. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

/**
 * Longest server-sent event line the client buffers. A DM payload is at most 49,152 bytes
 * (≈ 65.5 KB as base64) and a pub/sub payload at most the 1 MiB body limit (≈ 1.4 MB as base64),
 * so 2 MiB holds every legitimate line while bounding what a broken server can make us hold.
 */
export const DEFAULT_MAX_EVENT_LINE_BYTES = 2 * 1024 * 1024

/** Largest server-sent event (all its `data` lines) the client assembles; see the line limit. */
export const DEFAULT_MAX_EVENT_BYTES = 2 * 1024 * 1024

/** WebSocket messages the client queues for a slow consumer before dropping the oldest. */
export const DEFAULT_WEBSOCKET_QUEUE_CAPACITY = 256

/** The header prefix of the API token (case-sensitive in x0x). */
export const BEARER_PREFIX = 'Bearer '

/** The 401 body x0x sends (no `ok` field). */
export const UNAUTHORIZED_BODY = {
  error: 'missing or invalid Authorization: Bearer token',
} as const
