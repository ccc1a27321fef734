/**
 * `@x0x/base`: the layer every x0x package stands on. Errors identified by `name` with `cause`;
 * AbortSignal helpers that clear their timers and listeners on every path; a `Clock` with a real
 * and a virtual implementation (deterministic timers for simulations of many nodes); an injected
 * logger that never prints bytes; typed events; bounded LRU and TTL caches and a bounded queue
 * with an explicit overflow policy; a seeded PRNG; and bytes helpers with decode limits for
 * hostile input.
 *
 * @example
 * ```ts
 * import { BoundedQueue, ByteReader, VirtualClock, abortableDelay, timeoutSignal } from '@x0x/base'
 *
 * const clock = new VirtualClock()
 * const deadline = timeoutSignal(5_000, { clock })
 * const slept = abortableDelay(1_000, { clock, signal: deadline.signal })
 * clock.advance(1_000) // fires the delay's timer; nothing waits on real time
 * await slept
 * deadline.clear() // no timer outlives the work: clock.pendingTimers === 0
 *
 * const queue = new BoundedQueue<string>({ capacity: 2, overflow: 'drop-oldest' })
 * queue.push('a')
 * queue.push('b')
 * queue.push('c') // 'dropped-oldest': the queue now holds 'b', 'c'
 *
 * const reader = new ByteReader(Uint8Array.of(0, 3, 1, 2, 3))
 * const payload = reader.prefixedBytes('uint16', 1_024, 'payload') // throws DecodeError past 1,024
 * reader.end()
 * ```
 *
 * @packageDocumentation
 */
export {
  X0xError,
  AbortError,
  TimeoutError,
  InvalidArgumentError,
  InvalidStateError,
  DecodeError,
  QueueFullError,
  ClosedError,
  isErrorNamed,
} from './errors.js'
export {
  combineSignals,
  timeoutSignal,
  abortableDelay,
  throwIfAborted,
  raceSignal,
  type CombinedSignal,
  type TimeoutSignal,
  type TimeoutSignalOptions,
  type AbortableDelayOptions,
} from './abort-signals.js'
export { errorFromSignal } from './signal-error.js'
export {
  systemClock,
  createSystemClock,
  type Clock,
  type TimerHandle,
  type DelayOptions,
  type SystemClockInit,
} from './clock.js'
export {
  VirtualClock,
  type VirtualClockInit,
  type RunUntilIdleOptions,
  type SettleOptions,
} from './virtual-clock.js'
export { silentLogger, type Logger, type ComponentLogger, type LogLevel } from './logger.js'
export { debugLogger, type DebugLoggerInit } from './debug-logger.js'
export {
  memoryLogger,
  type MemoryLogger,
  type MemoryLoggerInit,
  type LogEntry,
} from './memory-logger.js'
export {
  TypedEventTarget,
  once,
  type TypedEventListener,
  type OnceOptions,
} from './typed-event-target.js'
export { LruCache, type LruCacheInit } from './lru-cache.js'
export { TtlCache, type TtlCacheInit, type TtlEvictionReason } from './ttl-cache.js'
export {
  BoundedQueue,
  type BoundedQueueInit,
  type OverflowPolicy,
  type PushResult,
  type QueueWaitOptions,
} from './bounded-queue.js'
export { createRandom, type Random, type Seed } from './random.js'
export { toHex, fromHex, concatBytes, equalBytes, assertByteLength } from './bytes.js'
export { ByteReader, type LengthPrefix } from './byte-reader.js'
export { ByteWriter, type ByteWriterInit } from './byte-writer.js'
