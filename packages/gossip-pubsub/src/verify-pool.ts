// A small, bounded pool of worker threads that verifies ML-DSA-65 signatures (FIPS 204) off the
// main thread (docs/protocols/pubsub.md "Verification workers"). Jobs wait in one FIFO bounded by
// `maxQueued` (full: the new job is rejected with `QueueFullError`, so the caller sheds load or
// applies back-pressure); each worker holds at most `maxInFlightPerWorker` jobs, sent in one
// message per flush with every byte copied into one transferred buffer (a structured clone of a
// view would copy the whole frame behind it). A worker that dies fails only its in-flight jobs,
// with `VerifyWorkerCrashedError`, and is replaced on the next dispatch: a job never hangs.
import { Worker } from 'node:worker_threads'
import { ClosedError, InvalidArgumentError, QueueFullError, errorFromSignal } from '@x0x/base'
import {
  DEFAULT_VERIFY_POOL_MAX_IN_FLIGHT_PER_WORKER,
  DEFAULT_VERIFY_POOL_MAX_QUEUED,
  DEFAULT_VERIFY_POOL_WORKERS,
} from './constants.js'
import { VerifyWorkerCrashedError } from './errors.js'

/** Options of `createVerifyPool`. */
export interface VerifyPoolInit {
  /** Worker threads. Default `DEFAULT_VERIFY_POOL_WORKERS` (1). */
  readonly workers?: number
  /**
   * Jobs waiting or in flight at once; past it `verify` rejects with `QueueFullError`.
   * Default `DEFAULT_VERIFY_POOL_MAX_QUEUED` (1,024).
   */
  readonly maxQueued?: number
  /**
   * Jobs sent to one worker and not yet answered: enough to keep it busy between round trips,
   * few enough that a crash fails little. Default `DEFAULT_VERIFY_POOL_MAX_IN_FLIGHT_PER_WORKER` (16).
   */
  readonly maxInFlightPerWorker?: number
  /** The worker script. Default: this package's verify worker. Tests inject a faulty one. */
  readonly workerUrl?: URL
}

/** One signature to check. The bytes are copied at once: the caller may reuse them. */
export interface VerifyJob {
  readonly publicKey: Uint8Array
  readonly message: Uint8Array
  readonly signature: Uint8Array
  /** The FIPS 204 context (at most 255 bytes). Default: empty. */
  readonly context?: Uint8Array
}

/** Counters of a pool since creation. */
export interface VerifyPoolStats {
  readonly verified: number
  readonly queue_full: number
  readonly aborted: number
  readonly worker_crashes: number
  /** Jobs waiting plus in flight. */
  readonly pending: number
  /** Worker threads alive. */
  readonly threads: number
}

export interface VerifyPool {
  /**
   * Whether the signature is valid. Rejects with `QueueFullError` (full), `AbortError` or
   * `TimeoutError` (the signal; a job already running is abandoned, not stopped),
   * `VerifyWorkerCrashedError` (its worker died) or `ClosedError`.
   */
  verify(job: VerifyJob, options?: { readonly signal?: AbortSignal }): Promise<boolean>
  stats(): VerifyPoolStats
  /** Rejects every pending job with `ClosedError` and terminates the workers. */
  close(): Promise<void>
}

/** Creates a pool; workers start on the first job. */
export function createVerifyPool(init: VerifyPoolInit = {}): VerifyPool {
  return new DefaultVerifyPool(init)
}

interface Job {
  readonly bytes: Uint8Array
  readonly lengths: readonly [number, number, number, number]
  readonly resolve: (valid: boolean) => void
  readonly reject: (error: Error) => void
  readonly signal: AbortSignal | undefined
  readonly onAbort: () => void
  settled: boolean
}

interface Slot {
  readonly worker: Worker
  readonly inFlight: Map<number, Job>
  dead: boolean
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${what} must be a positive integer, got ${value}`)
  }
  return value
}

/** The built worker next to this module (`.ts` when tests run the sources). */
function defaultWorkerUrl(): URL {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js'
  return new URL(`./verify-worker.${extension}`, import.meta.url)
}

class DefaultVerifyPool implements VerifyPool {
  readonly #workerUrl: URL
  readonly #maxQueued: number
  readonly #maxInFlight: number
  readonly #slots: (Slot | undefined)[]
  /** Jobs not yet sent, oldest first from `#head`. */
  #waiting: Job[] = []
  #head = 0
  #pending = 0
  #nextId = 0
  #flushScheduled = false
  #closed = false
  #verified = 0
  #queueFull = 0
  #aborted = 0
  #crashes = 0

  constructor(init: VerifyPoolInit) {
    const workers = positiveInteger(init.workers ?? DEFAULT_VERIFY_POOL_WORKERS, 'workers')
    this.#maxQueued = positiveInteger(init.maxQueued ?? DEFAULT_VERIFY_POOL_MAX_QUEUED, 'maxQueued')
    this.#maxInFlight = positiveInteger(
      init.maxInFlightPerWorker ?? DEFAULT_VERIFY_POOL_MAX_IN_FLIGHT_PER_WORKER,
      'maxInFlightPerWorker',
    )
    this.#workerUrl = init.workerUrl ?? defaultWorkerUrl()
    this.#slots = Array.from({ length: workers }, () => undefined)
  }

  verify(job: VerifyJob, options: { readonly signal?: AbortSignal } = {}): Promise<boolean> {
    const { signal } = options
    if (this.#closed) return Promise.reject(new ClosedError('the verify pool is closed'))
    if (signal?.aborted === true) return Promise.reject(errorFromSignal(signal))
    if (this.#pending >= this.#maxQueued) {
      this.#queueFull++
      return Promise.reject(new QueueFullError(`${this.#pending} verifications pending`))
    }
    const context = job.context ?? new Uint8Array(0)
    const fields = [job.publicKey, job.message, job.signature, context] as const
    const bytes = new Uint8Array(fields.reduce((sum, field) => sum + field.length, 0))
    let offset = 0
    for (const field of fields) {
      bytes.set(field, offset)
      offset += field.length
    }
    return new Promise<boolean>((resolve, reject) => {
      const entry: Job = {
        bytes,
        lengths: [job.publicKey.length, job.message.length, job.signature.length, context.length],
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.#aborted++
          const index = this.#waiting.indexOf(entry, this.#head)
          if (index >= 0) this.#waiting.splice(index, 1)
          // A job already sent runs to completion in its worker; its answer is ignored.
          this.#settle(entry, errorFromSignal(signal))
        },
        settled: false,
      }
      signal?.addEventListener('abort', entry.onAbort, { once: true })
      this.#pending++
      this.#waiting.push(entry)
      this.#scheduleFlush()
    })
  }

  stats(): VerifyPoolStats {
    return {
      verified: this.#verified,
      queue_full: this.#queueFull,
      aborted: this.#aborted,
      worker_crashes: this.#crashes,
      pending: this.#pending,
      threads: this.#slots.filter((slot) => slot !== undefined).length,
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    const closed = new ClosedError('the verify pool is closed')
    for (const job of this.#waiting.slice(this.#head)) this.#settle(job, closed)
    this.#waiting = []
    this.#head = 0
    const workers: Worker[] = []
    for (const [index, slot] of this.#slots.entries()) {
      if (slot === undefined) continue
      slot.dead = true
      for (const job of slot.inFlight.values()) this.#settle(job, closed)
      workers.push(slot.worker)
      this.#slots[index] = undefined
    }
    await Promise.all(workers.map((worker) => worker.terminate()))
  }

  /** Resolves or rejects a job once; the first outcome wins (an abort beats a late answer). */
  #settle(job: Job, outcome: boolean | Error): void {
    if (job.settled) return
    job.settled = true
    this.#pending--
    job.signal?.removeEventListener('abort', job.onAbort)
    if (typeof outcome === 'boolean') job.resolve(outcome)
    else job.reject(outcome)
  }

  /** One flush per macrotask turn, so synchronous submissions share a message. */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return
    this.#flushScheduled = true
    queueMicrotask(() => {
      this.#flushScheduled = false
      this.#flush()
    })
  }

  #flush(): void {
    if (this.#closed) return
    for (let index = 0; index < this.#slots.length && this.#head < this.#waiting.length; index++) {
      const slot = this.#slots[index] ?? this.#spawn(index)
      const room = this.#maxInFlight - slot.inFlight.size
      if (room > 0) this.#send(slot, room)
    }
    if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#head)
      this.#head = 0
    }
  }

  /** Sends up to `room` waiting jobs to `slot` as one batch in one transferred buffer. */
  #send(slot: Slot, room: number): void {
    const batch = this.#waiting.slice(this.#head, this.#head + room)
    this.#head += batch.length
    const ids = new Uint32Array(batch.length)
    const lengths = new Uint32Array(batch.length * 4)
    const data = new Uint8Array(batch.reduce((sum, job) => sum + job.bytes.length, 0))
    let offset = 0
    batch.forEach((job, index) => {
      const id = (this.#nextId = (this.#nextId + 1) >>> 0)
      ids[index] = id
      lengths.set(job.lengths, index * 4)
      data.set(job.bytes, offset)
      offset += job.bytes.length
      slot.inFlight.set(id, job)
    })
    slot.worker.ref()
    slot.worker.postMessage({ ids, lengths, data: data.buffer }, [data.buffer])
  }

  #spawn(index: number): Slot {
    const worker = new Worker(this.#workerUrl)
    const slot: Slot = { worker, inFlight: new Map(), dead: false }
    worker.unref()
    worker.on('message', (answer: { ids: Uint32Array; results: Uint8Array }) => {
      answer.ids.forEach((id, position) => {
        const job = slot.inFlight.get(id)
        if (job === undefined) return
        slot.inFlight.delete(id)
        this.#verified++
        this.#settle(job, answer.results[position] === 1)
      })
      if (slot.inFlight.size === 0) worker.unref()
      this.#flush()
    })
    const onDeath = (cause?: unknown): void => {
      this.#bury(index, slot, cause)
    }
    worker.on('error', onDeath)
    worker.on('exit', (code) => {
      onDeath(new Error(`verify worker exited with code ${code}`))
    })
    this.#slots[index] = slot
    return slot
  }

  /** A worker died: fail its in-flight jobs and free its slot (refilled by the next flush). */
  #bury(index: number, slot: Slot, cause: unknown): void {
    if (slot.dead) return
    slot.dead = true
    this.#crashes++
    if (this.#slots[index] === slot) this.#slots[index] = undefined
    const error = new VerifyWorkerCrashedError('a verify worker died with jobs in flight', {
      cause,
    })
    for (const job of slot.inFlight.values()) this.#settle(job, error)
    slot.inFlight.clear()
    void slot.worker.terminate()
    if (this.#head < this.#waiting.length) this.#scheduleFlush()
  }
}
