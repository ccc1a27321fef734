/**
 * The frames a stream holds for its reader, oldest first. Its length is bounded by the stream's
 * receive window, which the sender cannot exceed (credit-based flow control); an array with a
 * moving head keeps taking O(1) and reuses its storage once drained.
 */
export class FrameQueue {
  #frames: Uint8Array[] = []
  #head = 0

  get size(): number {
    return this.#frames.length - this.#head
  }

  push(frame: Uint8Array): void {
    this.#frames.push(frame)
  }

  /** The oldest frame; the caller checks `size` first. */
  shift(): Uint8Array {
    const frame = this.#frames[this.#head] as Uint8Array
    this.#head++
    if (this.#head === this.#frames.length) this.clear()
    return frame
  }

  clear(): void {
    this.#frames = []
    this.#head = 0
  }
}
