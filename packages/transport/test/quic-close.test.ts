import { describe, expect, it } from 'vitest'
import type { FrameStream } from '../src/index.js'
import { startQuicTransport, targetOf, waitUntil } from './quic-fixtures.js'

const FRAME_COUNT = 200
const FRAME_BYTES = 16 * 1024

/** A 16 KiB frame whose first four bytes number it, so loss or reordering shows. */
function numberedFrame(index: number): Uint8Array {
  const frame = new Uint8Array(FRAME_BYTES)
  new DataView(frame.buffer).setUint32(0, index)
  return frame
}

/** Every frame's number until the stream ends; a reset rejects. */
async function readNumbers(stream: FrameStream): Promise<number[]> {
  const numbers: number[] = []
  for (let frame = await stream.read(); frame !== undefined; frame = await stream.read()) {
    numbers.push(new DataView(frame.buffer, frame.byteOffset).getUint32(0))
  }
  return numbers
}

describe('QuicConnection close', () => {
  it.each([
    ['connection.close()', 'close'],
    ['transport.stop()', 'stop'],
  ] as const)('%s delivers the frames still queued on a stream, then ends it', async (_, how) => {
    const [alice, bob] = await Promise.all([startQuicTransport(), startQuicTransport()])
    let remote: Promise<number[] | Error> | undefined
    bob.handle('direct', (stream) => {
      // Caught at once: a reset must fail the assertion below, not go unhandled.
      remote = readNumbers(stream).catch((error: unknown) => error as Error)
    })
    const connection = await alice.dial(targetOf(bob))
    const stream = await connection.openStream('direct')
    for (let index = 0; index < FRAME_COUNT; index++) await stream.send(numberedFrame(index))

    await (how === 'close' ? connection.close() : alice.stop())
    expect(connection.status).toBe('closed')
    await waitUntil(() => remote !== undefined, 'bob receives the stream')
    const expected = Array.from({ length: FRAME_COUNT }, (_, index) => index)
    expect(await remote).toEqual(expected)
  })
})
