// The part of a B6 child process that is the same for every implementation: the payload format,
// the publisher's send loop (flat out or paced), the subscriber's delivery record, and the IPC
// protocol with the orchestrator (mesh-loopback.ts). A child supplies `publish(bytes)` and calls
// `deliver(bytes)` for every message its implementation hands to the application.
//
// Payload (1 KiB): u8 kind (0 data, 1 probe) ‖ 3 zero bytes ‖ u32BE sequence ‖ f64BE send time
// (ms, performance.timeOrigin + performance.now(): one host, one clock) ‖ filler.
//
// Parent → child: {cmd:'status'} · {cmd:'probe'} · {cmd:'publish-run',count,rate,size} ·
// {cmd:'report'} · {cmd:'stop'} (plus implementation commands, see `onCommand`).
// Child → parent: {type:'ready',…} · {type:'status',…} · {type:'progress',delivered,probes}
// every PROGRESS_MS · {type:'published',startMs,endMs,sent,errors} · {type:'report',…}.
import { Buffer } from 'node:buffer'
import { performance } from 'node:perf_hooks'
import { clearInterval, setInterval } from 'node:timers'
import { setTimeout as sleep } from 'node:timers/promises'

const KIND_DATA = 0
const KIND_PROBE = 1
const HEADER_BYTES = 16
/** Progress reports are counts only, a few per second, so reporting never dominates. */
const PROGRESS_MS = 200

export function now() {
  return performance.timeOrigin + performance.now()
}

export function encodePayload(kind, sequence, size) {
  const bytes = Buffer.alloc(Math.max(size, HEADER_BYTES), 0x5a)
  bytes.writeUInt8(kind, 0)
  bytes.writeUInt8(0, 1)
  bytes.writeUInt16BE(0, 2)
  bytes.writeUInt32BE(sequence, 4)
  bytes.writeDoubleBE(now(), 8)
  return bytes
}

function decodePayload(bytes) {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.length < HEADER_BYTES) return undefined
  return { kind: view.readUInt8(0), sequence: view.readUInt32BE(4), sentMs: view.readDoubleBE(8) }
}

const blocker = new Int32Array(new SharedArrayBuffer(4))

/**
 * The slow subscriber's handler holds its event loop for `ms` without burning CPU (as a handler
 * waiting on synchronous I/O would), so on a 2-core machine the variant measures slowness, not
 * CPU starvation of the other nodes.
 */
function block(ms) {
  Atomics.wait(blocker, 0, 0, ms)
}

async function publishRun(publish, { count, rate, size }) {
  const startMs = now()
  let sent = 0
  let errors = 0
  const send = async (sequence) => {
    try {
      await publish(encodePayload(KIND_DATA, sequence, size))
      sent++
    } catch {
      errors++
    }
  }
  if (rate > 0) {
    const intervalMs = 1000 / rate
    for (let sequence = 0; sequence < count;) {
      const due = Math.min(count, Math.floor((now() - startMs) / intervalMs) + 1)
      while (sequence < due) await send(sequence++)
      if (sequence < count) await sleep(Math.max(0, startMs + sequence * intervalMs - now()))
    }
  } else {
    for (let sequence = 0; sequence < count; sequence++) await send(sequence)
  }
  return { startMs, endMs: now(), sent, errors }
}

/**
 * Runs the role of this child. `publish(bytes)` sends one message; `status()` and `extraReport()`
 * add implementation figures; `onCommand(message)` handles implementation commands; `close()`
 * shuts the node down. Returns `deliver(bytes)`.
 */
export function runRole({ slowMs = 0, publish, status, extraReport, onCommand, close }) {
  const seen = new Set()
  const latencies = []
  let probes = 0
  let duplicates = 0
  let firstMs = Number.NaN
  let lastMs = Number.NaN
  const send = (message) => {
    if (process.connected) process.send(message)
  }
  const deliver = (bytes) => {
    const at = now()
    const payload = decodePayload(bytes)
    if (payload === undefined) return
    if (payload.kind === KIND_PROBE) probes++
    else if (seen.has(payload.sequence)) duplicates++
    else {
      seen.add(payload.sequence)
      latencies.push(at - payload.sentMs)
      if (Number.isNaN(firstMs)) firstMs = at
      lastMs = at
    }
    if (slowMs > 0) block(slowMs)
  }
  const progress = setInterval(() => {
    send({ type: 'progress', delivered: seen.size, probes })
  }, PROGRESS_MS)
  const shutdown = async () => {
    clearInterval(progress)
    try {
      await close()
    } finally {
      process.exit(0)
    }
  }
  process.on('disconnect', () => void shutdown())
  process.on('message', (message) => {
    void (async () => {
      switch (message.cmd) {
        case 'status':
          send({ type: 'status', ...(await status()) })
          return
        case 'probe':
          try {
            await publish(encodePayload(KIND_PROBE, 0, 64))
          } catch {
            // no peers yet: the orchestrator probes again
          }
          return
        case 'publish-run':
          send({ type: 'published', ...(await publishRun(publish, message)) })
          return
        case 'report':
          send({
            type: 'report',
            delivered: seen.size,
            duplicates,
            probes,
            firstMs,
            lastMs,
            latencies,
            ...extraReport(),
          })
          return
        case 'stop':
          await shutdown()
          return
        default:
          await onCommand(message)
      }
    })().catch((error) => {
      send({ type: 'error', message: String(error?.stack ?? error) })
    })
  })
  return deliver
}
