// The cost of the in-memory network that the gossip simulations (B3–B5 in PERF.md) run on: n
// nodes each dial 4 random others (about 8 connections per node) over links of 10–50 ms in
// virtual time, then every node sends one 1 KiB frame on a new stream to each neighbour. Reports
// the wall time of both phases, frames per second, and the heap held, for n = 1,000 and 10,000
// by default. Medians over `--runs`. Writes bench/results/memory-network.json and prints a
// one-line summary.
//
//   node packages/transport/bench/memory-network.ts [--sizes 1000,10000] [--runs 3]
//
// Runs the built package (`pnpm build` first), as an application would.
import { parseArgs } from 'node:util'
import { VirtualClock, createRandom } from '@x0x/base'
import { median, round, writeBenchResult } from '@x0x/bench-kit'
import { createMemoryNetwork, type Connection, type MemoryTransport } from '@x0x/transport'

const DIALS_PER_NODE = 4
const FRAME_BYTES = 1024

interface Run {
  connectMs: number
  connections: number
  fanoutMs: number
  frames: number
  heapMb: number
}

async function runOnce(size: number, seed: number): Promise<Run> {
  const clock = new VirtualClock()
  const network = createMemoryNetwork({ seed, link: { latencyMs: 10, jitterMs: 40 } }, { clock })
  let frames = 0
  const nodes: MemoryTransport[] = []
  for (let index = 0; index < size; index++) {
    const transport = network.createTransport()
    transport.handle('pubsub', (stream) => {
      void (async () => {
        for await (const _frame of stream) frames++
      })()
    })
    await transport.start()
    nodes.push(transport)
  }
  const random = createRandom(seed)
  const connectStart = performance.now()
  const dials: Promise<Connection>[] = []
  for (const [index, from] of nodes.entries()) {
    for (let dial = 0; dial < DIALS_PER_NODE; dial++) {
      let other = random.int(size - 1)
      if (other >= index) other++
      const to = nodes[other] as MemoryTransport
      dials.push(from.dial({ machineId: to.machineId, addresses: to.listenAddresses }))
    }
  }
  await network.flush({ maxSteps: 10_000_000 })
  await Promise.all(dials)
  const connectMs = performance.now() - connectStart
  const connections = nodes.reduce((sum, node) => sum + node.getConnections().length, 0) / 2

  const fanoutStart = performance.now()
  const frame = new Uint8Array(FRAME_BYTES)
  for (const node of nodes) {
    for (const connection of node.getConnections()) {
      const stream = await connection.openStream('pubsub')
      await stream.send(frame)
      await stream.closeWrite()
    }
  }
  await network.flush({ maxSteps: 10_000_000 })
  const fanoutMs = performance.now() - fanoutStart
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20
  await network.stop()
  await network.flush({ maxSteps: 10_000_000 })
  return { connectMs, connections, fanoutMs, frames, heapMb }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,10000' },
      runs: { type: 'string', default: '3' },
    },
  })
  const sizes = values.sizes.split(',').map(Number)
  const runs = Number(values.runs)
  const figures: Record<string, number> = {}
  for (const size of sizes) {
    const results: Run[] = []
    for (let run = 0; run < runs; run++) {
      results.push(await runOnce(size, run + 1))
      process.stderr.write(`n=${size} run ${run + 1}: ${JSON.stringify(results.at(-1))}\n`)
    }
    const key = `n${size}`
    figures[`${key}_connect_ms`] = round(median(results.map((result) => result.connectMs)))
    figures[`${key}_connections_per_node`] = round(
      median(results.map((result) => (2 * result.connections) / size)),
      2,
    )
    figures[`${key}_fanout_ms`] = round(median(results.map((result) => result.fanoutMs)))
    figures[`${key}_fanout_frames_per_s`] = round(
      median(results.map((result) => result.frames / (result.fanoutMs / 1000))),
    )
    figures[`${key}_heap_mb`] = round(median(results.map((result) => result.heapMb)))
  }
  writeBenchResult(
    'memory-network',
    {
      sizes,
      runs,
      dials_per_node: DIALS_PER_NODE,
      frame_bytes: FRAME_BYTES,
      latency_ms: '10-50',
    },
    figures,
  )
  console.log(
    `memory-network: ${sizes
      .map(
        (size) =>
          `n=${size} connect ${figures[`n${size}_connect_ms`]} ms, fan-out ${figures[`n${size}_fanout_frames_per_s`]} frames/s, heap ${figures[`n${size}_heap_mb`]} MB`,
      )
      .join('; ')}`,
  )
}

await main()
