import type { TransportLimits, TransportLimitsInit } from '../transport-limits.js'
import type {
  Connection,
  DialTarget,
  FrameStream,
  Transport,
  TransportEvents,
} from '../transport.js'

/** What the suite asks a factory for. */
export interface ComplianceNetworkInit {
  /** How many transports to create. */
  readonly count: number
  /**
   * Limits every transport must be created with: small and distinct from each other, so that a
   * limit that is ignored or swapped fails a test.
   */
  readonly limits: TransportLimits
}

/** Fresh transports made by a factory for one test. */
export interface ComplianceNetwork {
  /**
   * Started transports with distinct machine ids, each reachable by the others at
   * `{ machineId, addresses: listenAddresses }` (a real-socket transport listens on 127.0.0.1:0).
   */
  readonly transports: readonly Transport[]
  /**
   * Lets work in flight progress: a memory network flushes (advancing virtual time); a real
   * transport waits briefly (say 20 ms). The suite polls with it and checks that something stays
   * pending after it.
   */
  settle(): Promise<void>
  /** Stops every transport and releases everything the factory made. */
  teardown(): Promise<void>
}

/** Makes the transports of one test. */
export type ComplianceFactory = (init: ComplianceNetworkInit) => Promise<ComplianceNetwork>

/** Tuning of the suite for an implementation. */
export interface ComplianceOptions {
  /**
   * Frames of half `maxFrameBytes` a sender may get accepted, on a stream whose reader reads
   * nothing, before `send()` must wait. Default: 4 × `streamReceiveQueueFrames` + 16 (room for
   * a QUIC stream's byte window on top of the frame queue).
   */
  maxBufferedFrames?: number
  /** `settle()` rounds a bounded poll waits before failing. Default: 200. */
  pollAttempts?: number
}

/** The limits the suite runs with. */
export const COMPLIANCE_LIMITS: TransportLimits = {
  maxFrameBytes: 96 * 1024,
  streamReceiveQueueFrames: 4,
  maxStreamsPerKind: 3,
  maxConnections: 6,
  maxPendingDials: 5,
  dialTimeoutMs: 5_000,
  keepaliveIntervalMs: 1_000,
  idleTimeoutMs: 4_000,
}

/** The peer events of one transport, recorded from its creation. */
export class EventLog {
  readonly connects: Connection[] = []
  readonly disconnects: TransportEvents['peer:disconnect'][] = []
  readonly #transport: Transport
  readonly #onConnect = (event: CustomEvent<Connection>): void => {
    this.connects.push(event.detail)
  }
  readonly #onDisconnect = (event: CustomEvent<TransportEvents['peer:disconnect']>): void => {
    this.disconnects.push(event.detail)
  }

  constructor(transport: Transport) {
    this.#transport = transport
    transport.addEventListener('peer:connect', this.#onConnect)
    transport.addEventListener('peer:disconnect', this.#onDisconnect)
  }

  detach(): void {
    this.#transport.removeEventListener('peer:connect', this.#onConnect)
    this.#transport.removeEventListener('peer:disconnect', this.#onDisconnect)
  }
}

/** A test's view of a `ComplianceNetwork`, with polling helpers. */
export class Harness {
  readonly transports: readonly Transport[]
  readonly events: readonly EventLog[]
  readonly limits: TransportLimits
  readonly #network: ComplianceNetwork
  readonly #pollAttempts: number

  constructor(network: ComplianceNetwork, init: ComplianceNetworkInit, pollAttempts: number) {
    this.#network = network
    this.transports = network.transports
    this.limits = init.limits
    this.events = network.transports.map((transport) => new EventLog(transport))
    this.#pollAttempts = pollAttempts
  }

  transport(index: number): Transport {
    const transport = this.transports[index]
    if (transport === undefined) throw new Error(`the factory made no transport #${index}`)
    return transport
  }

  log(index: number): EventLog {
    return this.events[index] as EventLog
  }

  /** How to dial transport `index`. */
  target(index: number): DialTarget {
    const transport = this.transport(index)
    return { machineId: transport.machineId, addresses: transport.listenAddresses }
  }

  settle(): Promise<void> {
    return this.#network.settle()
  }

  /** Settles until `condition` holds; fails after the poll bound. */
  async waitFor(condition: () => boolean, what: string): Promise<void> {
    for (let attempt = 0; attempt < this.#pollAttempts; attempt++) {
      if (condition()) return
      await this.#network.settle()
    }
    if (!condition()) throw new Error(`gave up waiting until ${what}`)
  }

  /** Retries `operation` (settling in between) until it succeeds; fails after the poll bound. */
  async eventually<Result>(operation: () => Promise<Result>, what: string): Promise<Result> {
    let lastError: unknown
    for (let attempt = 0; attempt < this.#pollAttempts; attempt++) {
      try {
        return await operation()
      } catch (error) {
        lastError = error
        await this.#network.settle()
      }
    }
    throw new Error(`gave up retrying ${what}`, { cause: lastError })
  }

  async close(): Promise<void> {
    for (const log of this.events) log.detach()
    await this.#network.teardown()
  }
}

/** A promise and whether it has settled yet. */
export interface Tracked<Value> {
  readonly promise: Promise<Value>
  readonly settled: boolean
}

export function track<Value>(promise: Promise<Value>): Tracked<Value> {
  const tracked = { promise, settled: false }
  promise.then(
    () => {
      tracked.settled = true
    },
    () => {
      tracked.settled = true
    },
  )
  return tracked
}

/** `value`, which the test has established exists; fails the test with `what` otherwise. */
export function defined<Value>(value: Value | undefined, what: string): Value {
  if (value === undefined) throw new Error(`expected ${what}`)
  return value
}

/** The error `promise` rejects with; fails if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected the operation to fail, but it succeeded')
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function text(value: string): Uint8Array {
  return encoder.encode(value)
}

export function textOf(frame: Uint8Array | undefined): string | undefined {
  return frame === undefined ? undefined : decoder.decode(frame)
}

/** Every frame until the remote ends its side. */
export async function readAll(stream: FrameStream): Promise<Uint8Array[]> {
  const frames: Uint8Array[] = []
  for (let frame = await stream.read(); frame !== undefined; frame = await stream.read()) {
    frames.push(frame)
  }
  return frames
}

/** A handler body that sends every frame back, prefixed, then ends its side. */
export function echo(prefix = ''): (stream: FrameStream) => void {
  return (stream) => {
    const run = async (): Promise<void> => {
      for (let frame = await stream.read(); frame !== undefined; frame = await stream.read()) {
        const reply = new Uint8Array(prefix.length + frame.length)
        reply.set(text(prefix))
        reply.set(frame, prefix.length)
        await stream.send(reply)
      }
      await stream.closeWrite()
    }
    run().catch(() => {
      stream.abort()
    })
  }
}

/** `length` bytes that depend on `seed` and their position, to catch corruption and reordering. */
export function patternFrame(length: number, seed: number): Uint8Array {
  const frame = new Uint8Array(length)
  for (let index = 0; index < length; index++) frame[index] = (index * 31 + seed * 7) & 0xff
  if (length >= 4) new DataView(frame.buffer).setUint32(0, seed)
  return frame
}

export function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.compare(a, b) === 0
}

/** What each group of compliance tests is given. */
export interface ComplianceSuite {
  readonly maxBufferedFrames: number
  /** A fresh network of `count` transports for this test, torn down after it. */
  open(count: number, limits?: TransportLimitsInit): Promise<Harness>
}
