import { createHash } from 'node:crypto'
import { InvalidArgumentError } from './errors.js'

/** What `createRandom` accepts: an integer (a safe `number` or a 64-bit `bigint`) or bytes. */
export type Seed = number | bigint | Uint8Array

/**
 * A deterministic pseudo-random stream for tests and simulations. Not for keys, nonces or anything
 * an attacker may predict: use `node:crypto` for those.
 */
export interface Random {
  /** A uniform unsigned 32-bit integer. */
  next(): number
  /** A uniform float in [0, 1) with 53 bits of precision. */
  float(): number
  /** A uniform integer in [0, maxExclusive), without modulo bias; `maxExclusive` in [1, 2^53]. */
  int(maxExclusive: number): number
  /** True with probability `probability` (in [0, 1]). */
  chance(probability: number): boolean
  /** `length` pseudo-random bytes. */
  bytes(length: number): Uint8Array
  /** A uniform element of a non-empty array. */
  pick<Item>(items: readonly Item[]): Item
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<Item>(items: Item[]): Item[]
  /** `count` elements at distinct positions of `items`, in random order; O(count). */
  sample<Item>(items: readonly Item[], count: number): Item[]
  /** An independent stream seeded from this one's next outputs (so it advances this stream). */
  fork(): Random
  /**
   * An independent stream named `label`, derived from this stream's seed only: the same seed and
   * label give the same stream however much this one was used (one stream per simulated node).
   */
  derive(label: string): Random
}

const TWO_POW_32 = 2 ** 32
const TWO_POW_53 = 2 ** 53
const UINT64_MASK = (1n << 64n) - 1n
const DERIVE_DOMAIN = new TextEncoder().encode('x0x/random/derive\0')

/** One step of splitmix64 (Steele, Lea, Flood 2014): returns [output, next state]. */
export function splitMix64(state: bigint): [bigint, bigint] {
  const next = (state + 0x9e3779b97f4a7c15n) & UINT64_MASK
  let z = next
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & UINT64_MASK
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & UINT64_MASK
  return [z ^ (z >> 31n), next]
}

function seedToState(seed: Seed): Uint32Array {
  if (seed instanceof Uint8Array) {
    const digest = createHash('sha256').update(seed).digest()
    return new Uint32Array([0, 4, 8, 12].map((offset) => digest.readUInt32LE(offset)))
  }
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new InvalidArgumentError(`a number seed must be a safe integer, got ${seed}`)
  }
  const integer = BigInt(seed)
  if (integer < -(1n << 63n) || integer > UINT64_MASK) {
    throw new InvalidArgumentError('a bigint seed must fit in 64 bits')
  }
  // The xoshiro authors' recommended seeding: two splitmix64 outputs, each split low word first.
  const [first, state] = splitMix64(BigInt.asUintN(64, integer))
  const [second] = splitMix64(state)
  const words = [first, first >> 32n, second, second >> 32n]
  return new Uint32Array(words.map((word) => Number(BigInt.asUintN(32, word))))
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits))
}

/** xoshiro128** 1.1 (Blackman and Vigna): 128-bit state, period 2^128 − 1, passes BigCrush. */
class Xoshiro128StarStar implements Random {
  readonly #state: Uint32Array
  readonly #seedState: Uint32Array

  constructor(state: Uint32Array) {
    // The all-zero state is the one fixed point of xoshiro: it would output zeros forever.
    if (state.every((word) => word === 0)) state[0] = 1
    this.#state = state
    this.#seedState = state.slice()
  }

  next(): number {
    const state = this.#state
    const s0 = state[0] as number
    const s1 = state[1] as number
    const s2 = (state[2] as number) ^ s0
    const s3 = (state[3] as number) ^ s1
    const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0
    state[0] = s0 ^ s3
    state[1] = s1 ^ s2
    state[2] = s2 ^ (s1 << 9)
    state[3] = rotateLeft(s3, 11)
    return result
  }

  float(): number {
    return ((this.next() >>> 5) * 67_108_864 + (this.next() >>> 6)) / TWO_POW_53
  }

  int(maxExclusive: number): number {
    const integer = Number.isSafeInteger(maxExclusive) || maxExclusive === TWO_POW_53
    if (!integer || maxExclusive < 1) {
      throw new InvalidArgumentError(
        `int bound must be an integer in [1, 2^53], got ${maxExclusive}`,
      )
    }
    // Rejection sampling: drawing from the largest multiple of the bound keeps every value equally likely.
    if (maxExclusive <= TWO_POW_32) {
      const limit = TWO_POW_32 - (TWO_POW_32 % maxExclusive)
      let value = this.next()
      while (value >= limit) value = this.next()
      return value % maxExclusive
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % maxExclusive)
    let value = this.#uint53()
    while (value >= limit) value = this.#uint53()
    return value % maxExclusive
  }

  chance(probability: number): boolean {
    if (!(probability >= 0 && probability <= 1)) {
      throw new InvalidArgumentError(`probability must be in [0, 1], got ${probability}`)
    }
    return this.float() < probability
  }

  bytes(length: number): Uint8Array {
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new InvalidArgumentError(`byte length must be a non-negative integer, got ${length}`)
    }
    const bytes = new Uint8Array(length)
    for (let offset = 0; offset < length; offset += 4) {
      let word = this.next()
      for (let index = offset; index < Math.min(offset + 4, length); index++) {
        bytes[index] = word & 0xff
        word >>>= 8
      }
    }
    return bytes
  }

  pick<Item>(items: readonly Item[]): Item {
    if (items.length === 0) throw new InvalidArgumentError('cannot pick from an empty array')
    return items[this.int(items.length)] as Item
  }

  shuffle<Item>(items: Item[]): Item[] {
    for (let index = items.length - 1; index > 0; index--) {
      const other = this.int(index + 1)
      const item = items[index] as Item
      items[index] = items[other] as Item
      items[other] = item
    }
    return items
  }

  sample<Item>(items: readonly Item[], count: number): Item[] {
    if (!Number.isSafeInteger(count) || count < 0 || count > items.length) {
      throw new InvalidArgumentError(`cannot sample ${count} of ${items.length} items`)
    }
    // A partial Fisher–Yates over positions, with the swaps kept sparse so the input is not copied.
    const swapped = new Map<number, number>()
    const sample: Item[] = []
    for (let index = 0; index < count; index++) {
      const other = index + this.int(items.length - index)
      const chosen = swapped.get(other) ?? other
      swapped.set(other, swapped.get(index) ?? index)
      sample.push(items[chosen] as Item)
    }
    return sample
  }

  fork(): Random {
    return new Xoshiro128StarStar(
      new Uint32Array([this.next(), this.next(), this.next(), this.next()]),
    )
  }

  derive(label: string): Random {
    const seedBytes = new Uint8Array(16)
    const view = new DataView(seedBytes.buffer)
    this.#seedState.forEach((word, index) => {
      view.setUint32(index * 4, word, true)
    })
    const labelBytes = new TextEncoder().encode(label)
    const material = new Uint8Array(DERIVE_DOMAIN.length + seedBytes.length + labelBytes.length)
    material.set(DERIVE_DOMAIN)
    material.set(seedBytes, DERIVE_DOMAIN.length)
    material.set(labelBytes, DERIVE_DOMAIN.length + seedBytes.length)
    return new Xoshiro128StarStar(seedToState(material))
  }

  #uint53(): number {
    return (this.next() >>> 11) * TWO_POW_32 + this.next()
  }
}

/**
 * A seeded xoshiro128** stream. Integer seeds are expanded with splitmix64 (as the xoshiro
 * authors recommend); byte seeds are hashed with SHA-256. The same seed always gives the same
 * sequence, on every platform.
 */
export function createRandom(seed: Seed): Random {
  return new Xoshiro128StarStar(seedToState(seed))
}

/** A stream starting from an exact xoshiro128** state: for checking against reference vectors. */
export function createRandomFromState(state: readonly [number, number, number, number]): Random {
  return new Xoshiro128StarStar(new Uint32Array(state))
}
