// Benchmark B4 (PERF.md), pub/sub part: Plumtree over real HyParView (membership simulator,
// virtual time, 10–50 ms links). Build N nodes (default 1,000; X0X_B4_NODES or --nodes 10000 for
// the full run), warm the tree with 10 broadcasts, crash a fraction of the nodes at once (default
// 0.8), then publish 100 broadcasts from random survivors, 1 s apart. Figures: delivery ratio of
// the 1st, 10th and 100th broadcast after the failure, 1 s after publishing (tree and GRAFT) and
// at the end of the run (anti-entropy included). Writes bench/results/mass-failure-broadcast.json.
//
// Signatures are real and verified through `createMemoisedVerifier` by default (each distinct
// signature once for the whole simulation; `--verification per-node` verifies at every node), as
// in broadcast-sim. 10,000 nodes take ~8 CPU-minutes and ~4 GB here.
//
//   node packages/gossip-pubsub/bench/mass-failure-broadcast.ts [--nodes 1000] [--fractions 0.8]
//     [--seed 1] [--verification memoised|per-node]
import { parseArgs } from 'node:util'
import { createPqcBackend } from '@x0x/pqc'
import { createMemoisedVerifier, createOverlayBroadcast } from '@x0x/gossip-pubsub/testing'
import { round, writeBenchResult } from '@x0x/bench-kit'

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: process.env.X0X_B4_NODES ?? '1000' },
    fractions: { type: 'string', default: '0.8' },
    seed: { type: 'string', default: '1' },
    verification: { type: 'string', default: 'memoised' },
  },
})
const nodes = Number(values.nodes)
const fractions = values.fractions.split(',').map(Number)
const seed = Number(values.seed)
const verification = values.verification === 'per-node' ? 'per-node' : 'memoised'
const native = createPqcBackend('native')
const backend = verification === 'memoised' ? createMemoisedVerifier(native) : native
const payload = new Uint8Array(256)
const AFTER = [1, 10, 100]

const figures: Record<string, number> = {}
const summary: string[] = []
for (const fraction of fractions) {
  const started = performance.now()
  /** Progress of long runs on stderr: wall seconds and heap so far. */
  const progress = (phase: string) => {
    const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20)
    console.error(
      `  killed ${fraction} ${phase}: ${round((performance.now() - started) / 1000, 1)} s, heap ${heapMb} MiB`,
    )
  }
  const overlay = createOverlayBroadcast({ backend, simulation: { seed } })
  overlay.addNodes(nodes, 5)
  progress('joined')
  overlay.run(20_000)
  progress('settled')
  const random = overlay.simulation.random.derive('senders')
  const pick = () => random.pick(overlay.simulation.aliveNodes).index
  for (let index = 0; index < 10; index++) {
    overlay.publish(pick(), payload)
    overlay.run(1_000)
  }
  progress('warmed')
  overlay.simulation.killFraction(fraction)
  const survivors = () => overlay.simulation.aliveNodes.length - 1
  const ids = []
  const early: number[] = []
  for (let index = 0; index < 100; index++) {
    const id = overlay.publish(pick(), payload)
    ids.push(id)
    overlay.run(1_000)
    early.push(overlay.delivery(id).delivered / survivors())
  }
  overlay.run(10_000)
  progress('done')
  const key = `killed${Math.round(fraction * 100)}`
  for (const nth of AFTER) {
    const id = ids[nth - 1]
    if (id === undefined) continue
    figures[`n${nodes}_${key}_broadcast${nth}_delivery_ratio_1s`] = round(early[nth - 1] ?? 0, 4)
    figures[`n${nodes}_${key}_broadcast${nth}_delivery_ratio_final`] = round(
      overlay.delivery(id).delivered / survivors(),
      4,
    )
  }
  figures[`n${nodes}_${key}_wall_s`] = round((performance.now() - started) / 1000, 1)
  summary.push(
    `${key}%: ` +
      AFTER.map(
        (nth) =>
          `#${nth} ${round((figures[`n${nodes}_${key}_broadcast${nth}_delivery_ratio_1s`] ?? 0) * 100, 1)}% (final ${round((figures[`n${nodes}_${key}_broadcast${nth}_delivery_ratio_final`] ?? 0) * 100, 1)}%)`,
      ).join(', '),
  )
}
writeBenchResult(
  'mass-failure-broadcast',
  { nodes, fractions, seed, spacing_ms: 1_000, verification },
  figures,
)
console.log(`mass-failure-broadcast n=${nodes}: ${summary.join('; ')}`)
