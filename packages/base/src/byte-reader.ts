import { DecodeError, InvalidArgumentError } from './errors.js'

/** The width of a big-endian length or count prefix. */
export type LengthPrefix = 'uint8' | 'uint16' | 'uint32'

function assertLimit(max: number): void {
  if (!Number.isSafeInteger(max) || max < 0) {
    throw new InvalidArgumentError(`a decode limit must be a non-negative integer, got ${max}`)
  }
}

/**
 * Reads big-endian fields from bytes that may be hostile. Every overrun and every broken limit
 * throws a `DecodeError` naming the field (`what`) and the offset, and nothing else: a programming
 * error (a negative limit) throws `InvalidArgumentError`, never on the input's account. Byte
 * fields are views into the input, not copies: `slice()` them to keep them past the input.
 */
export class ByteReader {
  readonly #bytes: Uint8Array
  readonly #view: DataView
  #offset = 0

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.#offset
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.#bytes.length - this.#offset
  }

  uint8(what = 'uint8'): number {
    return this.#view.getUint8(this.#advance(1, what))
  }

  uint16(what = 'uint16'): number {
    return this.#view.getUint16(this.#advance(2, what))
  }

  uint32(what = 'uint32'): number {
    return this.#view.getUint32(this.#advance(4, what))
  }

  uint64(what = 'uint64'): bigint {
    return this.#view.getBigUint64(this.#advance(8, what))
  }

  /** A uint64 that must fit a JavaScript number exactly (at most 2^53 − 1). */
  uint64Number(what = 'uint64'): number {
    const offset = this.#offset
    const value = this.uint64(what)
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new DecodeError(`${what} at offset ${offset} is ${value}, above 2^53 - 1`)
    }
    return Number(value)
  }

  /** The next `length` bytes, as a view. */
  bytes(length: number, what = 'bytes'): Uint8Array {
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new InvalidArgumentError(`a byte length must be a non-negative integer, got ${length}`)
    }
    const start = this.#advance(length, what)
    return this.#bytes.subarray(start, start + length)
  }

  /** A length (or element count) prefix of width `prefix`, which must not exceed `max`. */
  count(prefix: LengthPrefix, max: number, what = 'count'): number {
    assertLimit(max)
    const offset = this.#offset
    const value = this.#prefix(prefix, what)
    if (value > max) {
      throw new DecodeError(`${what} at offset ${offset} is ${value}, above the limit of ${max}`)
    }
    return value
  }

  /** Bytes preceded by a length prefix of width `prefix`; the length must not exceed `max`. */
  prefixedBytes(prefix: LengthPrefix, max: number, what = 'bytes'): Uint8Array {
    const length = this.count(prefix, max, `${what} length`)
    return this.bytes(length, what)
  }

  /** Everything not read yet, as a view; the reader is then at the end. */
  rest(): Uint8Array {
    return this.bytes(this.remaining)
  }

  /** Throws a `DecodeError` if any byte is left: trailing bytes make an encoding ambiguous. */
  end(what = 'message'): void {
    if (this.remaining !== 0) {
      throw new DecodeError(
        `${this.remaining} unexpected bytes after ${what} at offset ${this.#offset}`,
      )
    }
  }

  #prefix(prefix: LengthPrefix, what: string): number {
    switch (prefix) {
      case 'uint8':
        return this.uint8(what)
      case 'uint16':
        return this.uint16(what)
      case 'uint32':
        return this.uint32(what)
    }
  }

  /** Moves past `length` bytes and returns where they start, or throws if they are not there. */
  #advance(length: number, what: string): number {
    const start = this.#offset
    if (length > this.remaining) {
      throw new DecodeError(
        `${what} needs ${length} bytes at offset ${start}, but only ${this.remaining} remain`,
      )
    }
    this.#offset = start + length
    return start
  }
}
