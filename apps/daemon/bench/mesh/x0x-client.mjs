// One application of the B6 x0x side, run by mesh-loopback.ts as a child process with IPC: a
// WebSocket client of one `x0xd` (API.md §2.1). A subscriber sends `subscribe` and hands every
// `message` frame's payload to the shared delivery record; the publisher sends `publish` frames
// (no reply on success). The slow subscriber holds its event loop 5 ms per message, so it reads
// its socket no faster than that and the daemon's per-session queue fills.
//
//   env: X0X_BENCH_API (http://ip:port), X0X_BENCH_TOKEN, X0X_BENCH_TOPIC,
//        X0X_BENCH_ROLE (publisher | subscriber), X0X_BENCH_SLOW_MS
/* global WebSocket */
import { Buffer } from 'node:buffer'
import { runRole } from './node-role.mjs'

const api = process.env.X0X_BENCH_API ?? ''
const token = process.env.X0X_BENCH_TOKEN ?? ''
const topic = process.env.X0X_BENCH_TOPIC ?? 'x0x-bench'
const role = process.env.X0X_BENCH_ROLE ?? 'subscriber'
const slowMs = Number(process.env.X0X_BENCH_SLOW_MS ?? 0)

/** Frames other than `message`, by type: what the daemon told this client. */
const frameTypes = {}
/** Drops the daemon reported to this client (any frame whose type mentions a drop or lag). */
let droppedNotified = 0
let errors = 0
let lastError = ''
let disconnected = false
let closeCode = 0

const socket = new WebSocket(`${api.replace(/^http/, 'ws')}/ws?token=${token}`)
let deliver = () => undefined

function noteControlFrame(frame) {
  frameTypes[frame.type] = (frameTypes[frame.type] ?? 0) + 1
  if (frame.type === 'error') {
    errors++
    lastError = String(frame.message)
  }
  if (/drop|lag|overflow|skip/i.test(String(frame.type))) {
    const count = [frame.count, frame.dropped, frame.skipped, frame.missed].find(
      (value) => typeof value === 'number',
    )
    droppedNotified += count ?? 1
  }
}

const ready = new Promise((resolve, reject) => {
  socket.addEventListener('error', () => reject(new Error(`WebSocket to ${api} failed`)))
  socket.addEventListener('close', (event) => {
    disconnected = true
    closeCode = event.code
    reject(new Error(`WebSocket to ${api} closed (${event.code})`))
  })
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(String(event.data))
    if (frame.type === 'message') {
      deliver(Buffer.from(frame.payload, 'base64'))
      return
    }
    noteControlFrame(frame)
    if (frame.type === 'connected') {
      if (role === 'publisher') resolve()
      else socket.send(JSON.stringify({ type: 'subscribe', topics: [topic] }))
    } else if (frame.type === 'subscribed') resolve()
  })
})

deliver = runRole({
  slowMs,
  publish: (bytes) => {
    if (socket.readyState !== WebSocket.OPEN) throw new Error('WebSocket not open')
    socket.send(JSON.stringify({ type: 'publish', topic, payload: bytes.toString('base64') }))
  },
  status: () => ({ open: socket.readyState === WebSocket.OPEN }),
  extraReport: () => ({
    frameTypes,
    droppedNotified,
    errors,
    lastError,
    disconnected,
    closeCode,
    bufferedAmount: socket.bufferedAmount,
  }),
  onCommand: (message) => {
    throw new Error(`unknown command ${message.cmd}`)
  },
  close: async () => {
    socket.close()
  },
})

try {
  await ready
  process.send({ type: 'ready' })
} catch (error) {
  process.send({ type: 'error', message: String(error) })
  process.exit(1)
}
