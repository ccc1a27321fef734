import { DecodeError, InvalidArgumentError } from './errors.js'

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48 // 0-9
  if (code >= 97 && code <= 102) return code - 87 // a-f
  if (code >= 65 && code <= 70) return code - 55 // A-F
  return -1
}

/**
 * Lowercase hex of `bytes`, two digits per byte. Written natively as one flat string, so using
 * it as a map key (ids on the message path) hashes it at once instead of flattening a rope.
 */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/**
 * The bytes written as hex in `hex`. Strict: an even number of digits `0-9a-fA-F` and nothing
 * else (no `0x` prefix, no whitespace), or a `DecodeError`. Either case decodes; `toHex` writes
 * lowercase, so compare hex strings only after a round trip.
 */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) {
    throw new DecodeError(`hex must have an even number of digits, got ${hex.length}`)
  }
  const bytes = new Uint8Array(hex.length / 2)
  for (let index = 0; index < bytes.length; index++) {
    const high = hexValue(hex.charCodeAt(index * 2))
    const low = hexValue(hex.charCodeAt(index * 2 + 1))
    if (high < 0 || low < 0) {
      const position = high < 0 ? index * 2 : index * 2 + 1
      throw new DecodeError(`invalid hex digit at position ${position}`)
    }
    bytes[index] = high * 16 + low
  }
  return bytes
}

/** One new array holding every array of `arrays` in order. */
export function concatBytes(...arrays: Uint8Array[]): Uint8Array {
  let length = 0
  for (const array of arrays) length += array.length
  const result = new Uint8Array(length)
  let offset = 0
  for (const array of arrays) {
    result.set(array, offset)
    offset += array.length
  }
  return result
}

/**
 * Whether `a` and `b` hold the same bytes. Not constant-time: for secrets (MACs, tags) use
 * `timingSafeEqual` from `node:crypto`.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false
  return true
}

/**
 * Throws a `DecodeError` unless `bytes` is a `Uint8Array` of exactly `expected` bytes; `what`
 * names the field in the message (`public key must be 1952 bytes, got 12`).
 */
export function assertByteLength(
  bytes: unknown,
  expected: number,
  what: string,
): asserts bytes is Uint8Array {
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new InvalidArgumentError(
      `expected length must be a non-negative integer, got ${expected}`,
    )
  }
  if (!(bytes instanceof Uint8Array)) throw new DecodeError(`${what} must be a Uint8Array`)
  if (bytes.length !== expected) {
    throw new DecodeError(`${what} must be ${expected} bytes, got ${bytes.length}`)
  }
}
