// Benchmark B5 (PERF.md), membership part: SWIM over the active view on the simulator (real
// protocol core, virtual time), 1,000 nodes, links of 10–90 ms (jitter), 1, 5 and 10% packet loss,
// with loss either retransmitted as a QUIC stream does (`retransmit`) or lost for good as a
// datagram would be (`drop`, the harsher case). Figures: time from a crash to each neighbour
// declaring it dead (median, p99, max) and to the first neighbour doing so, false positives (live
// neighbours declared dead) over the node-hours observed, with the 95% upper bound per 1,000
// node-hours (3 / node-hours when none is seen), and membership messages sent per member per
// second. Virtual time makes hours cheap: the observation period is the knob. Writes
// bench/results/failure-detection.json and prints a one-line summary.
//
//   node packages/gossip-membership/bench/failure-detection.ts [--nodes 1000] [--losses 0.01,0.05,0.1] [--modes retransmit,drop] [--observe-s 600] [--crashes 20] [--seed 1]
//
// Runs the built package (`pnpm build` first). Presence's phi-accrual detector is measured by
// @x0x/presence.
import { parseArgs } from 'node:util'
import type { LossMode } from '@x0x/gossip-membership/testing'
import { createSimulation } from '@x0x/gossip-membership/testing'
import { percentile, round, writeBenchResult } from '@x0x/bench-kit'

interface Run {
  readonly detectionMs: number[]
  readonly firstDetectionMs: number[]
  readonly undetected: number
  readonly falsePositives: number
  readonly nodeHours: number
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
  const firstDetection = new Map<string, number>()
  simulation.onAction((node, action) => {
    if (action.type === 'send') sends++
    if (action.type !== 'neighbor:down' || action.reason !== 'failed') return
    if (crashed.has(action.peer.id)) {
      const elapsed = simulation.clock.now() - crashedAt
      detectionMs.push(elapsed)
      if (!firstDetection.has(action.peer.id)) firstDetection.set(action.peer.id, elapsed)
    } else if (simulation.node(action.peer.id)?.alive === true && node.alive) falsePositives++
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
    firstDetectionMs: [...firstDetection.values()],
    undetected: Math.max(0, expected - detectionMs.length),
    falsePositives,
    nodeHours,
    messagesPerMemberPerSecond,
  }
}

function main(): void {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '1000' },
      losses: { type: 'string', default: '0.01,0.05,0.1' },
      'observe-s': { type: 'string', default: '600' },
      modes: { type: 'string', default: 'retransmit,drop' },
      crashes: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
    },
  })
  const nodes = Number(values.nodes)
  const observeMs = Number(values['observe-s']) * 1_000
  const crashes = Number(values.crashes)
  const seed = Number(values.seed)
  const losses = values.losses.split(',').map(Number)
  const modes = values.modes.split(',') as LossMode[]
  let totalNodeHours = 0
  const figures: Record<string, number> = {}
  const summary: string[] = []
  for (const mode of modes) {
    for (const loss of losses) {
      const started = performance.now()
      const result = run(nodes, loss, mode, observeMs, crashes, seed)
      const key = `n${nodes}_loss${Math.round(loss * 100)}_${mode}`
      figures[`${key}_detect_p50_ms`] = round(percentile(result.detectionMs, 0.5))
      figures[`${key}_detect_p99_ms`] = round(percentile(result.detectionMs, 0.99))
      figures[`${key}_detect_max_ms`] = round(Math.max(...result.detectionMs))
      figures[`${key}_detect_first_p50_ms`] = round(percentile(result.firstDetectionMs, 0.5))
      figures[`${key}_detect_first_max_ms`] = round(Math.max(...result.firstDetectionMs))
      figures[`${key}_undetected`] = result.undetected
      figures[`${key}_node_hours`] = round(result.nodeHours, 1)
      figures[`${key}_false_positives`] = result.falsePositives
      figures[`${key}_false_positives_per_1000_node_hours`] = round(
        (result.falsePositives / result.nodeHours) * 1_000,
        3,
      )
      // 95% upper bound of a Poisson rate: 3 / T with no event seen; (k + 2√k + 2) / T roughly otherwise.
      const upper =
        result.falsePositives === 0
          ? 3
          : result.falsePositives + 2 * Math.sqrt(result.falsePositives) + 2
      figures[`${key}_false_positives_per_1000_node_hours_upper95`] = round(
        (upper / result.nodeHours) * 1_000,
        3,
      )
      totalNodeHours += result.nodeHours
      figures[`${key}_messages_per_member_per_s`] = round(result.messagesPerMemberPerSecond, 2)
      figures[`${key}_wall_s`] = round((performance.now() - started) / 1_000, 1)
      summary.push(
        `${mode} ${Math.round(loss * 100)}%: p50 ${figures[`${key}_detect_p50_ms`]} ms, p99 ${figures[`${key}_detect_p99_ms`]} ms, FP ${result.falsePositives} in ${round(result.nodeHours)} node-h`,
      )
    }
  }
  figures[`n${nodes}_node_hours_simulated`] = round(totalNodeHours, 1)
  const path = writeBenchResult(
    'failure-detection',
    { nodes, losses, modes, observe_s: observeMs / 1_000, crashes, seed, latency_ms: '10-90' },
    figures,
  )
  console.log(`failure-detection n=${nodes}: ${summary.join('; ')} → ${path}`)
}

main()
