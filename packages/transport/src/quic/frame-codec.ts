// Sealed frames on a QUIC stream (transport.md §3):
//   [u32 big-endian length L][L bytes: ChaCha20-Poly1305(key_dir, nonce, plaintext) ‖ tag]
//   nonce = stream_id (u64 BE) ‖ frame_sequence (u32 BE)
// The receiver derives the nonce from the frame it expects next, so a replayed, reordered,
// dropped or moved frame fails to open.
import {
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  openChaCha20Poly1305,
  sealChaCha20Poly1305,
} from '@x0x/pqc'
import { FrameTooLargeError, StreamClosedError } from '../errors.js'
import { FRAME_LENGTH_BYTES, MAX_FRAMES_PER_STREAM } from './constants.js'

/** The AEAD nonce of frame `sequence` on stream `streamId`. */
export function frameNonce(streamId: number, sequence: number): Uint8Array {
  const nonce = new Uint8Array(AEAD_NONCE_BYTES)
  const view = new DataView(nonce.buffer)
  view.setBigUint64(0, BigInt(streamId))
  view.setUint32(8, sequence)
  return nonce
}

/** Seals the frames of one direction of one stream, numbering them from 0. */
export class FrameSealer {
  readonly #key: Uint8Array
  readonly #streamId: number
  #sequence = 0

  constructor(key: Uint8Array, streamId: number) {
    this.#key = key
    this.#streamId = streamId
  }

  /** Frames sealed so far. */
  get sequence(): number {
    return this.#sequence
  }

  /**
   * The wire bytes of the next frame, length prefix included.
   *
   * @throws StreamClosedError once the stream has used every sequence number.
   */
  seal(plaintext: Uint8Array): Uint8Array {
    if (this.#sequence >= MAX_FRAMES_PER_STREAM) {
      throw new StreamClosedError('the stream has carried its maximum number of frames')
    }
    const nonce = frameNonce(this.#streamId, this.#sequence++)
    const sealed = sealChaCha20Poly1305(this.#key, nonce, plaintext)
    const wire = new Uint8Array(FRAME_LENGTH_BYTES + sealed.length)
    new DataView(wire.buffer).setUint32(0, sealed.length)
    wire.set(sealed, FRAME_LENGTH_BYTES)
    return wire
  }
}

/**
 * Reassembles and opens the frames of one direction of one stream from the byte chunks QUIC
 * delivers. Holds at most one partial frame (bounded by `maxFrameBytes`) plus one chunk.
 */
export class FrameOpener {
  readonly #key: Uint8Array
  readonly #streamId: number
  readonly #maxSealedBytes: number
  #chunks: Uint8Array[] = []
  #buffered = 0
  #sequence = 0

  constructor(key: Uint8Array, streamId: number, maxFrameBytes: number) {
    this.#key = key
    this.#streamId = streamId
    this.#maxSealedBytes = maxFrameBytes + AEAD_TAG_BYTES
  }

  /** Bytes received but not yet part of a whole frame. */
  get buffered(): number {
    return this.#buffered
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
  }

  /**
   * The next whole frame's plaintext, or `undefined` until more bytes arrive.
   *
   * @throws FrameTooLargeError before buffering a frame over the limit; DecryptionFailedError
   *   (from `@x0x/pqc`) for a frame that fails to open.
   */
  next(): Uint8Array | undefined {
    if (this.#buffered < FRAME_LENGTH_BYTES) return undefined
    const length = new DataView(this.#peek(FRAME_LENGTH_BYTES).buffer).getUint32(0)
    if (length > this.#maxSealedBytes || length < AEAD_TAG_BYTES) {
      throw new FrameTooLargeError(
        `a frame of ${length} sealed bytes is outside ${AEAD_TAG_BYTES}..${this.#maxSealedBytes}`,
      )
    }
    if (this.#buffered < FRAME_LENGTH_BYTES + length) return undefined
    this.#take(FRAME_LENGTH_BYTES)
    const sealed = this.#take(length)
    const nonce = frameNonce(this.#streamId, this.#sequence++)
    return openChaCha20Poly1305(this.#key, nonce, sealed)
  }

  /** A copy of the first `count` buffered bytes, without consuming them. */
  #peek(count: number): Uint8Array {
    const output = new Uint8Array(count)
    let offset = 0
    for (const chunk of this.#chunks) {
      const part = chunk.subarray(0, count - offset)
      output.set(part, offset)
      offset += part.length
      if (offset === count) break
    }
    return output
  }

  #take(count: number): Uint8Array {
    this.#buffered -= count
    const first = this.#chunks[0]
    if (first !== undefined && first.length >= count) {
      if (first.length === count) this.#chunks.shift()
      else this.#chunks[0] = first.subarray(count)
      return first.subarray(0, count)
    }
    const output = new Uint8Array(count)
    let offset = 0
    while (offset < count) {
      const chunk = this.#chunks[0] as Uint8Array
      const part = chunk.subarray(0, count - offset)
      output.set(part, offset)
      offset += part.length
      if (part.length === chunk.length) this.#chunks.shift()
      else this.#chunks[0] = chunk.subarray(part.length)
    }
    return output
  }
}
