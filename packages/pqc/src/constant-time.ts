import { timingSafeEqual } from 'node:crypto'

/**
 * Whether two byte strings are equal, in time that depends only on their length, never on where
 * they differ: use it for every comparison involving a secret (MACs, keys, tokens). Lengths are
 * treated as public: different lengths return `false` at once.
 */
export function constantTimeEqual(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false
  return timingSafeEqual(left, right)
}
