import { DEFAULT_MAX_WRITER_BYTES, DEFAULT_WRITER_INITIAL_BYTES } from './constants.js'
import { InvalidArgumentError } from './errors.js'
import type { LengthPrefix } from './byte-reader.js'

/** Options of `ByteWriter`. */
export interface ByteWriterInit {
  /** Bytes allocated up front; the buffer doubles as needed. Default: 256. */
  initialBytes?: number
  /** The writer throws `InvalidArgumentError` rather than grow past this. Default: 64 MiB. */
  maxBytes?: number
}

const PREFIX_LIMITS: Record<LengthPrefix, number> = {
  uint8: 0xff,
  uint16: 0xffff,
  uint32: 0xffff_ffff,
}

/**
 * Builds big-endian binary encodings, the mirror of `ByteReader`. Each method returns the writer
 * for chaining; a value out of its field's range throws `InvalidArgumentError` instead of being
 * truncated on the wire.
 */
export class ByteWriter {
  readonly #maxBytes: number
  #buffer: Uint8Array
  #view: DataView
  #length = 0

  constructor(init: ByteWriterInit = {}) {
    this.#maxBytes = init.maxBytes ?? DEFAULT_MAX_WRITER_BYTES
    this.#buffer = new Uint8Array(
      Math.min(init.initialBytes ?? DEFAULT_WRITER_INITIAL_BYTES, this.#maxBytes),
    )
    this.#view = new DataView(this.#buffer.buffer)
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#length
  }

  uint8(value: number): this {
    const checked = checkInteger(value, 0xff, 'uint8')
    const offset = this.#reserve(1)
    this.#view.setUint8(offset, checked)
    return this
  }

  uint16(value: number): this {
    const checked = checkInteger(value, 0xffff, 'uint16')
    const offset = this.#reserve(2)
    this.#view.setUint16(offset, checked)
    return this
  }

  uint32(value: number): this {
    const checked = checkInteger(value, 0xffff_ffff, 'uint32')
    const offset = this.#reserve(4)
    this.#view.setUint32(offset, checked)
    return this
  }

  /** A uint64 from a bigint, or from a number that is a safe non-negative integer. */
  uint64(value: bigint | number): this {
    const integer =
      typeof value === 'number'
        ? BigInt(checkInteger(value, Number.MAX_SAFE_INTEGER, 'uint64'))
        : value
    if (integer < 0n || integer > 0xffff_ffff_ffff_ffffn) {
      throw new InvalidArgumentError(`uint64 must be in [0, 2^64), got ${integer}`)
    }
    const offset = this.#reserve(8)
    this.#view.setBigUint64(offset, integer)
    return this
  }

  bytes(value: Uint8Array): this {
    const offset = this.#reserve(value.length)
    this.#buffer.set(value, offset)
    return this
  }

  /** `value` preceded by its length as a `prefix`-wide integer. */
  prefixedBytes(prefix: LengthPrefix, value: Uint8Array): this {
    const limit = PREFIX_LIMITS[prefix]
    if (value.length > limit) {
      throw new InvalidArgumentError(`${value.length} bytes do not fit a ${prefix} length prefix`)
    }
    this[prefix](value.length)
    return this.bytes(value)
  }

  /** A copy of the bytes written so far; the writer stays usable. */
  finish(): Uint8Array {
    return this.#buffer.slice(0, this.#length)
  }

  /**
   * Makes room for `length` more bytes and returns where they start. It may replace the buffer
   * and view, so callers read `#view` or `#buffer` only after calling it.
   */
  #reserve(length: number): number {
    const start = this.#length
    const end = start + length
    if (end > this.#maxBytes) {
      throw new InvalidArgumentError(
        `encoding would exceed the writer limit of ${this.#maxBytes} bytes`,
      )
    }
    if (end > this.#buffer.length) {
      const grown = new Uint8Array(Math.min(this.#maxBytes, Math.max(end, this.#buffer.length * 2)))
      grown.set(this.#buffer.subarray(0, start))
      this.#buffer = grown
      this.#view = new DataView(grown.buffer)
    }
    this.#length = end
    return start
  }
}

function checkInteger(value: number, max: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new InvalidArgumentError(`${what} must be an integer in [0, ${max}], got ${value}`)
  }
  return value
}
