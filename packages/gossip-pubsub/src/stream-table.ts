// Anti-entropy bookkeeping of one topic: for each (origin, epoch) stream, the highest sequence
// below which nothing is missing ("contiguous") and the highest received. Two neighbours in sync
// hold equal tables, so a 16-byte hash of the table (the digest summary) is all a round costs;
// only on a mismatch do they swap the full tables and push each other what is missing.
import { createHash } from 'node:crypto'
import type { AgentId } from '@x0x/pqc'
import { DIGEST_SUMMARY_BYTES } from './constants.js'
import type { DigestEntry } from './pubsub-frame.js'

interface StreamProgress {
  readonly origin: AgentId
  readonly epoch: number
  contiguous: number
  highest: number
  /** Sequences received above `contiguous`; bounded by `maxOutOfOrder`. */
  readonly outOfOrder: Set<number>
  /** When the oldest open gap appeared; gaps older than the cache age cannot be repaired. */
  gapSince: number | undefined
  /** When a sequence of the stream last arrived. */
  lastActive: number
}

/** Bounds of a `StreamTable`. */
export interface StreamTableLimits {
  readonly maxStreams: number
  readonly maxOutOfOrder: number
}

function keyOf(origin: AgentId, epoch: number): string {
  return `${origin}:${epoch}`
}

/**
 * The streams of one topic, least recently active first (re-inserted on activity), so the
 * stream dropped at `maxStreams` is the stalest one. A stream first seen at sequence `s` starts
 * contiguous at `s − 1`: a subscriber recovers what it missed since it joined, not history.
 */
export class StreamTable {
  readonly limits: StreamTableLimits
  readonly #streams = new Map<string, StreamProgress>()
  #summary: string | undefined

  constructor(limits: StreamTableLimits) {
    this.limits = limits
  }

  get size(): number {
    return this.#streams.size
  }

  /** Records sequences `first..last` of a stream as received. */
  record(origin: AgentId, epoch: number, first: number, last: number, now: number): void {
    const key = keyOf(origin, epoch)
    let stream = this.#streams.get(key)
    if (stream === undefined) {
      if (this.#streams.size >= this.limits.maxStreams) {
        const stalest = this.#streams.keys().next()
        if (stalest.done !== true) this.#streams.delete(stalest.value)
      }
      stream = {
        origin,
        epoch,
        contiguous: first - 1,
        highest: last,
        outOfOrder: new Set(),
        gapSince: undefined,
        lastActive: now,
      }
    }
    this.#streams.delete(key)
    this.#streams.set(key, stream)
    this.#summary = undefined
    stream.lastActive = now
    stream.highest = Math.max(stream.highest, last)
    if (last <= stream.contiguous) return
    if (first <= stream.contiguous + 1) {
      stream.contiguous = last
    } else {
      for (let sequence = first; sequence <= last; sequence++) stream.outOfOrder.add(sequence)
      stream.gapSince ??= now
    }
    absorb(stream)
    if (stream.outOfOrder.size > this.limits.maxOutOfOrder) skipGap(stream)
    if (stream.outOfOrder.size === 0) stream.gapSince = undefined
  }

  /** The progress of a stream, if tracked. */
  get(origin: AgentId, epoch: number): DigestEntry | undefined {
    const stream = this.#streams.get(keyOf(origin, epoch))
    return stream === undefined ? undefined : entryOf(stream)
  }

  /**
   * Forgets streams idle since before `cutoff` and gives up on gaps open since before it: no
   * cache still holds what could fill them, and a stale entry would keep summaries unequal.
   */
  expireBefore(cutoff: number): void {
    for (const [key, stream] of this.#streams) {
      if (stream.lastActive >= cutoff) break
      this.#streams.delete(key)
      this.#summary = undefined
    }
    for (const stream of this.#streams.values()) {
      while (stream.gapSince !== undefined && stream.gapSince < cutoff) {
        skipGap(stream)
        stream.gapSince = stream.outOfOrder.size === 0 ? undefined : cutoff
        this.#summary = undefined
      }
    }
  }

  /** The most recently active streams, at most `limit` of them. */
  entries(limit: number): DigestEntry[] {
    const entries = [...this.#streams.values()].map(entryOf)
    return entries.slice(Math.max(0, entries.length - limit))
  }

  /** 32 hex characters: a hash of the whole table, equal on two nodes exactly when in sync. */
  summary(): string {
    if (this.#summary !== undefined) return this.#summary
    const hash = createHash('sha256')
    const keys = [...this.#streams.keys()].sort()
    for (const key of keys) {
      const stream = this.#streams.get(key)
      if (stream !== undefined) hash.update(`${key}:${stream.contiguous}:${stream.highest};`)
    }
    this.#summary = hash.digest('hex').slice(0, DIGEST_SUMMARY_BYTES * 2)
    return this.#summary
  }
}

function entryOf(stream: StreamProgress): DigestEntry {
  return {
    origin: stream.origin,
    epoch: stream.epoch,
    contiguous: stream.contiguous,
    highest: stream.highest,
  }
}

/** Moves `contiguous` over sequences already received just above it. */
function absorb(stream: StreamProgress): void {
  while (stream.outOfOrder.delete(stream.contiguous + 1)) stream.contiguous++
}

/** Jumps `contiguous` over the lowest gap, accepting those sequences as lost. */
function skipGap(stream: StreamProgress): void {
  let lowest = Infinity
  for (const sequence of stream.outOfOrder) lowest = Math.min(lowest, sequence)
  if (lowest === Infinity) return
  stream.contiguous = lowest - 1
  absorb(stream)
}
