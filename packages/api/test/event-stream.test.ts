import { describe, expect, it } from 'vitest'
import { EventStreamLimitError, parseEventStream, type RawServerSentEvent } from '../src/index.js'

const roomy = { maxLineLength: 1024, maxEventLength: 1024 }

function streamOf(chunks: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.close()
    },
  })
}

async function collect(chunks: readonly string[], limits = roomy): Promise<RawServerSentEvent[]> {
  const events: RawServerSentEvent[] = []
  for await (const event of parseEventStream(streamOf(chunks), limits)) events.push(event)
  return events
}

describe('parseEventStream', () => {
  it('parses named events, joins data lines and skips comments', async () => {
    const events = await collect([
      ':ping\n\nevent: message\ndata: {"a":\ndata: 1}\n\n',
      'data:x\n\n',
    ])
    expect(events).toEqual([
      { event: 'message', data: '{"a":\n1}', id: undefined },
      { event: 'message', data: 'x', id: undefined },
    ])
  })

  it('handles CRLF split across chunks and a leading BOM', async () => {
    const events = await collect(['\uFEFFevent: peer-lifecycle\r', '\ndata: {}\r\n\r', '\n'])
    expect(events).toEqual([{ event: 'peer-lifecycle', data: '{}', id: undefined }])
  })

  it('keeps the last id and drops an unterminated final event', async () => {
    const events = await collect(['id: 7\ndata: a\n\ndata: b'])
    expect(events).toEqual([{ event: 'message', data: 'a', id: '7' }])
  })

  it('does not dispatch events without data', async () => {
    expect(await collect(['event: x\n\n'])).toEqual([])
  })

  it('throws past the line limit without waiting for a newline', async () => {
    const limits = { maxLineLength: 16, maxEventLength: 1024 }
    await expect(collect(['data: ' + 'x'.repeat(32)], limits)).rejects.toThrow(
      EventStreamLimitError,
    )
  })

  it('throws past the event limit even with short lines', async () => {
    const limits = { maxLineLength: 64, maxEventLength: 20 }
    await expect(collect(['data: 0123456789\n'.repeat(3)], limits)).rejects.toThrow(
      EventStreamLimitError,
    )
  })
})
