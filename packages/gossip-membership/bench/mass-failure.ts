// Benchmark B4 (PERF.md), membership part: build an overlay of N nodes (default 10,000) on the
// simulator (real protocol core, lightweight network, virtual time, 10–50 ms links), crash 50, 70,
// 80 and 90% of the nodes at once, and measure the survivors' overlay: largest component after
// 1, 5 and 10 probe periods, and the virtual time until it is one component with no dead links
// and no isolated node. Writes bench/results/mass-failure.json and prints a one-line summary.
//
//   node packages/gossip-membership/bench/mass-failure.ts [--nodes 10000] [--fractions 0.5,0.7,0.8,0.9] [--seed 1]
//
// Runs the built package (`pnpm build` first). Delivery of broadcasts after the failure is B4's
// pub/sub part, measured by @x0x/gossip-pubsub over the same simulator.
import { parseArgs } from 'node:util'
import { createSimulation, type Simulation } from '@x0x/gossip-membership/testing'
import { round, writeBenchResult } from '@x0x/bench-kit'

const JOIN_INTERVAL_MS = 5
const SETTLE_MS = 20_000
const MAX_REPAIR_MS = 120_000

function build(nodes: number, seed: number): { simulation: Simulation; buildSeconds: number } {
  const started = performance.now()
  const simulation = createSimulation({ seed })
  simulation.addNodes(nodes, { intervalMs: JOIN_INTERVAL_MS })
  simulation.run(SETTLE_MS)
  return { simulation, buildSeconds: (performance.now() - started) / 1000 }
}

function repaired(simulation: Simulation): boolean {
  const metrics = simulation.metrics()
  return metrics.connected && metrics.deadLinks === 0 && metrics.isolatedNodes === 0
}

function main(): void {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '10000' },
      fractions: { type: 'string', default: '0.5,0.7,0.8,0.9' },
      seed: { type: 'string', default: '1' },
    },
  })
  const nodes = Number(values.nodes)
  const seed = Number(values.seed)
  const fractions = values.fractions.split(',').map(Number)
  const figures: Record<string, number> = {}
  const summary: string[] = []
  for (const fraction of fractions) {
    const { simulation, buildSeconds } = build(nodes, seed)
    const before = simulation.metrics()
    const percent = Math.round(fraction * 100)
    const key = `n${nodes}_killed${percent}`
    figures[`n${nodes}_build_wall_s`] = round(buildSeconds, 1)
    figures[`n${nodes}_active_view_mean`] = round(before.activeViewMean, 2)
    figures[`n${nodes}_passive_view_mean`] = round(before.passiveViewMean, 1)
    figures[`n${nodes}_in_degree_stddev`] = round(before.inDegreeStandardDeviation, 2)
    figures[`n${nodes}_clustering`] = round(before.clusteringCoefficient, 4)
    figures[`n${nodes}_connected_before`] = before.connected ? 1 : 0
    simulation.killFraction(fraction)
    const started = performance.now()
    // Checked every probe period, so the repair time is exact to one period.
    let repairMs: number | undefined
    for (let period = 1; period * 1_000 <= MAX_REPAIR_MS; period++) {
      simulation.run(1_000)
      if ([1, 5, 10].includes(period)) {
        const metrics = simulation.metrics()
        figures[`${key}_largest_component_after_${period}_periods`] = round(
          metrics.largestComponentFraction,
          4,
        )
        figures[`${key}_isolated_after_${period}_periods`] = metrics.isolatedNodes
      }
      if (repairMs === undefined && repaired(simulation)) repairMs = period * 1_000
      if (repairMs !== undefined && period >= 10) break
    }
    const after = simulation.metrics()
    figures[`${key}_repair_ms`] = repairMs ?? -1
    figures[`${key}_largest_component_final`] = round(after.largestComponentFraction, 4)
    figures[`${key}_active_view_mean_final`] = round(after.activeViewMean, 2)
    figures[`${key}_repair_wall_s`] = round((performance.now() - started) / 1000, 1)
    summary.push(`${percent}%: ${repairMs === undefined ? 'not repaired' : `${repairMs} ms`}`)
  }
  const path = writeBenchResult(
    'mass-failure',
    { nodes, fractions, seed, latency_ms: '10-50' },
    figures,
  )
  console.log(
    `mass-failure n=${nodes}: overlay repaired after ${summary.join(', ')} (virtual) → ${path}`,
  )
}

main()
