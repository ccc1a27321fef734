// Benchmark B3 (PERF.md): Plumtree over real HyParView on virtual time, 10–50 ms links. For each
// size (default 100 and 1,000; add 10,000 with --sizes or X0X_B3_SIZES, minutes on a shared 2-core
// machine): build the overlay on the membership simulator, subscribe every node, then
// - one sender: 20 broadcasts from one node, 1 s apart;
// - random senders: 20 broadcasts from random nodes, 1 s apart;
// - burst: 50 broadcasts from random nodes within 50 ms.
// Figures: delivery ratio, RMR (MESSAGE frames received ÷ deliveries − 1; the first broadcasts
// flood until PRUNEs shape the tree, so "steady" is the mean over the last half), LDH (last delivery
// hop: `ldh` the most hops to any delivery of the series, `ldh_median` the median over broadcasts of
// each one's last delivery hop), pub/sub frames sent per node per broadcast (control and
// anti-entropy included), and the shapes behind LDH: the overlay's radius and diameter (no
// broadcast reaches everyone in fewer hops than its sender's eccentricity), the bound 2·radius − 1
// under the diameter of any one spanning tree shared by all senders, and the diameter of the
// topic's tree after the one-sender and random-senders series.
// Each figure is the median over seeds (default 1,2,3; from 10,000 nodes `--large-seeds`, default
// 1). Writes bench/results/broadcast-sim.json.
//
// `--interest f` (interest-scoped trees) subscribes only a seeded fraction f of the nodes and
// runs the one-sender and random-senders series (any node may send, subscribed or not): delivery
// to subscribers, RMR among subscribers (MESSAGE frames they received ÷ their deliveries − 1),
// LDH, and MESSAGE frames per broadcast received per interested and per uninterested node
// (`interested` = subscribers plus the series' senders: only a steady publisher joins the tree,
// a one-off sender pushes forward-only towards it, docs/protocols/pubsub.md).
// Writes bench/results/broadcast-sim-interest.json.
//
//   node packages/gossip-pubsub/bench/broadcast-sim.ts [--sizes 100,1000,10000] [--seeds 1,2,3]
//     [--large-seeds 1] [--verification memoised|per-node] [--interest 0.1]
//     [--optimization-threshold 7]
//
// Runs the built package (`pnpm build` first). Real ML-DSA-65 signatures, one key per node,
// signed once per broadcast. Verification is memoised by default: every node verifies the same
// bytes, so each distinct (key, message, signature) is verified once for the whole simulation
// (`createMemoisedVerifier`) and the run measures the tree, not ML-DSA (B2 measures per-node
// verification). `--verification per-node` verifies at every node (≈ 4 s of CPU per broadcast
// at 10,000 nodes here).
import { parseArgs } from 'node:util'
import { createRandom } from '@x0x/base'
import { createPqcBackend } from '@x0x/pqc'
import {
  createMemoisedVerifier,
  createOverlayBroadcast,
  graphShape,
  type OverlayBroadcast,
} from '@x0x/gossip-pubsub/testing'
import { median, round, writeBenchResult } from '@x0x/bench-kit'

const JOIN_INTERVAL_MS = 5
const SETTLE_MS = 20_000
const SPACING_MS = 1_000
const BROADCASTS = 20
const BURST = 50

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: process.env.X0X_B3_SIZES ?? '100,1000' },
    seeds: { type: 'string', default: '1,2,3' },
    'large-seeds': { type: 'string', default: '1' },
    verification: { type: 'string', default: 'memoised' },
    interest: { type: 'string' },
    'optimization-threshold': { type: 'string' },
  },
})
const optimizationThreshold =
  values['optimization-threshold'] === undefined
    ? undefined
    : Number(values['optimization-threshold'])
const pubsub = optimizationThreshold === undefined ? {} : { optimizationThreshold }
const interest = values.interest === undefined ? undefined : Number(values.interest)
const sizes = values.sizes.split(',').map(Number)
const smallSeeds = values.seeds.split(',').map(Number)
const largeSeeds = values['large-seeds'].split(',').map(Number)
/** From this size on, runs use `--large-seeds` (one 10,000-node run takes minutes here). */
const LARGE = 10_000
const verification = values.verification === 'per-node' ? 'per-node' : 'memoised'
const native = createPqcBackend('native')
const backend = verification === 'memoised' ? createMemoisedVerifier(native) : native
const payload = new Uint8Array(256)

interface Series {
  delivery: number
  rmrFirst: number
  rmrSteady: number
  /** The most hops to any delivery over the series. */
  ldh: number
  /** The median over broadcasts of each broadcast's last delivery hop. */
  ldhMedian: number
  sendsPerNode: number
}

/** The fraction `interest` of nodes, seeded by `seed`, that subscribe. */
function subscriberSet(size: number, seed: number, fraction: number): Set<number> {
  const random = createRandom(seed).derive('interest')
  const chosen = new Set<number>()
  for (let index = 0; index < size; index++) if (random.float() < fraction) chosen.add(index)
  return chosen
}

interface InterestSeries {
  delivery: number
  rmr: number
  ldh: number
  interestedFrames: number
  uninterestedFrames: number
}

function interestSeries(
  overlay: OverlayBroadcast,
  subscribers: ReadonlySet<number>,
  pick: () => number,
): InterestSeries {
  overlay.resetCounters()
  const origins: number[] = []
  const ids = []
  for (let index = 0; index < BROADCASTS; index++) {
    const sender = pick()
    origins.push(sender)
    ids.push(overlay.publish(sender, payload))
    overlay.run(SPACING_MS)
  }
  overlay.run(5_000)
  let delivered = 0
  let expected = 0
  const ldhs: number[] = []
  ids.forEach((id, index) => {
    const figures = overlay.delivery(id)
    delivered += figures.delivered
    ldhs.push(figures.lastDeliveryHops)
    expected += subscribers.size - (subscribers.has(origins[index] ?? -1) ? 1 : 0)
  })
  const senders = new Set(origins)
  const frames = overlay.counters.messageFramesByNode
  const size = overlay.simulation.nodes.length
  let subscriberFrames = 0
  let interested = 0
  let interestedFrames = 0
  for (let index = 0; index < size; index++) {
    if (subscribers.has(index)) subscriberFrames += frames[index] ?? 0
    if (subscribers.has(index) || senders.has(index)) {
      interested++
      interestedFrames += frames[index] ?? 0
    }
  }
  const total = frames.reduce((sum, count) => sum + count, 0)
  return {
    delivery: delivered / Math.max(1, expected),
    rmr: subscriberFrames / Math.max(1, delivered) - 1,
    ldh: Math.max(...ldhs),
    interestedFrames: interestedFrames / interested / BROADCASTS,
    uninterestedFrames: (total - interestedFrames) / (size - interested) / BROADCASTS,
  }
}

function runInterest(
  size: number,
  seed: number,
  fraction: number,
  figures: Record<string, number>,
  recorded: () => void,
): void {
  const started = performance.now()
  const subscribers = subscriberSet(size, seed, fraction)
  const overlay = createOverlayBroadcast({
    backend,
    simulation: { seed },
    subscribed: (index) => subscribers.has(index),
  })
  overlay.addNodes(size, JOIN_INTERVAL_MS)
  overlay.run(SETTLE_MS)
  figures.subscribers = subscribers.size
  const random = overlay.simulation.random.derive('senders')
  const plan = [
    ['one_sender', () => 0],
    ['random_senders', () => random.int(size)],
  ] as const
  for (const [name, pick] of plan) {
    const result = interestSeries(overlay, subscribers, pick)
    figures[`${name}_delivery_ratio`] = result.delivery
    figures[`${name}_rmr`] = result.rmr
    figures[`${name}_ldh`] = result.ldh
    figures[`${name}_frames_per_interested_node`] = result.interestedFrames
    figures[`${name}_frames_per_uninterested_node`] = result.uninterestedFrames
    figures.wall_s = (performance.now() - started) / 1000
    console.error(
      `  n=${size} seed ${seed} interest ${fraction} ${name}: ${round(figures.wall_s, 1)} s`,
    )
    recorded()
  }
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
  const ldhs: number[] = []
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
    ldhs.push(figures.lastDeliveryHops)
  }
  const burstRmr = overlay.counters.messageFrames / Math.max(1, delivered) - 1
  const steady = rmrs.slice(Math.floor(rmrs.length / 2))
  return {
    delivery: delivered / (count * (alive() - 1)),
    rmrFirst: rmrs[0] ?? burstRmr,
    rmrSteady: steady.length > 0 ? steady.reduce((a, b) => a + b, 0) / steady.length : burstRmr,
    ldh: Math.max(...ldhs),
    ldhMedian: median(ldhs),
    sendsPerNode: overlay.counters.frames / alive() / count,
  }
}

/** The membership overlay (active views) as adjacency lists of node indices. */
function overlayLinks(overlay: OverlayBroadcast): number[][] {
  const { simulation } = overlay
  return simulation.nodes.map((node) =>
    [...node.state.active.keys()].flatMap((id) => simulation.node(id)?.index ?? []),
  )
}

/** The topic's tree (eager links, taken in either direction) as adjacency lists of node indices. */
function treeLinks(overlay: OverlayBroadcast): number[][] {
  const { simulation } = overlay
  const links = simulation.nodes.map(() => new Set<number>())
  simulation.nodes.forEach((node, index) => {
    for (const peer of overlay.node(index).treeLinks(overlay.topic)?.eager ?? []) {
      const other = simulation.node(peer)?.index
      if (other === undefined) continue
      links[index]?.add(other)
      links[other]?.add(index)
    }
  })
  return links.map((set) => [...set])
}

/**
 * One run of every series at `size` with `seed`, recording figures (keyed without the size
 * prefix) into `figures` and calling `recorded` after each series, so a long run that is stopped
 * keeps what it measured.
 */
function runSize(
  size: number,
  seed: number,
  figures: Record<string, number>,
  recorded: () => void,
): void {
  const started = performance.now()
  const overlay = createOverlayBroadcast({ backend, simulation: { seed }, pubsub })
  overlay.addNodes(size, JOIN_INTERVAL_MS)
  overlay.run(SETTLE_MS)
  figures.build_wall_s = (performance.now() - started) / 1000
  // What any broadcast needs at least: the overlay's eccentricities. A shared tree's diameter is
  // at least 2·radius − 1 (its centre c has ecc_T(c) = ⌈D/2⌉ ≥ ecc_G(c) ≥ radius).
  const overlayShape = graphShape(overlayLinks(overlay))
  figures.overlay_radius = overlayShape.radius
  figures.overlay_diameter = overlayShape.diameter
  figures.shared_tree_diameter_bound = 2 * overlayShape.radius - 1
  const random = overlay.simulation.random.derive('senders')
  const plan = [
    ['one_sender', () => 0, BROADCASTS, SPACING_MS],
    ['random_senders', () => random.int(size), BROADCASTS, SPACING_MS],
    ['burst', () => random.int(size), BURST, 0],
  ] as const
  for (const [name, pick, count, spacing] of plan) {
    const result = series(overlay, pick, count, spacing)
    figures[`${name}_delivery_ratio`] = result.delivery
    figures[`${name}_rmr_first`] = result.rmrFirst
    figures[`${name}_rmr`] = result.rmrSteady
    figures[`${name}_ldh`] = result.ldh
    figures[`${name}_ldh_median`] = result.ldhMedian
    figures[`${name}_sends_per_node_per_broadcast`] = result.sendsPerNode
    if (spacing > 0) figures[`${name}_tree_diameter`] = graphShape(treeLinks(overlay)).diameter
    figures.wall_s = (performance.now() - started) / 1000
    // Progress of long runs on stderr.
    const heapMb = Math.round(process.memoryUsage().heapUsed / 2 ** 20)
    console.error(
      `  n=${size} seed ${seed} ${name}: ${round(figures.wall_s, 1)} s, heap ${heapMb} MiB`,
    )
    recorded()
  }
}

const DIGITS: Record<string, number> = { delivery_ratio: 4, rmr_first: 3, rmr: 3, wall_s: 1 }
const digitsOf = (key: string) =>
  Object.entries(DIGITS).find(([suffix]) => key.endsWith(suffix))?.[1] ?? 2

const figures: Record<string, number> = {}
const seedsBySize: Record<string, number[]> = {}

/** Medians over the runs so far (PERF.md: medians of several runs); keys stable across runs. */
function record(size: number, runs: readonly Record<string, number>[]): void {
  const keys = new Set(runs.flatMap((run) => Object.keys(run)))
  for (const key of keys) {
    const values = runs.flatMap((run) => (run[key] === undefined ? [] : [run[key]]))
    figures[`n${size}_${key}`] = round(median(values), digitsOf(key))
  }
  writeBenchResult(
    interest === undefined ? 'broadcast-sim' : 'broadcast-sim-interest',
    {
      ...(interest === undefined ? {} : { interest, series: 'one_sender, random_senders' }),
      sizes,
      seeds: seedsBySize,
      latency_ms: '10-50',
      broadcasts: BROADCASTS,
      burst: BURST,
      spacing_ms: SPACING_MS,
      payload_bytes: payload.length,
      verification,
      ...(optimizationThreshold === undefined
        ? {}
        : { optimization_threshold: optimizationThreshold }),
    },
    figures,
  )
}

const summary: string[] = []
for (const size of sizes) {
  const seeds = size >= LARGE ? largeSeeds : smallSeeds
  seedsBySize[size] = seeds
  const runs: Record<string, number>[] = []
  for (const seed of seeds) {
    const run: Record<string, number> = {}
    runs.push(run)
    const recorded = () => {
      record(size, runs)
    }
    if (interest === undefined) runSize(size, seed, run, recorded)
    else runInterest(size, seed, interest, run, recorded)
  }
  const at = (key: string) => figures[`n${size}_${key}`] ?? NaN
  if (interest !== undefined) {
    summary.push(
      `n=${size} interest ${interest} (${at('subscribers')} subscribers): random senders delivery ` +
        `${round(at('random_senders_delivery_ratio') * 100, 2)}%, RMR ${at('random_senders_rmr')}, ` +
        `LDH ${at('random_senders_ldh')}, frames per interested / uninterested node per broadcast ` +
        `${at('random_senders_frames_per_interested_node')} / ${at('random_senders_frames_per_uninterested_node')}; ` +
        `one sender ${round(at('one_sender_delivery_ratio') * 100, 2)}%, RMR ${at('one_sender_rmr')}, ` +
        `${at('one_sender_frames_per_interested_node')} / ${at('one_sender_frames_per_uninterested_node')}`,
    )
    continue
  }
  summary.push(
    `n=${size} (${seeds.length} seeds): delivery ${round(at('random_senders_delivery_ratio') * 100, 2)}%, ` +
      `RMR ${at('random_senders_rmr')} (one sender ${at('one_sender_rmr')}, first ${round(at('one_sender_rmr_first'), 2)}), ` +
      `LDH ${at('random_senders_ldh')} (median ${at('random_senders_ldh_median')}, one sender ${at('one_sender_ldh')}; ` +
      `overlay radius ${at('overlay_radius')} diameter ${at('overlay_diameter')}, tree diameter ${at('random_senders_tree_diameter')}), ` +
      `burst delivery ${round(at('burst_delivery_ratio') * 100, 2)}% RMR ${at('burst_rmr')}, ${at('wall_s')} s per run`,
  )
}
console.log(`broadcast-sim: ${summary.join('; ')}`)
