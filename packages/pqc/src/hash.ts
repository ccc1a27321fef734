import { hash, hkdfSync } from 'node:crypto'
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js'
import { InvalidArgumentError } from '@x0x/base'
import { ownedBytes } from './bytes.js'

/** SHA-256 (FIPS 180-4) of `data`, 32 bytes, computed by `node:crypto`. */
export function sha256(data: Uint8Array): Uint8Array {
  return ownedBytes(hash('sha256', data, 'buffer'))
}

/** Options of `blake3`. */
export interface Blake3Options {
  /** Output length in bytes (BLAKE3 is an XOF). Default 32. */
  readonly outputLength?: number
  /** A 32-byte key for BLAKE3's keyed-hash (MAC) mode. Default: none (plain hash). */
  readonly key?: Uint8Array
}

/** BLAKE3 of `data` (`node:crypto` has no BLAKE3, so this is @noble/hashes). */
export function blake3(data: Uint8Array, options: Blake3Options = {}): Uint8Array {
  const outputLength = options.outputLength ?? 32
  if (!Number.isSafeInteger(outputLength) || outputLength < 1) {
    throw new InvalidArgumentError(`BLAKE3 output length must be a positive integer`)
  }
  if (options.key !== undefined && options.key.length !== 32) {
    throw new InvalidArgumentError(`BLAKE3 key must be 32 bytes, got ${options.key.length}`)
  }
  return options.key === undefined
    ? nobleBlake3(data, { dkLen: outputLength })
    : nobleBlake3(data, { dkLen: outputLength, key: options.key })
}

/**
 * HKDF-SHA256 (RFC 5869): `length` bytes derived from `inputKeyMaterial`, separated by `info`.
 *
 * @throws InvalidArgumentError when `length` exceeds 255 × 32 bytes or `info` exceeds 1024 bytes.
 */
export function hkdfSha256(
  inputKeyMaterial: Uint8Array,
  salt: Uint8Array,
  info: Uint8Array,
  length: number,
): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 1 || length > 255 * 32) {
    throw new InvalidArgumentError(`HKDF-SHA256 length must be 1..8160 bytes, got ${length}`)
  }
  if (info.length > 1024) {
    throw new InvalidArgumentError(`HKDF info must be at most 1024 bytes, got ${info.length}`)
  }
  return new Uint8Array(hkdfSync('sha256', inputKeyMaterial, salt, info, length))
}
