// B8/B11 worker for our full QUIC transport (TLS bound to machine keys, the post-quantum session,
// sealed frames): `node transport-worker.mjs <test>` runs the client and forks the server, so the
// two nodes are separate processes. Prints one JSON line of figures. Runs the built package.
import { performance } from 'node:perf_hooks'
import { fork } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { generateMlDsa65KeyPair } from '@x0x/pqc'
import { createQuicTransport } from '@x0x/transport'

const [test, role] = process.argv.slice(2)
const CHUNK = 64 * 1024

function startTransport() {
  return createQuicTransport(
    { listen: { host: '127.0.0.1', port: 0 } },
    { machineKey: generateMlDsa65KeyPair() },
  )
}

/** `bulk`: counts the bytes of every frame, answers the total (u64) when the sender ends. */
async function sink(stream) {
  let total = 0n
  for await (const frame of stream) total += BigInt(frame.length)
  const reply = new Uint8Array(8)
  new DataView(reply.buffer).setBigUint64(0, total)
  await stream.send(reply)
  await stream.closeWrite()
}

async function echo(stream) {
  for await (const frame of stream) await stream.send(frame)
  await stream.closeWrite()
}

async function serve() {
  const transport = startTransport()
  transport.handle('bulk', (stream) => void sink(stream).catch(() => stream.abort()))
  transport.handle('direct', (stream) => void echo(stream).catch(() => stream.abort()))
  await transport.start()
  process.send({ machineId: transport.machineId, address: transport.listenAddresses[0] })
  process.on('message', (message) => {
    if (message === 'cpu') process.send({ cpu: process.cpuUsage() })
    if (message === 'exit') void transport.stop().then(() => process.exit(0))
  })
}

/** Sends `frames` on a new bulk stream; resolves with the byte count the server saw. */
async function upload(connection, frames) {
  const stream = await connection.openStream('bulk')
  for (const frame of frames) await stream.send(frame)
  await stream.closeWrite()
  const reply = await stream.read()
  await stream.close()
  return Number(new DataView(reply.buffer, reply.byteOffset).getBigUint64(0))
}

const quantile = (values, q) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]

async function connectFigures(client, target) {
  const connectMs = []
  const firstEchoMs = []
  for (let index = 0; index < 43; index++) {
    const started = performance.now()
    const connection = await client.dial(target)
    const connected = performance.now()
    const stream = await connection.openStream('direct')
    await stream.send(Uint8Array.of(1))
    await stream.read()
    const echoed = performance.now()
    await connection.close()
    if (index >= 3) {
      connectMs.push(connected - started)
      firstEchoMs.push(echoed - started)
    }
  }
  return {
    connect_median_ms: quantile(connectMs, 0.5),
    connect_p99_ms: quantile(connectMs, 0.99),
    connect_first_echo_median_ms: quantile(firstEchoMs, 0.5),
    connect_first_echo_p99_ms: quantile(firstEchoMs, 0.99),
  }
}

async function throughputFigures(connection) {
  const total = 64 * 1024 * 1024
  const chunk = randomBytes(CHUNK)
  const started = performance.now()
  const frames = (function* () {
    for (let sent = 0; sent < total && performance.now() - started < 30_000; sent += CHUNK) {
      yield chunk
    }
  })()
  const received = await upload(connection, frames)
  const figures = {
    one_stream_mib_per_s: received / 1048576 / ((performance.now() - started) / 1000),
  }
  if (received < total) figures.one_stream_capped_at_30s = 1
  return figures
}

/** CPU time (user + system, µs) of this process and of the server process so far. */
async function cpuMicros(child) {
  const server = await new Promise((resolve) => {
    child.once('message', (message) => resolve(message.cpu))
    child.send('cpu')
  })
  const client = process.cpuUsage()
  return client.user + client.system + server.user + server.system
}

async function requestResponseFigures(connection, child) {
  const stream = await connection.openStream('direct')
  const message = randomBytes(1024)
  for (let index = 0; index < 300; index++) {
    await stream.send(message)
    await stream.read()
  }
  let count = 0
  const cpuBefore = await cpuMicros(child)
  const started = performance.now()
  while (performance.now() - started < 3_000) {
    await stream.send(message)
    await stream.read()
    count++
  }
  const figures = {
    reqresp_1k_msgs_per_s: count / ((performance.now() - started) / 1000),
    // Both processes' CPU per message: steadier than the rate on a loaded machine.
    reqresp_1k_cpu_us_per_msg: ((await cpuMicros(child)) - cpuBefore) / count,
  }
  await stream.close()
  return figures
}

async function streamsFigures(connection) {
  const payload = randomBytes(5000)
  let completed = 0
  const one = async () => {
    if ((await upload(connection, [payload])) !== 5000) throw new Error('bad stream length')
    completed++
  }
  await Promise.all(Array.from({ length: 20 }, one))
  completed = 0
  const started = performance.now()
  for (let round = 0; round < 5 && performance.now() - started < 20_000; round++) {
    await Promise.all(Array.from({ length: 200 }, one))
  }
  return { streams_200x5kb_per_s: completed / ((performance.now() - started) / 1000) }
}

async function runClient() {
  const child = fork(new URL(import.meta.url), [test, 'server'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const target = await new Promise((resolve) => child.once('message', resolve))
  const client = startTransport()
  await client.start()
  const dialTarget = { machineId: target.machineId, addresses: [target.address] }
  let figures
  if (test === 'connect') figures = await connectFigures(client, dialTarget)
  else {
    const connection = await client.dial(dialTarget)
    if (test === 'throughput') figures = await throughputFigures(connection)
    else if (test === 'reqresp') figures = await requestResponseFigures(connection, child)
    else figures = await streamsFigures(connection)
  }
  await client.stop()
  child.send('exit')
  await new Promise((resolve) => child.once('exit', resolve))
  process.stdout.write(`${JSON.stringify({ test, figures })}\n`)
  process.exit(0)
}

if (role === 'server') await serve()
else await runClient()
