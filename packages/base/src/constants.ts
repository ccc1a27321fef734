/** Defaults and limits of `@x0x/base`, each with the reason for its value. */

/** `VirtualClock.runUntilIdle` stops after this many firings, so a periodic timer cannot spin forever. */
export const DEFAULT_MAX_IDLE_TIMERS = 100_000

/** Cancelled timers left in the virtual clock heap before it is compacted: keeps memory bounded under churn. */
export const MIN_COMPACTION_GARBAGE = 1_024

/** Macrotask turns `advanceAsync` yields between firings, so promise chains that hop through `setImmediate` settle. */
export const DEFAULT_SETTLE_TURNS = 1

/** Entries a memory logger keeps before dropping the oldest: enough for a test, bounded for a long run. */
export const DEFAULT_MEMORY_LOG_CAPACITY = 10_000

/** A log line longer than this is cut: a hostile peer must not be able to fill the disk through a log. */
export const MAX_LOG_LINE_LENGTH = 4_096

/** Nesting depth shown when a log argument is an object; deeper values print as `…`. */
export const MAX_LOG_VALUE_DEPTH = 3

/** Entries of one array, map, set or object shown in a log line; the rest print as `… N more`. */
export const MAX_LOG_VALUE_ENTRIES = 20

/** A `ByteWriter` refuses to grow past this: larger than any frame x0x builds, small enough to fail fast on a bug. */
export const DEFAULT_MAX_WRITER_BYTES = 64 * 1024 * 1024

/** A `ByteWriter` starts with this many bytes and doubles as needed. */
export const DEFAULT_WRITER_INITIAL_BYTES = 256
