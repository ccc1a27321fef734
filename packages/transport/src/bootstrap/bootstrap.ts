import { randomInt } from 'node:crypto'
import {
  TypedEventTarget,
  createRandom,
  silentLogger,
  systemClock,
  timeoutSignal,
  type Clock,
  type ComponentLogger,
  type Logger,
  type Random,
  type TimerHandle,
} from '@x0x/base'
import {
  DEFAULT_BOOTSTRAP_BACKOFF_MULTIPLIER,
  DEFAULT_BOOTSTRAP_CACHED_PEERS,
  DEFAULT_BOOTSTRAP_INITIAL_BACKOFF_MS,
  DEFAULT_BOOTSTRAP_JITTER,
  DEFAULT_BOOTSTRAP_MAX_BACKOFF_MS,
  DEFAULT_BOOTSTRAP_MAX_CONCURRENT_DIALS,
  DEFAULT_BOOTSTRAP_MIN_CONNECTIONS,
  DEFAULT_DIAL_TIMEOUT_MS,
} from '../constants.js'
import type { Connection, DialTarget, Transport, TransportEvents } from '../transport.js'
import { backoffDelay, type BackoffPolicy } from './backoff.js'
import {
  forEachConcurrently,
  parseSeeds,
  roundTargets,
  type BootstrapSeed,
} from './bootstrap-targets.js'
import type { PeerCache } from './peer-cache.js'

/** Options of `createBootstrap`. */
export interface BootstrapInit {
  /** Seeds dialled every round: `host:port` texts or `{ address, machineId? }`. Default: none. */
  seeds?: readonly (string | BootstrapSeed)[]
  /** Best cached peers dialled per round besides the seeds. Default: 16. */
  cachedPeers?: number
  /** Dials in flight at once. Default: 8. */
  maxConcurrentDials?: number
  /** One dial (and the RTT ping after it) gives up after this long. Default: 10,000 ms. */
  dialTimeoutMs?: number
  /** Below this many connections a round runs again, after a backoff. Default: 1. */
  minConnections?: number
  /** First retry delay. Default: 1,000 ms. */
  initialBackoffMs?: number
  /** Ceiling of the retry delay. Default: 60,000 ms. */
  maxBackoffMs?: number
  /** Growth of the retry delay per failed round. Default: 2. */
  backoffMultiplier?: number
  /** Fraction of each retry delay drawn at random, in [0, 1]. Default: 0.5. */
  jitter?: number
}

/** What bootstrap needs injected. */
export interface BootstrapComponents {
  transport: Transport
  /** Learns from every connection and supplies cached peers. Default: none (seeds only). */
  peerCache?: PeerCache
  /** Default: `systemClock`. */
  clock?: Clock
  /** Default: `silentLogger`. */
  logger?: ComponentLogger
  /** Draws the backoff jitter; pass a seeded one for reproducible tests. Default: randomly seeded. */
  random?: Random
}

/** Counters since creation. */
export interface BootstrapStats {
  readonly rounds: number
  readonly attempts: number
  readonly successes: number
  readonly failures: number
  /** Open connections of the transport now. */
  readonly connected: number
}

/** The outcome of one round. */
export interface BootstrapRoundResult {
  readonly round: number
  readonly attempted: number
  readonly succeeded: number
  readonly failed: number
  /** When another round is scheduled (too few connections), its delay; otherwise undefined. */
  readonly nextRoundInMs: number | undefined
}

/** Events of bootstrap, named `noun:verb`. */
export interface BootstrapEvents {
  /** A dial of a round succeeded. */
  'target:connect': { target: DialTarget; connection: Connection }
  /** A dial of a round failed (not emitted for dials cut short by `stop()`). */
  'target:fail': { target: DialTarget; error: Error }
  'round:complete': BootstrapRoundResult
}

/** Joins the network from seeds and the peer cache, and rejoins whenever connections run out. */
export interface Bootstrap extends TypedEventTarget<BootstrapEvents> {
  readonly stats: BootstrapStats
  /** Listens for connections and starts the first round without waiting for it. Idempotent. */
  start(): void
  /** Runs a round now, or joins the round in progress. */
  runRound(): Promise<BootstrapRoundResult>
  /** Aborts dials in flight, clears timers and listeners; resolves once the round has ended. */
  stop(): Promise<void>
}

/** @throws InvalidPeerAddressError for a malformed seed */
export function createBootstrap(init: BootstrapInit, components: BootstrapComponents): Bootstrap {
  return new BootstrapImpl(init, components)
}

class BootstrapImpl extends TypedEventTarget<BootstrapEvents> implements Bootstrap {
  readonly #seeds: DialTarget[]
  readonly #cachedPeers: number
  readonly #maxConcurrentDials: number
  readonly #dialTimeoutMs: number
  readonly #minConnections: number
  readonly #backoff: BackoffPolicy
  readonly #transport: Transport
  readonly #peerCache: PeerCache | undefined
  readonly #clock: Clock
  readonly #log: Logger
  readonly #random: Random
  #shutdown = new AbortController()
  #running = false
  #round: Promise<BootstrapRoundResult> | undefined
  #timer: TimerHandle | undefined
  #failedRounds = 0
  #rounds = 0
  #attempts = 0
  #successes = 0
  #failures = 0

  constructor(init: BootstrapInit, components: BootstrapComponents) {
    super()
    this.#seeds = parseSeeds(init.seeds ?? [])
    this.#cachedPeers = init.cachedPeers ?? DEFAULT_BOOTSTRAP_CACHED_PEERS
    this.#maxConcurrentDials = init.maxConcurrentDials ?? DEFAULT_BOOTSTRAP_MAX_CONCURRENT_DIALS
    this.#dialTimeoutMs = init.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS
    this.#minConnections = init.minConnections ?? DEFAULT_BOOTSTRAP_MIN_CONNECTIONS
    this.#backoff = {
      initialMs: init.initialBackoffMs ?? DEFAULT_BOOTSTRAP_INITIAL_BACKOFF_MS,
      maxMs: init.maxBackoffMs ?? DEFAULT_BOOTSTRAP_MAX_BACKOFF_MS,
      multiplier: init.backoffMultiplier ?? DEFAULT_BOOTSTRAP_BACKOFF_MULTIPLIER,
      jitter: init.jitter ?? DEFAULT_BOOTSTRAP_JITTER,
    }
    this.#transport = components.transport
    this.#peerCache = components.peerCache
    this.#clock = components.clock ?? systemClock
    this.#log = (components.logger ?? silentLogger).forComponent('x0x:transport:bootstrap')
    this.#random = components.random ?? createRandom(randomInt(2 ** 47))
  }

  get stats(): BootstrapStats {
    return {
      rounds: this.#rounds,
      attempts: this.#attempts,
      successes: this.#successes,
      failures: this.#failures,
      connected: this.#transport.getConnections().length,
    }
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#shutdown = new AbortController()
    this.#transport.addEventListener('peer:connect', this.#onConnect)
    this.#transport.addEventListener('peer:disconnect', this.#onDisconnect)
    this.#startRound()
  }

  runRound(): Promise<BootstrapRoundResult> {
    this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#round ??= this.#runRound().finally(() => {
      this.#round = undefined
    })
    return this.#round
  }

  async stop(): Promise<void> {
    if (!this.#running) return
    this.#running = false
    this.#transport.removeEventListener('peer:connect', this.#onConnect)
    this.#transport.removeEventListener('peer:disconnect', this.#onDisconnect)
    this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#shutdown.abort()
    await this.#round?.catch(() => undefined)
  }

  readonly #onConnect = (event: CustomEvent<TransportEvents['peer:connect']>): void => {
    const connection = event.detail
    this.#peerCache?.recordSuccess(connection.remoteMachineId, connection.remoteAddress)
  }

  readonly #onDisconnect = (event: CustomEvent<TransportEvents['peer:disconnect']>): void => {
    const gone = event.detail.connection
    if (this.#round === undefined && this.#timer === undefined && this.#tooFewConnections(gone)) {
      this.#schedule(backoffDelay(this.#failedRounds, this.#backoff, this.#random))
    }
  }

  /** Counts open connections only: a transport may still list one that is closing. */
  #tooFewConnections(leaving?: Connection): boolean {
    const open = this.#transport
      .getConnections()
      .filter((connection) => connection.status === 'open' && connection !== leaving)
    return open.length < this.#minConnections
  }

  #startRound(): void {
    this.runRound().catch((error: unknown) => {
      this.#log.error('bootstrap round failed: %s', String(error))
    })
  }

  #schedule(delayMs: number): void {
    this.#clock.clearTimeout(this.#timer)
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined
      this.#startRound()
    }, delayMs)
  }

  async #runRound(): Promise<BootstrapRoundResult> {
    const round = ++this.#rounds
    const cached = this.#peerCache?.best(this.#cachedPeers) ?? []
    const targets = roundTargets(
      this.#seeds,
      cached,
      (machineId) => this.#transport.getConnection(machineId) !== undefined,
    )
    let succeeded = 0
    await forEachConcurrently(targets, this.#maxConcurrentDials, async (target) => {
      if (await this.#dial(target)) succeeded++
    })
    const failed = targets.length - succeeded
    let nextRoundInMs: number | undefined
    if (this.#running && !this.#shutdown.signal.aborted && this.#tooFewConnections()) {
      nextRoundInMs = backoffDelay(this.#failedRounds++, this.#backoff, this.#random)
      this.#schedule(nextRoundInMs)
    } else {
      this.#failedRounds = 0
    }
    const result = { round, attempted: targets.length, succeeded, failed, nextRoundInMs }
    this.#log('round %d: %d of %d dials succeeded', round, succeeded, targets.length)
    this.safeDispatchEvent('round:complete', result)
    return result
  }

  async #dial(target: DialTarget): Promise<boolean> {
    const shutdown = this.#shutdown.signal
    if (!this.#running) return false
    this.#attempts++
    using deadline = timeoutSignal(this.#dialTimeoutMs, { clock: this.#clock, signal: shutdown })
    try {
      const connection = await this.#transport.dial(target, { signal: deadline.signal })
      this.#successes++
      this.safeDispatchEvent('target:connect', { target, connection })
      await this.#measureRtt(connection, deadline.signal)
      return true
    } catch (error) {
      if (shutdown.aborted) return false
      this.#failures++
      if (target.machineId !== undefined) this.#peerCache?.recordFailure(target.machineId)
      this.#log('dial of %s failed: %s', target.machineId ?? 'a seed', String(error))
      this.safeDispatchEvent('target:fail', { target, error: error as Error })
      return false
    }
  }

  async #measureRtt(connection: Connection, signal: AbortSignal): Promise<void> {
    if (this.#peerCache === undefined) return
    try {
      const rttMs = await connection.ping({ signal })
      this.#peerCache.recordRtt(connection.remoteMachineId, rttMs)
    } catch {
      // The connection stands; only its RTT sample is missing.
    }
  }
}
