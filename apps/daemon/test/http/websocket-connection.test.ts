import { EventEmitter } from 'node:events'
import type { WebSocket } from 'ws'
import { describe, expect, it } from 'vitest'
import { WebSocketConnection } from '../../src/http/websocket-connection.js'

/** A socket that holds `bufferedAmount` until the test releases it. */
function fakeSocket() {
  const sent: string[] = []
  const callbacks: (() => void)[] = []
  const socket = Object.assign(new EventEmitter(), {
    OPEN: 1,
    CONNECTING: 0,
    readyState: 1,
    bufferedAmount: 0,
    send(text: string, callback: () => void) {
      sent.push(text)
      callbacks.push(callback)
    },
    ping: () => undefined,
    terminate: () => undefined,
    close: () => undefined,
  })
  return { socket, sent, callbacks }
}

describe('WebSocketConnection', () => {
  it('drops the oldest messages of a client that fell behind and tells it before the next one', () => {
    const { socket, sent, callbacks } = fakeSocket()
    const connection = new WebSocketConnection(socket as unknown as WebSocket, 3, 60_000)
    socket.bufferedAmount = 2 * 1024 * 1024 // the client stopped reading
    for (let index = 0; index < 10; index++) connection.session.send({ n: index })
    expect(sent).toEqual([])
    expect(connection.session.dropped).toBe(7)
    socket.bufferedAmount = 0
    connection.session.send({ n: 10 })
    expect(sent.map((text) => JSON.parse(text) as unknown)).toEqual([
      { type: 'dropped', count: 8, total: 8 },
      { n: 8 },
      { n: 9 },
      { n: 10 },
    ])
    expect(callbacks.length).toBe(4)
    socket.emit('close')
  })
})
