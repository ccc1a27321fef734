// The few DER (ITU-T X.690) shapes an X.509 certificate (RFC 5280) needs: enough to write our
// self-signed certificates and to read the two fields the verifier checks. Not a general ASN.1
// library: the reader accepts only definite lengths of at most four bytes and fails closed.
import { HandshakeError } from '../errors.js'

export const TAG_BOOLEAN = 0x01
export const TAG_INTEGER = 0x02
export const TAG_BIT_STRING = 0x03
export const TAG_OCTET_STRING = 0x04
export const TAG_OID = 0x06
export const TAG_UTF8_STRING = 0x0c
export const TAG_UTC_TIME = 0x17
export const TAG_GENERALIZED_TIME = 0x18
export const TAG_SEQUENCE = 0x30
export const TAG_SET = 0x31
/** `[0]` EXPLICIT, the certificate version. */
export const TAG_CONTEXT_0 = 0xa0
/** `[3]` EXPLICIT, the certificate extensions. */
export const TAG_CONTEXT_3 = 0xa3

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length)
  const bytes: number[] = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff)
  return Uint8Array.of(0x80 | bytes.length, ...bytes)
}

/** One tag-length-value element around the concatenation of `parts`. */
export function encodeTlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const bodyLength = parts.reduce((sum, part) => sum + part.length, 0)
  const length = encodeLength(bodyLength)
  const output = new Uint8Array(1 + length.length + bodyLength)
  output[0] = tag
  output.set(length, 1)
  let offset = 1 + length.length
  for (const part of parts) {
    output.set(part, offset)
    offset += part.length
  }
  return output
}

export function encodeSequence(...parts: Uint8Array[]): Uint8Array {
  return encodeTlv(TAG_SEQUENCE, ...parts)
}

/** An OBJECT IDENTIFIER from dotted text; arcs may exceed 2^53 (the `2.25` UUID arc does). */
export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((arc) => BigInt(arc))
  const [first = 0n, second = 0n, ...rest] = arcs
  const bytes: number[] = []
  for (const arc of [first * 40n + second, ...rest]) {
    const group = [Number(arc & 0x7fn)]
    for (let value = arc >> 7n; value > 0n; value >>= 7n) {
      group.unshift(0x80 | Number(value & 0x7fn))
    }
    bytes.push(...group)
  }
  return encodeTlv(TAG_OID, Uint8Array.from(bytes))
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5). */
export function encodeTime(date: Date): Uint8Array {
  const digits = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
  const ascii = (text: string): Uint8Array => new TextEncoder().encode(text)
  return date.getUTCFullYear() < 2050
    ? encodeTlv(TAG_UTC_TIME, ascii(digits.slice(2)))
    : encodeTlv(TAG_GENERALIZED_TIME, ascii(digits))
}

/**
 * The instant of a UTCTime or GeneralizedTime element, in the only forms RFC 5280 §4.1.2.5
 * allows: `YYMMDDHHMMSSZ` (years 1950–2049) and `YYYYMMDDHHMMSSZ`.
 */
export function decodeTime(element: DerElement | undefined): number {
  const text = new TextDecoder().decode(element?.contents)
  const utc = element?.tag === TAG_UTC_TIME && /^\d{12}Z$/.test(text)
  const generalized = element?.tag === TAG_GENERALIZED_TIME && /^\d{14}Z$/.test(text)
  if (!utc && !generalized) throw malformed('expected a UTCTime or GeneralizedTime')
  const digits = utc ? `${Number(text.slice(0, 2)) < 50 ? '20' : '19'}${text}` : text
  const [year, month, day, hour, minute, second] = [0, 4, 6, 8, 10, 12].map((start, index) =>
    Number(digits.slice(start, index === 0 ? 4 : start + 2)),
  ) as [number, number, number, number, number, number]
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second)
  // The setters roll 2024-02-31 over to March: a date that does not round-trip is not a date.
  const roundTrips =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  if (!roundTrips) throw malformed('an impossible date')
  return date.getTime()
}

/** A decoded element: its tag and where its contents sit in the input. */
export interface DerElement {
  readonly tag: number
  /** The contents, a view into the input. */
  readonly contents: Uint8Array
  /** The whole element (tag and length included), a view into the input. */
  readonly encoded: Uint8Array
}

function malformed(what: string): HandshakeError {
  return new HandshakeError(`malformed certificate: ${what}`)
}

/** The element starting at `offset` of `input`. */
export function readElement(input: Uint8Array, offset = 0): DerElement {
  const tag = input[offset]
  const first = input[offset + 1]
  if (tag === undefined || first === undefined) throw malformed('truncated element')
  let length = first
  let header = 2
  if (first >= 0x80) {
    const count = first & 0x7f
    if (count === 0 || count > 4) throw malformed('unsupported length encoding')
    length = 0
    for (let index = 0; index < count; index++) {
      const byte = input[offset + 2 + index]
      if (byte === undefined) throw malformed('truncated length')
      length = length * 256 + byte
    }
    header += count
  }
  const end = offset + header + length
  if (end > input.length) throw malformed('element overruns its container')
  return {
    tag,
    contents: input.subarray(offset + header, end),
    encoded: input.subarray(offset, end),
  }
}

/** The elements inside a constructed element's contents, in order. */
export function readChildren(contents: Uint8Array): DerElement[] {
  const children: DerElement[] = []
  for (let offset = 0; offset < contents.length;) {
    const child = readElement(contents, offset)
    children.push(child)
    offset += child.encoded.length
  }
  return children
}

/** `element`, checked to carry `tag`. */
export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (element?.tag !== tag) throw malformed(`expected ${what}`)
  return element
}
