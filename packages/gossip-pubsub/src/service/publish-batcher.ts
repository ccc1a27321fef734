// Automatic batching of local publishes (PERF.md B6): ML-DSA-65 signing costs far more than
// anything else on the publish path, so publishes to one topic within a short window are signed
// together under one signature (receivers verify once for the batch too). A batch is flushed when
// the window ends or it reaches `maxBatchMessages`; pending publishes across all topics are
// bounded, and reaching the bound flushes everything at once.
import type { Clock, TimerHandle } from '@x0x/base'

interface PendingBatch {
  readonly payloads: Uint8Array[]
  readonly settle: { resolve: () => void; reject: (error: unknown) => void }[]
}

/** What the batcher needs. `sign` signs, broadcasts and delivers one batch, or throws. */
export interface PublishBatcherOptions {
  readonly clock: Clock
  readonly windowMs: number
  readonly maxBatchMessages: number
  readonly maxPendingPublishes: number
  readonly sign: (topic: string, payloads: readonly Uint8Array[]) => void
}

export class PublishBatcher {
  /** Batches signed, and the messages they held (their ratio is the signatures saved). */
  batches = 0
  batchedMessages = 0
  readonly #options: PublishBatcherOptions
  readonly #pending = new Map<string, PendingBatch>()
  #pendingCount = 0
  #timer: TimerHandle | undefined

  constructor(options: PublishBatcherOptions) {
    this.#options = options
  }

  get pending(): number {
    return this.#pendingCount
  }

  /** Resolves once `payload` is signed and queued to every neighbour; rejects if signing failed. */
  add(topic: string, payload: Uint8Array): Promise<void> {
    const options = this.#options
    if (options.windowMs <= 0) {
      this.#sign(topic, [payload])
      return Promise.resolve()
    }
    let batch = this.#pending.get(topic)
    if (batch === undefined) {
      batch = { payloads: [], settle: [] }
      this.#pending.set(topic, batch)
    }
    const done = new Promise<void>((resolve, reject) => {
      batch.settle.push({ resolve, reject })
    })
    batch.payloads.push(payload)
    this.#pendingCount++
    if (batch.payloads.length >= options.maxBatchMessages) this.#flushTopic(topic)
    else if (this.#pendingCount >= options.maxPendingPublishes) this.flush()
    else
      this.#timer ??= options.clock.setTimeout(() => {
        this.#timer = undefined
        this.flush()
      }, options.windowMs)
    return done
  }

  /** Signs every pending batch now. */
  flush(): void {
    this.#options.clock.clearTimeout(this.#timer)
    this.#timer = undefined
    for (const topic of [...this.#pending.keys()]) this.#flushTopic(topic)
  }

  /** Rejects every pending publish with `reason` (service stop). */
  abort(reason: Error): void {
    this.#options.clock.clearTimeout(this.#timer)
    this.#timer = undefined
    for (const batch of this.#pending.values())
      for (const { reject } of batch.settle) reject(reason)
    this.#pending.clear()
    this.#pendingCount = 0
  }

  #flushTopic(topic: string): void {
    const batch = this.#pending.get(topic)
    if (batch === undefined) return
    this.#pending.delete(topic)
    this.#pendingCount -= batch.payloads.length
    try {
      this.#sign(topic, batch.payloads)
      for (const { resolve } of batch.settle) resolve()
    } catch (error) {
      for (const { reject } of batch.settle) reject(error)
    }
  }

  #sign(topic: string, payloads: readonly Uint8Array[]): void {
    this.#options.sign(topic, payloads)
    this.batches++
    this.batchedMessages += payloads.length
  }
}
