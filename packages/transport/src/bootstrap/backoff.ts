import type { Random } from '@x0x/base'

/** The shape of a retry schedule. */
export interface BackoffPolicy {
  readonly initialMs: number
  readonly maxMs: number
  readonly multiplier: number
  /** Fraction in [0, 1] of each delay drawn at random. */
  readonly jitter: number
}

/**
 * The delay before retry number `failures + 1`: `initialMs × multiplier^failures`, capped at
 * `maxMs`, then scaled by a random factor in [1 − jitter, 1] so that peers do not retry in step.
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: Random): number {
  const exponent = Math.max(0, Math.min(failures, 64))
  const base = Math.min(policy.maxMs, policy.initialMs * policy.multiplier ** exponent)
  const jitter = Math.min(1, Math.max(0, policy.jitter))
  return Math.round(base * (1 - jitter * random.float()))
}
