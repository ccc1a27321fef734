import { InvalidArgumentError, type Random } from '@x0x/base'
import {
  DEFAULT_MEMORY_LATENCY_MS,
  MAX_MODELLED_RETRANSMISSIONS,
  MIN_RETRANSMISSION_TIMEOUT_MS,
  RETRANSMISSION_TIMEOUT_LATENCY_FACTOR,
} from '../constants.js'

/**
 * How one direction of a link between two memory transports behaves. Streams are reliable, as in
 * QUIC, so nothing is ever dropped: loss and jitter show up as delay, and a frame never overtakes
 * an earlier frame of the same stream.
 */
export interface LinkProfile {
  /** One-way propagation delay, in milliseconds. */
  readonly latencyMs: number
  /** Each message is further delayed by a uniform random [0, jitterMs) milliseconds. */
  readonly jitterMs: number
  /**
   * Probability in [0, 1) that a packet is lost. A lost packet is retransmitted after a
   * retransmission timeout (`max(3 × latencyMs, 25 ms)`), possibly several times.
   */
  readonly loss: number
  /** Serialization rate of the link in bytes per second; `Infinity` for no cap. */
  readonly bandwidthBytesPerSecond: number
}

/** A loopback-like link: 1 ms one way, no jitter, no loss, no bandwidth cap. */
export const DEFAULT_LINK_PROFILE: LinkProfile = Object.freeze({
  latencyMs: DEFAULT_MEMORY_LATENCY_MS,
  jitterMs: 0,
  loss: 0,
  bandwidthBytesPerSecond: Infinity,
})

function nonNegative(value: number, name: string): number {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new InvalidArgumentError(`${name} must be a finite number ≥ 0, got ${value}`)
  }
  return value
}

/** `base` with `overrides` applied, every value checked. */
export function resolveLinkProfile(
  base: LinkProfile,
  overrides: Partial<LinkProfile> = {},
): LinkProfile {
  const loss = overrides.loss ?? base.loss
  if (!(loss >= 0 && loss < 1)) {
    throw new InvalidArgumentError(`loss must be in [0, 1), got ${loss}`)
  }
  const bandwidth = overrides.bandwidthBytesPerSecond ?? base.bandwidthBytesPerSecond
  if (!(bandwidth > 0)) {
    throw new InvalidArgumentError(`bandwidthBytesPerSecond must be > 0, got ${bandwidth}`)
  }
  return Object.freeze({
    latencyMs: nonNegative(overrides.latencyMs ?? base.latencyMs, 'latencyMs'),
    jitterMs: nonNegative(overrides.jitterMs ?? base.jitterMs, 'jitterMs'),
    loss,
    bandwidthBytesPerSecond: bandwidth,
  })
}

/** How long the link takes to put `bytes` on the wire. */
export function serializationMs(profile: LinkProfile, bytes: number): number {
  return bytes === 0 ? 0 : (bytes * 1000) / profile.bandwidthBytesPerSecond
}

/**
 * Propagation delay of one message: latency, jitter, and one retransmission timeout per loss. The
 * number of losses is drawn geometrically in O(1) by inversion, P(losses ≥ n) = loss^n, so a
 * lossy link costs one random draw per message, not one per retransmission.
 */
export function samplePropagationMs(profile: LinkProfile, random: Random): number {
  let delay = profile.latencyMs
  if (profile.jitterMs > 0) delay += random.float() * profile.jitterMs
  if (profile.loss > 0) {
    const uniform = 1 - random.float()
    const losses = Math.min(
      MAX_MODELLED_RETRANSMISSIONS,
      Math.floor(Math.log(uniform) / Math.log(profile.loss)),
    )
    const timeout = Math.max(
      RETRANSMISSION_TIMEOUT_LATENCY_FACTOR * profile.latencyMs,
      MIN_RETRANSMISSION_TIMEOUT_MS,
    )
    delay += losses * timeout
  }
  return delay
}
