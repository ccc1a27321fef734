import { Base64DecodeError, RequestValueError } from '../errors.js'
import { describe, makeSchema, type Schema } from './schema.js'
import { decodeStringShape, type DescribedInit } from './primitives.js'

/** Options of `hex32`. */
export interface Hex32Init extends DescribedInit {
  /**
   * The route's own 400 message for any malformed id (e.g. `machine_id must be a 64-character hex
   * string`). Default: the generic `hex::decode` wording (see `hex32Problem`).
   */
  invalidMessage?: string
}

/**
 * What is wrong with `text` as a 32-byte hex id, in x0x's words, or `undefined` if nothing is.
 * x0x parses ids with `hex::decode` and then checks the length, so upper-case digits pass and a
 * well-formed id of the wrong size reads `expected 32 bytes (64 hex chars), got N` (N in bytes).
 */
export function hex32Problem(text: string): string | undefined {
  if (text.length % 2 !== 0) return 'invalid hex: Odd number of digits'
  const bad = /[^0-9a-fA-F]/.exec(text)
  if (bad !== null) {
    return `invalid hex: Invalid character ${JSON.stringify(bad[0]).replaceAll('"', "'")} at position ${bad.index}`
  }
  if (text.length !== 64) return `expected 32 bytes (64 hex chars), got ${text.length / 2}`
  return undefined
}

/**
 * Parses a 32-byte hex id (agent, machine or user id) as x0x does, returning it lower-case (all
 * x0x output is lower-case), or throws `RequestValueError` with `invalidMessage` or x0x's text.
 */
export function parseHex32(text: string, invalidMessage?: string): string {
  const problem = hex32Problem(text)
  if (problem !== undefined) throw new RequestValueError(invalidMessage ?? problem)
  return text.toLowerCase()
}

/** A 32-byte id as hex: a string to serde, checked and lower-cased by the handler. */
export function hex32(init: Hex32Init = {}): Schema<string> {
  return makeSchema({
    description: init.description,
    decodeShape: decodeStringShape,
    checkValue(value, path) {
      const problem = hex32Problem(value)
      if (problem !== undefined) throw new RequestValueError(init.invalidMessage ?? problem, path)
      return value.toLowerCase()
    },
    decodeText: (text) => text,
    toJsonSchema: () =>
      describe(
        { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
        init.description ?? '32-byte id, hex',
      ),
  })
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const VALUES = new Map(
  Array.from({ length: 64 }, (_, index) => [ALPHABET.charCodeAt(index), index]),
)
const PAD = 61 // '='

/**
 * Decodes standard padded base64 (RFC 4648 §4) as strictly as Rust's `base64` 0.22 `STANDARD`
 * engine (canonical padding, zero trailing bits), or throws `Base64DecodeError` worded as that
 * crate words it. Works in browsers too (no `Buffer`).
 */
export function decodeBase64(text: string): Uint8Array {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === PAD) end--
  for (let index = 0; index < end; index++) {
    const code = text.charCodeAt(index)
    if (!VALUES.has(code)) throw new Base64DecodeError(`Invalid symbol ${code}, offset ${index}.`)
  }
  const padding = text.length - end
  if (end % 4 === 1) throw new Base64DecodeError(`Invalid input length: ${end}.`)
  if (padding !== (4 - (end % 4)) % 4) throw new Base64DecodeError('Invalid padding')
  const bytes = new Uint8Array(Math.floor((end * 3) / 4))
  let buffer = 0
  let bits = 0
  let written = 0
  for (let index = 0; index < end; index++) {
    buffer = (buffer << 6) | (VALUES.get(text.charCodeAt(index)) as number)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[written++] = (buffer >> bits) & 0xff
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) {
    throw new Base64DecodeError(
      `Invalid last symbol ${text.charCodeAt(end - 1)}, offset ${end - 1}.`,
    )
  }
  return bytes
}

/** Standard padded base64 of `bytes` (no `Buffer`, so it runs in browsers). */
export function encodeBase64(bytes: Uint8Array): string {
  let text = ''
  for (let index = 0; index < bytes.length; index += 3) {
    const chunk =
      ((bytes[index] ?? 0) << 16) | ((bytes[index + 1] ?? 0) << 8) | (bytes[index + 2] ?? 0)
    const count = Math.min(3, bytes.length - index)
    for (let position = 0; position < 4; position++) {
      text += position <= count ? ALPHABET.charAt((chunk >> (18 - position * 6)) & 63) : '='
    }
  }
  return text
}

/** Options of `base64`. */
export interface Base64Init extends DescribedInit {
  /**
   * Put before the decoder's detail in the 400 message: `invalid base64 in payload field: ` on
   * `/publish`, `invalid base64: ` on `/direct/send`. Default: `invalid base64: `.
   */
  messagePrefix?: string
}

/** Bytes as standard padded base64: a string to serde, decoded (and so checked) by the handler. */
export function base64(init: Base64Init = {}): Schema<string> {
  const prefix = init.messagePrefix ?? 'invalid base64: '
  return makeSchema({
    description: init.description,
    decodeShape: decodeStringShape,
    checkValue(value, path) {
      try {
        decodeBase64(value)
      } catch (error) {
        if (!(error instanceof Base64DecodeError)) throw error
        throw new RequestValueError(`${prefix}${error.message}`, path, { cause: error })
      }
      return value
    },
    decodeText: (text) => text,
    toJsonSchema: () =>
      describe(
        { type: 'string', contentEncoding: 'base64' },
        init.description ?? 'base64 (standard, padded)',
      ),
  })
}
