import { InvalidArgumentError } from '@x0x/base'
import { StreamLimitError } from '../errors.js'
import { STREAM_KINDS, type StreamKind } from '../transport.js'
import type { MemoryStream } from './memory-stream.js'

/** The position of `kind` in `STREAM_KINDS`. @throws InvalidArgumentError for an unknown kind */
export function kindIndex(kind: StreamKind): number {
  const index = STREAM_KINDS.indexOf(kind)
  if (index < 0) throw new InvalidArgumentError(`unknown stream kind ${kind}`)
  return index
}

function bump(counts: number[], index: number, by: number): void {
  counts[index] = (counts[index] as number) + by
}

/**
 * The live streams of one connection end, and the stream budgets per kind. Budgets work as QUIC's
 * MAX_STREAMS (RFC 9000 §4.6): the remote grants a cumulative count of streams this end may open,
 * one more each time it releases one of them, so the remote's table of inbound streams stays
 * within its `maxStreamsPerKind` whatever this end does.
 */
export class StreamTable {
  readonly #streams = new Set<MemoryStream>()
  readonly #opened = STREAM_KINDS.map(() => 0)
  readonly #granted = STREAM_KINDS.map(() => 0)
  readonly #inbound = STREAM_KINDS.map(() => 0)
  #nextNumber = 0

  /** A snapshot of the live streams, safe to iterate while they close. */
  all(): MemoryStream[] {
    return [...this.#streams]
  }

  /** The remote's initial budget: `limit` streams of every kind. */
  grantAll(limit: number): void {
    this.#granted.fill(limit)
  }

  /** The remote released a stream of the kind at `index`: one more may be opened. */
  grant(index: number): void {
    bump(this.#granted, index, 1)
  }

  /**
   * Spends one stream of `kind` from the remote's budget and returns the stream's number.
   *
   * @throws StreamLimitError when the budget is spent
   */
  reserve(kind: StreamKind): number {
    const index = kindIndex(kind)
    if ((this.#opened[index] as number) >= (this.#granted[index] as number)) {
      throw new StreamLimitError(`the remote allows no more ${kind} streams now`)
    }
    bump(this.#opened, index, 1)
    return this.#nextNumber++
  }

  /** Registers a stream this end opened. */
  addOutbound(stream: MemoryStream): void {
    this.#streams.add(stream)
  }

  /** Registers a stream the remote opened; false when that would exceed `limit` of its kind. */
  addInbound(stream: MemoryStream, limit: number): boolean {
    const index = kindIndex(stream.kind)
    if ((this.#inbound[index] as number) >= limit) return false
    bump(this.#inbound, index, 1)
    this.#streams.add(stream)
    return true
  }

  /** Forgets a released stream; returns its kind's index when the remote should get a credit back. */
  release(stream: MemoryStream): number | undefined {
    if (!this.#streams.delete(stream) || stream.initiator) return undefined
    const index = kindIndex(stream.kind)
    bump(this.#inbound, index, -1)
    return index
  }
}
