import { InvalidArgumentError } from '@x0x/base'
import {
  DEFAULT_DIAL_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_KEEPALIVE_INTERVAL_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_MAX_PENDING_DIALS,
  DEFAULT_MAX_STREAMS_PER_KIND,
  DEFAULT_STREAM_RECEIVE_QUEUE_FRAMES,
} from './constants.js'

/**
 * The bounds and timeouts every transport takes, with the same defaults for QUIC and memory, so a
 * simulation on `MemoryTransport` runs under the limits a real node has.
 */
export interface TransportLimitsInit {
  /**
   * Largest frame this side sends or accepts, in bytes; a stream carries frames up to the smaller
   * of both sides' limits. Default: `DEFAULT_MAX_FRAME_BYTES` (1 MiB).
   */
  maxFrameBytes?: number | undefined
  /**
   * Frames a stream buffers for its reader; the remote's `send()` waits beyond that
   * (back-pressure). Default: `DEFAULT_STREAM_RECEIVE_QUEUE_FRAMES` (64).
   */
  streamReceiveQueueFrames?: number | undefined
  /**
   * Streams of one kind the remote may have open towards this side at once; its `openStream()`
   * fails with `StreamLimitError` beyond that. Default: `DEFAULT_MAX_STREAMS_PER_KIND` (256).
   */
  maxStreamsPerKind?: number | undefined
  /**
   * Connections open or being set up (both directions); more dials fail with
   * `ConnectionLimitError` and more inbound connections are refused. Default:
   * `DEFAULT_MAX_CONNECTIONS` (512).
   */
  maxConnections?: number | undefined
  /** Outbound dials in progress at once. Default: `DEFAULT_MAX_PENDING_DIALS` (64). */
  maxPendingDials?: number | undefined
  /** A dial (handshake included) not done by then fails. Default: `DEFAULT_DIAL_TIMEOUT_MS` (10 s). */
  dialTimeoutMs?: number | undefined
  /**
   * How often an idle connection is probed. Default: `DEFAULT_KEEPALIVE_INTERVAL_MS` (5 s).
   * `MemoryTransport` sends no probes: it models their outcome (see `idleTimeoutMs`).
   */
  keepaliveIntervalMs?: number | undefined
  /**
   * A connection that hears nothing from its peer for this long is declared dead
   * (`peer:disconnect` with reason `idle-timeout`). Default: `DEFAULT_IDLE_TIMEOUT_MS` (15 s).
   */
  idleTimeoutMs?: number | undefined
}

/** `TransportLimitsInit` with every default resolved. */
export type TransportLimits = {
  readonly [Key in keyof TransportLimitsInit]-?: number
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${value}`)
  }
  return value
}

/** Resolves the defaults of `init` and checks every value is a positive integer. */
export function resolveTransportLimits(init: TransportLimitsInit = {}): TransportLimits {
  return {
    maxFrameBytes: positiveInteger(init.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, 'maxFrameBytes'),
    streamReceiveQueueFrames: positiveInteger(
      init.streamReceiveQueueFrames ?? DEFAULT_STREAM_RECEIVE_QUEUE_FRAMES,
      'streamReceiveQueueFrames',
    ),
    maxStreamsPerKind: positiveInteger(
      init.maxStreamsPerKind ?? DEFAULT_MAX_STREAMS_PER_KIND,
      'maxStreamsPerKind',
    ),
    maxConnections: positiveInteger(
      init.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      'maxConnections',
    ),
    maxPendingDials: positiveInteger(
      init.maxPendingDials ?? DEFAULT_MAX_PENDING_DIALS,
      'maxPendingDials',
    ),
    dialTimeoutMs: positiveInteger(init.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS, 'dialTimeoutMs'),
    keepaliveIntervalMs: positiveInteger(
      init.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_INTERVAL_MS,
      'keepaliveIntervalMs',
    ),
    idleTimeoutMs: positiveInteger(init.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, 'idleTimeoutMs'),
  }
}
