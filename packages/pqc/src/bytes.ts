// Private byte helpers shared by the modules of this package.

/**
 * A `Uint8Array` that owns its memory, taking ownership of a fresh Node `Buffer`. Such buffers may
 * be views into a shared pool: handing one out would expose the pool's other bytes through
 * `.buffer`, so a shared buffer is copied and its slice of the pool wiped.
 */
export function ownedBytes(buffer: Uint8Array): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength) {
    return new Uint8Array(buffer.buffer, 0, buffer.byteLength)
  }
  const copy = new Uint8Array(buffer)
  buffer.fill(0)
  return copy
}

/** A `Buffer` view over `bytes` without copying, for `Buffer`-only Node APIs. */
export function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

const textEncoder = new TextEncoder()

/** UTF-8 bytes of `text`. */
export function utf8(text: string): Uint8Array {
  return textEncoder.encode(text)
}

/** Writes a non-negative safe integer as 8 bytes big-endian. */
export function writeUint64(target: Uint8Array, offset: number, value: number): void {
  new DataView(target.buffer, target.byteOffset, target.byteLength).setBigUint64(
    offset,
    BigInt(value),
  )
}

/** Reads 8 bytes big-endian; `undefined` when the value is beyond `Number.MAX_SAFE_INTEGER`. */
export function readUint64(source: Uint8Array, offset: number): number | undefined {
  const value = new DataView(source.buffer, source.byteOffset, source.byteLength).getBigUint64(
    offset,
  )
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined
}

/** Whether two public byte strings are equal. Not for secrets: see `constantTimeEqual`. */
export function publicBytesEqual(left: Uint8Array, right: Uint8Array): boolean {
  return bufferView(left).equals(right)
}
