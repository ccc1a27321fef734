import { systemClock, type Clock } from './clock.js'
import { DEFAULT_MEMORY_LOG_CAPACITY } from './constants.js'
import { createLogger, type ComponentLogger, type LogLevel } from './logger.js'
import { namespaceFilter } from './namespace-filter.js'
import { RingBuffer } from './ring-buffer.js'

/** One captured log entry. */
export interface LogEntry {
  /** `clock.now()` when it was logged. */
  readonly time: number
  /** The component name given to `forComponent`. */
  readonly component: string
  readonly level: LogLevel
  /** The component name, suffixed with `:error`, `:warn` or `:trace` for those levels. */
  readonly namespace: string
  /** The formatted message, as a debug logger would write it. */
  readonly message: string
}

/** Options of `memoryLogger`. */
export interface MemoryLoggerInit {
  /** DEBUG-style pattern of captured namespaces. Default: `*` (everything). */
  namespaces?: string
  /** Entries kept; when full the oldest is dropped. Default: 10,000. */
  capacity?: number
  /** Stamps each entry. Default: `systemClock`. */
  clock?: Clock
}

/** A `ComponentLogger` that keeps entries in memory, for tests to assert on. */
export interface MemoryLogger extends ComponentLogger {
  /** A snapshot of the kept entries, oldest first. */
  readonly entries: readonly LogEntry[]
  /** Entries dropped because the logger was full. */
  readonly dropped: number
  /** Forgets every entry and resets `dropped`. */
  clear(): void
}

/** A `ComponentLogger` capturing formatted entries in a bounded buffer (drop-oldest when full). */
export function memoryLogger(init: MemoryLoggerInit = {}): MemoryLogger {
  const isEnabled = namespaceFilter(init.namespaces ?? '*')
  const clock = init.clock ?? systemClock
  const buffer = new RingBuffer<LogEntry>(init.capacity ?? DEFAULT_MEMORY_LOG_CAPACITY)
  let dropped = 0
  return {
    forComponent: (component) =>
      createLogger(component, isEnabled, (level, namespace, message) => {
        if (buffer.full) {
          buffer.shift()
          dropped++
        }
        buffer.push({ time: clock.now(), component, level, namespace, message })
      }),
    get entries() {
      return [...buffer]
    },
    get dropped() {
      return dropped
    },
    clear() {
      buffer.clear()
      dropped = 0
    },
  }
}
