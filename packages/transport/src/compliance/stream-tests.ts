import { expect, it } from 'vitest'
import { STREAM_KINDS, type FrameStream, type StreamKind } from '../transport.js'
import {
  defined,
  echo,
  patternFrame,
  readAll,
  rejectionOf,
  sameBytes,
  text,
  textOf,
  track,
  type ComplianceSuite,
  type Tracked,
} from './harness.js'

/** Sends `frames` while reading the replies, so that back-pressure cannot deadlock the test. */
async function exchange(stream: FrameStream, frames: Uint8Array[]): Promise<Uint8Array[]> {
  const sending = (async () => {
    for (const frame of frames) await stream.send(frame)
    await stream.closeWrite()
  })()
  const replies = await readAll(stream)
  await sending
  return replies
}

/** Streams: kinds and routing, framing, limits on frame size, back-pressure, half-close, reset. */
export function registerStreamTests(suite: ComplianceSuite): void {
  it('carries frames both ways on every stream kind, routed to that kind’s handler', async () => {
    const harness = await suite.open(2)
    const [a, b] = [harness.transport(0), harness.transport(1)]
    const seen: { handler: StreamKind; kind: StreamKind; remote: string; connection: string }[] = []
    for (const kind of STREAM_KINDS) {
      b.handle(kind, (stream, connection) => {
        seen.push({
          handler: kind,
          kind: stream.kind,
          remote: stream.remoteMachineId,
          connection: connection.remoteMachineId,
        })
        echo(`${kind}:`)(stream)
      })
    }
    const connection = await a.dial(harness.target(1))
    for (const kind of STREAM_KINDS) {
      const stream = await connection.openStream(kind)
      expect(stream.kind).toBe(kind)
      expect(stream.remoteMachineId).toBe(b.machineId)
      const replies = await exchange(stream, [text('one'), text('two')])
      expect(replies.map(textOf)).toEqual([`${kind}:one`, `${kind}:two`])
    }
    expect(seen.map((entry) => entry.handler)).toEqual([...STREAM_KINDS])
    for (const entry of seen) {
      expect(entry.kind).toBe(entry.handler)
      expect(entry.remote).toBe(a.machineId)
      expect(entry.connection).toBe(a.machineId)
    }
    // The accepting side opens streams too.
    a.handle('pubsub', echo('back:'))
    await harness.waitFor(
      () => b.getConnection(a.machineId) !== undefined,
      'b holds the connection',
    )
    const reverse = await defined(b.getConnection(a.machineId), 'b’s connection').openStream(
      'pubsub',
    )
    expect((await exchange(reverse, [text('x')])).map(textOf)).toEqual(['back:x'])
  })

  it('keeps frame boundaries and order, empty frames included', async () => {
    const harness = await suite.open(2)
    harness.transport(1).handle('direct', echo())
    const connection = await harness.transport(0).dial(harness.target(1))
    const sizes = [0, 1, 7, 1_000, 0, 20_000, 3, harness.limits.maxFrameBytes - 1, 2]
    const frames = sizes.map((size, index) => patternFrame(size, index))
    const replies = await exchange(await connection.openStream('direct'), frames)
    expect(replies.map((frame) => frame.length)).toEqual(sizes)
    replies.forEach((reply, index) => {
      expect(sameBytes(reply, defined(frames[index], 'the frame sent'))).toBe(true)
    })
  })

  it('copies frames: changing a buffer after send does not change what arrives', async () => {
    const harness = await suite.open(2)
    harness.transport(1).handle('direct', echo())
    const stream = await (await harness.transport(0).dial(harness.target(1))).openStream('direct')
    const buffer = Uint8Array.of(1, 2, 3)
    await stream.send(buffer)
    buffer.fill(9)
    await stream.closeWrite()
    expect(await readAll(stream)).toEqual([Uint8Array.of(1, 2, 3)])
  })

  it('round-trips a frame of exactly maxFrameBytes intact', async () => {
    const harness = await suite.open(2)
    harness.transport(1).handle('bulk', echo())
    const stream = await (await harness.transport(0).dial(harness.target(1))).openStream('bulk')
    const frame = patternFrame(harness.limits.maxFrameBytes, 42)
    const [reply, ...rest] = await exchange(stream, [frame])
    expect(rest).toEqual([])
    expect(reply?.length).toBe(frame.length)
    expect(sameBytes(reply, frame)).toBe(true)
  })

  it('refuses a frame over maxFrameBytes with FrameTooLargeError and keeps the stream usable', async () => {
    const harness = await suite.open(2)
    harness.transport(1).handle('bulk', echo())
    const stream = await (await harness.transport(0).dial(harness.target(1))).openStream('bulk')
    const error = await rejectionOf(stream.send(new Uint8Array(harness.limits.maxFrameBytes + 1)))
    expect(error.name).toBe('FrameTooLargeError')
    expect((await exchange(stream, [text('still here')])).map(textOf)).toEqual(['still here'])
  })

  it('holds a sender once the reader stops reading, and resumes it when the reader reads', async () => {
    const harness = await suite.open(2)
    let remote: FrameStream | undefined
    harness.transport(1).handle('bulk', (stream) => {
      remote = stream
    })
    const stream = await (await harness.transport(0).dial(harness.target(1))).openStream('bulk')
    const frameBytes = Math.floor(harness.limits.maxFrameBytes / 2)
    let accepted = 0
    let held: Tracked<void> | undefined
    while (held === undefined && accepted <= suite.maxBufferedFrames) {
      const sending = track(stream.send(patternFrame(frameBytes, accepted)))
      await harness.settle()
      if (sending.settled) {
        await sending.promise
        accepted++
      } else held = sending
    }
    const waiting = defined(held, `send() to wait after ${accepted} unread frames`)
    expect(accepted).toBeGreaterThanOrEqual(harness.limits.streamReceiveQueueFrames)
    await harness.settle()
    expect(waiting.settled).toBe(false)

    await harness.waitFor(() => remote !== undefined, 'the handler receives the stream')
    const reader = defined(remote, 'the remote stream')
    const received: Uint8Array[] = []
    while (!waiting.settled && received.length <= accepted) {
      const frame = await reader.read()
      if (frame !== undefined) received.push(frame)
    }
    await waiting.promise
    await stream.closeWrite()
    received.push(...(await readAll(reader)))
    expect(received).toHaveLength(accepted + 1)
    received.forEach((frame, index) => {
      expect(sameBytes(frame, patternFrame(frameBytes, index))).toBe(true)
    })
  })

  it('ends the remote’s reads after the frames sent once a side closes for writing', async () => {
    const harness = await suite.open(2)
    harness.transport(1).handle('direct', (stream) => {
      void (async () => {
        const frames = await readAll(stream)
        await stream.send(text(`got ${frames.map(textOf).join(',')}`))
        await stream.closeWrite()
      })()
    })
    const stream = await (await harness.transport(0).dial(harness.target(1))).openStream('direct')
    for (const word of ['a', 'b', 'c']) await stream.send(text(word))
    await stream.closeWrite()
    expect((await rejectionOf(stream.send(text('late')))).name).toBe('StreamClosedError')
    // The other direction stays open after the half-close.
    expect(textOf(await stream.read())).toBe('got a,b,c')
    expect(await stream.read()).toBeUndefined()
  })

  it('resets a stream at both ends when one end aborts it', async () => {
    const harness = await suite.open(2)
    let remote: FrameStream | undefined
    harness.transport(1).handle('direct', (stream) => {
      remote = stream
    })
    const stream = await (await harness.transport(0).dial(harness.target(1))).openStream('direct')
    await stream.send(text('before'))
    await harness.waitFor(() => remote !== undefined, 'the handler receives the stream')
    const peer = defined(remote, 'the remote stream')
    const remoteEnd = rejectionOf(readAll(peer))
    stream.abort(new Error('test abort'))
    expect((await remoteEnd).name).toBe('StreamResetError')
    expect((await rejectionOf(peer.send(text('x')))).name).toBe('StreamResetError')
    expect((await rejectionOf(stream.send(text('x')))).name).toBe('StreamResetError')
    expect((await rejectionOf(stream.read())).name).toBe('StreamResetError')
  })

  it('resets streams of a kind without a handler, and again after unhandle', async () => {
    const harness = await suite.open(2)
    const b = harness.transport(1)
    const connection = await harness.transport(0).dial(harness.target(1))
    const orphan = await connection.openStream('bulk')
    orphan.send(text('anyone?')).catch(() => undefined)
    expect((await rejectionOf(readAll(orphan))).name).toBe('StreamResetError')

    b.handle('bulk', echo())
    expect((await exchange(await connection.openStream('bulk'), [text('hi')])).map(textOf)).toEqual(
      ['hi'],
    )
    b.unhandle('bulk')
    const late = await connection.openStream('bulk')
    late.send(text('gone?')).catch(() => undefined)
    expect((await rejectionOf(readAll(late))).name).toBe('StreamResetError')
  })
}
