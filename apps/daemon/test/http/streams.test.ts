// SSE and WebSocket routes, and what close() does to them and to api.port.
import { EventEmitter } from 'node:events'
import { access, readFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SseStream } from '../../src/http/sse-stream.js'
import { startTestServer, TOKEN } from './test-server.js'

/** Reads a response body until `predicate` holds for the text so far (bounded by the test timeout). */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  predicate: (text: string) => boolean,
): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''
  while (!predicate(text)) {
    const { done, value } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
  }
  return text
}

function openWebSocket(url: string): Promise<{ socket: WebSocket; messages: unknown[] }> {
  const socket = new WebSocket(url)
  const messages: unknown[] = []
  socket.addEventListener('message', (event) => {
    messages.push(JSON.parse(String(event.data)))
  })
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => {
      resolve({ socket, messages })
    })
    socket.addEventListener('error', () => {
      reject(new Error('websocket refused'))
    })
  })
}

async function until(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 400 && !condition(); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  expect(condition()).toBe(true)
}

describe('SSE', () => {
  it('delivers named events with JSON data and keep-alive comments', async () => {
    const running = await startTestServer()
    try {
      const response = await running.authed('/events')
      expect(response.headers.get('content-type')).toBe('text/event-stream')
      const reader = (response.body as ReadableStream<Uint8Array>).getReader()
      const text = await readUntil(reader, (so) => so.includes(':ping\n\n'))
      expect(text).toBe('event: message\ndata: {"type":"message","data":{"n":1}}\n\n:ping\n\n')
      await reader.cancel()
    } finally {
      await running.stop()
    }
  })

  it('drops the oldest events for a client whose socket is full, counts them and tells it', () => {
    const response = Object.assign(new EventEmitter(), {
      headersSent: false,
      writableEnded: false,
      written: [] as string[],
      writeHead() {
        this.headersSent = true
      },
      flushHeaders: () => undefined,
      write(frame: string) {
        this.written.push(frame)
        return this.written.length < 2 // the socket takes two frames, then needs a drain
      },
      end() {
        this.writableEnded = true
      },
    })
    const stream = new SseStream(
      response as unknown as ServerResponse,
      3,
      new AbortController().signal,
    )
    stream.open({})
    for (let index = 0; index < 10; index++) stream.sink.send('n', index)
    expect(response.written).toEqual(['event: n\ndata: 0\n\n', 'event: n\ndata: 1\n\n'])
    expect(stream.dropped).toBe(5)
    expect(stream.sink.dropped).toBe(5)
    response.emit('drain')
    // The gap is announced before the next event the client does get.
    expect(response.written.slice(2)).toEqual(['event: dropped\ndata: {"count":5,"total":5}\n\n'])
    response.emit('drain')
    expect(response.written.slice(3)).toEqual(['event: n\ndata: 7\n\n'])
    response.emit('drain')
    response.emit('drain')
    expect(response.written.slice(4)).toEqual(['event: n\ndata: 8\n\n', 'event: n\ndata: 9\n\n'])
  })

  it('ends an open stream when the server closes', async () => {
    const running = await startTestServer()
    const response = await running.authed('/events')
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    await readUntil(reader, (text) => text.includes(':ping'))
    const started = Date.now()
    await running.stop()
    expect(Date.now() - started).toBeLessThan(2_000)
    await readUntil(reader, () => false) // returns once the stream is done
  })
})

describe('WebSocket', () => {
  it('round-trips JSON text frames with ?token=', async () => {
    const running = await startTestServer()
    try {
      const url = `ws://${running.server.address}/ws?token=${TOKEN}`
      const { socket, messages } = await openWebSocket(url)
      socket.send(JSON.stringify({ type: 'ping', n: 2 }))
      await until(() => messages.length === 2)
      expect(messages).toEqual([
        { type: 'connected' },
        { type: 'echo', data: { type: 'ping', n: 2 } },
      ])
      socket.close()
    } finally {
      await running.stop()
    }
  })

  it('refuses an upgrade without a token and to a path without a WebSocket handler', async () => {
    const running = await startTestServer()
    try {
      await expect(openWebSocket(`ws://${running.server.address}/ws`)).rejects.toThrow()
      const direct = `ws://${running.server.address}/ws/direct?token=${TOKEN}`
      await expect(openWebSocket(direct)).rejects.toThrow()
      const plain = await running.authed('/ws')
      expect(plain.status).toBe(400)
    } finally {
      await running.stop()
    }
  })

  it('closes sessions on server close, within 2 s', async () => {
    const running = await startTestServer()
    const { socket } = await openWebSocket(`ws://${running.server.address}/ws?token=${TOKEN}`)
    const closed = new Promise<number>((resolve) => {
      socket.addEventListener('close', (event) => {
        resolve(event.code)
      })
    })
    const started = Date.now()
    await running.stop()
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(await closed).toBe(1001)
  })
})

describe('api.port', () => {
  it('holds the bound address while running and is removed on close', async () => {
    const running = await startTestServer()
    const path = join(running.dataDir, 'api.port')
    expect((await readFile(path, 'utf8')).trim()).toBe(running.server.address)
    expect(running.server.address).toMatch(/^127\.0\.0\.1:\d+$/)
    await running.server.close()
    await expect(access(path)).rejects.toThrow()
    await running.stop()
  })
})
