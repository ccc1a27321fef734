// Benchmark B5 (PERF.md), membership part: SWIM over the active view on the simulator (real
// protocol core, virtual time), 1,000 nodes, links of 10–90 ms (jitter), 1, 5 and 10% packet loss,
// with loss either retransmitted as a QUIC stream does (`retransmit`) or lost for good as a
// datagram would be (`drop`, the harsher case). Figures: time from a crash to each neighbour
// declaring it dead (median, p99, max), false positives (live neighbours declared dead) per 1,000
// node-hours, and membership messages sent per member per second. Writes
// bench/results/failure-detection.json and prints a one-line summary.
//
//   node packages/gossip-membership/bench/failure-detection.ts [--nodes 1000] [--losses 0.01,0.05,0.1] [--observe-s 600] [--crashes 20] [--seed 1]
//
// Runs the built package (`pnpm build` first). Presence's phi-accrual detector is measured by
// @x0x/presence.
import { parseArgs } from 'node:util'
import type { LossMode } from '@x0x/gossip-membership/testing'
import { createSimulation } from '@x0x/gossip-membership/testing'
import { percentile, round, writeResult } from './support/bench-result.ts'

interface Run {
  readonly detectionMs: number[]
  readonly undetected: number
  readonly falsePositivesPer1000NodeHours: number
  readonly messagesPerMemberPerSecond: number
}

function run(
  nodes: number,
  loss: number,
  mode: LossMode,
  observeMs: number,
  crashes: number,
  seed: number,
): Run {
  const simulation = createSimulation({
    seed,
    latency: { minMs: 10, maxMs: 90 },
    lossRate: loss,
    lossMode: mode,
  })
  simulation.addNodes(nodes, { intervalMs: 10 })
  simulation.run(20_000)
  // False positives: live neighbours declared dead while nobody crashes.
  let falsePositives = 0
  let sends = 0
  let crashedAt = Number.POSITIVE_INFINITY
  const crashed = new Set<string>()
  const detectionMs: number[] = []
  simulation.onAction((node, action) => {
    if (action.type === 'send') sends++
    if (action.type !== 'neighbor:down' || action.reason !== 'failed') return
    if (crashed.has(action.peer.id)) detectionMs.push(simulation.clock.now() - crashedAt)
    else if (simulation.node(action.peer.id)?.alive === true && node.alive) falsePositives++
  })
  simulation.run(observeMs)
  const nodeHours = (nodes * observeMs) / 3_600_000
  const messagesPerMemberPerSecond = sends / nodes / (observeMs / 1_000)
  // Detection: crash nodes at once; each live neighbour should declare each one dead.
  const victims = simulation.random.sample(simulation.aliveNodes, crashes)
  const victimIds = new Set(victims.map((victim) => victim.id))
  let expected = 0
  for (const victim of victims) {
    for (const node of simulation.aliveNodes) {
      if (!victimIds.has(node.id) && node.state.active.has(victim.id)) expected++
    }
  }
  for (const victim of victims) crashed.add(victim.id)
  crashedAt = simulation.clock.now()
  simulation.kill(victims)
  simulation.run(30_000)
  return {
    detectionMs,
    undetected: Math.max(0, expected - detectionMs.length),
    falsePositivesPer1000NodeHours: (falsePositives / nodeHours) * 1_000,
    messagesPerMemberPerSecond,
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '1000' },
      losses: { type: 'string', default: '0.01,0.05,0.1' },
      'observe-s': { type: 'string', default: '600' },
      crashes: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
    },
  })
  const nodes = Number(values.nodes)
  const observeMs = Number(values['observe-s']) * 1_000
  const crashes = Number(values.crashes)
  const seed = Number(values.seed)
  const losses = values.losses.split(',').map(Number)
  const figures: Record<string, number> = {}
  const summary: string[] = []
  for (const mode of ['retransmit', 'drop'] as const) {
    for (const loss of losses) {
      const started = performance.now()
      const result = run(nodes, loss, mode, observeMs, crashes, seed)
      const key = `n${nodes}_loss${Math.round(loss * 100)}_${mode}`
      figures[`${key}_detect_p50_ms`] = round(percentile(result.detectionMs, 0.5))
      figures[`${key}_detect_p99_ms`] = round(percentile(result.detectionMs, 0.99))
      figures[`${key}_detect_max_ms`] = round(Math.max(...result.detectionMs))
      figures[`${key}_undetected`] = result.undetected
      figures[`${key}_false_positives_per_1000_node_hours`] = round(
        result.falsePositivesPer1000NodeHours,
        2,
      )
      figures[`${key}_messages_per_member_per_s`] = round(result.messagesPerMemberPerSecond, 2)
      figures[`${key}_wall_s`] = round((performance.now() - started) / 1_000, 1)
      summary.push(
        `${mode} ${Math.round(loss * 100)}%: p50 ${figures[`${key}_detect_p50_ms`]} ms, p99 ${figures[`${key}_detect_p99_ms`]} ms, FP ${figures[`${key}_false_positives_per_1000_node_hours`]}/1000 node-h`,
      )
    }
  }
  const path = writeResult(
    'failure-detection',
    { nodes, losses, observe_s: observeMs / 1_000, crashes, seed, latency_ms: '10-90' },
    figures,
  )
  console.log(`failure-detection n=${nodes}: ${summary.join('; ')} → ${path}`)
}

main()
