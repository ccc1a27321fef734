// Benchmark B3 (PERF.md): Plumtree over real HyParView on virtual time, 10–50 ms links. For each
// size (default 100 and 1,000; add 10,000 with --sizes or X0X_B3_SIZES, it is slow on a shared
// 2-core machine): build the overlay on the membership simulator, subscribe every node, then
// - one sender: 20 broadcasts from one node, 1 s apart;
// - random senders: 20 broadcasts from random nodes, 1 s apart;
// - burst: 50 broadcasts from random nodes within 50 ms.
// Figures: delivery ratio, RMR (MESSAGE frames received ÷ deliveries − 1; the first broadcasts
// flood until PRUNEs shape the tree, so "steady" is the mean over the last half), LDH (most hops to
// any delivery), pub/sub frames sent per node per broadcast (control and anti-entropy included).
// Writes bench/results/broadcast-sim.json.
//
//   node packages/gossip-pubsub/bench/broadcast-sim.ts [--sizes 100,1000] [--seed 1]
//
// Runs the built package (`pnpm build` first). Real ML-DSA-65 signatures, one key per node.
import { parseArgs } from 'node:util'
import { createPqcBackend } from '@x0x/pqc'
import { createOverlayBroadcast, type OverlayBroadcast } from '@x0x/gossip-pubsub/testing'
import { round, writeBenchResult } from '@x0x/bench-kit'

const JOIN_INTERVAL_MS = 5
const SETTLE_MS = 20_000
const SPACING_MS = 1_000
const BROADCASTS = 20
const BURST = 50

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: process.env.X0X_B3_SIZES ?? '100,1000' },
    seed: { type: 'string', default: '1' },
  },
})
const sizes = values.sizes.split(',').map(Number)
const seed = Number(values.seed)
const backend = createPqcBackend('native')
const payload = new Uint8Array(256)

interface Series {
  delivery: number
  rmrFirst: number
  rmrSteady: number
  ldh: number
  sendsPerNode: number
}

function series(
  overlay: OverlayBroadcast,
  pick: () => number,
  count: number,
  spacing: number,
): Series {
  const alive = () => overlay.simulation.aliveNodes.length
  const rmrs: number[] = []
  let delivered = 0
  let ldh = 0
  overlay.resetCounters()
  const ids = []
  for (let index = 0; index < count; index++) {
    const before = overlay.counters.messageFrames
    const id = overlay.publish(pick(), payload)
    ids.push(id)
    overlay.run(spacing)
    if (spacing > 0) {
      const figures = overlay.delivery(id)
      rmrs.push((overlay.counters.messageFrames - before) / Math.max(1, figures.delivered) - 1)
    }
  }
  if (spacing === 0) overlay.run(5_000)
  for (const id of ids) {
    const figures = overlay.delivery(id)
    delivered += figures.delivered
    ldh = Math.max(ldh, figures.lastDeliveryHops)
  }
  const burstRmr = overlay.counters.messageFrames / Math.max(1, delivered) - 1
  const steady = rmrs.slice(Math.floor(rmrs.length / 2))
  return {
    delivery: delivered / (count * (alive() - 1)),
    rmrFirst: rmrs[0] ?? burstRmr,
    rmrSteady: steady.length > 0 ? steady.reduce((a, b) => a + b, 0) / steady.length : burstRmr,
    ldh,
    sendsPerNode: overlay.counters.frames / alive() / count,
  }
}

const figures: Record<string, number> = {}
const summary: string[] = []
for (const size of sizes) {
  const started = performance.now()
  const overlay = createOverlayBroadcast({ backend, simulation: { seed } })
  overlay.addNodes(size, JOIN_INTERVAL_MS)
  overlay.run(SETTLE_MS)
  const random = overlay.simulation.random.derive('senders')
  const results = {
    one_sender: series(overlay, () => 0, BROADCASTS, SPACING_MS),
    random_senders: series(overlay, () => random.int(size), BROADCASTS, SPACING_MS),
    burst: series(overlay, () => random.int(size), BURST, 0),
  }
  for (const [name, result] of Object.entries(results)) {
    figures[`n${size}_${name}_delivery_ratio`] = round(result.delivery, 4)
    figures[`n${size}_${name}_rmr_first`] = round(result.rmrFirst, 3)
    figures[`n${size}_${name}_rmr`] = round(result.rmrSteady, 3)
    figures[`n${size}_${name}_ldh`] = result.ldh
    figures[`n${size}_${name}_sends_per_node_per_broadcast`] = round(result.sendsPerNode, 2)
  }
  figures[`n${size}_wall_s`] = round((performance.now() - started) / 1000, 1)
  const r = results.random_senders
  summary.push(
    `n=${size}: delivery ${round(r.delivery * 100, 2)}%, RMR ${round(r.rmrSteady, 3)} (first ${round(results.one_sender.rmrFirst, 2)}), LDH ${r.ldh}, burst delivery ${round(results.burst.delivery * 100, 2)}% RMR ${round(results.burst.rmrSteady, 3)}, ${figures[`n${size}_wall_s`]} s`,
  )
}
writeBenchResult(
  'broadcast-sim',
  {
    sizes,
    seed,
    latency_ms: '10-50',
    broadcasts: BROADCASTS,
    burst: BURST,
    spacing_ms: SPACING_MS,
    payload_bytes: payload.length,
  },
  figures,
)
console.log(`broadcast-sim: ${summary.join('; ')}`)
