// Benchmark B6 (PERF.md): one publisher sends `--messages` (5,000) × 1 KiB messages on one topic
// through a mesh of N = 3 and N = 5 nodes, each its own process on 127.0.0.1: (flat) flat out,
// (paced) at 200 msg/s, (slow) flat out with one subscriber whose handler blocks 5 ms per message.
// Side by side in one run: x0x (real `x0xd` daemons over QUIC, applications on the WebSocket API)
// and js-libp2p gossipsub (TCP + noise + yamux, Ed25519 peer ids, stock options; installed on
// first use into bench/gossipsub/node_modules, never a workspace dependency).
//
// Figures per node count, mode and implementation (`n3_flat_x0x_msgs_per_s`, …): delivery ratio
// to the healthy subscribers, msgs/s (publish start → last delivery), p50/p99 publish→deliver ms
// (the send time travels in the payload; one host, one clock), CPU seconds and peak RSS of the
// node processes, silent drops (neither delivered nor reported dropped, to the client or in the
// daemon's counters), and what happened to the slow subscriber. Medians of `--runs`.
//
//   node apps/daemon/bench/mesh-loopback.ts [--quick] [--runs 1] [--messages 5000]
//     [--nodes 3,5] [--modes flat,paced,slow] [--impl gossipsub,x0x] [--rate 200] [--slow-ms 5]
//
// The x0x side runs the built daemon (`pnpm build` first); without apps/daemon/dist/main.js it is
// skipped (said in the params and on stderr).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { median, percentile, round, writeBenchResult } from '@x0x/bench-kit'
import { forkChild, type ChildHandle, type ChildMessage } from './mesh/children.mjs'
import { freeUdpPort, poll, processStats } from './lib/processes.mjs'
import { daemonAvailable, startDaemon, type BenchDaemon } from './lib/x0x-daemon.ts'

type Implementation = 'gossipsub' | 'x0x'
type Mode = 'flat' | 'paced' | 'slow'

const GOSSIPSUB_DIR = fileURLToPath(new URL('gossipsub/', import.meta.url))
const GOSSIPSUB_NODE = fileURLToPath(new URL('gossipsub/gossipsub-node.mjs', import.meta.url))
const X0X_CLIENT = fileURLToPath(new URL('mesh/x0x-client.mjs', import.meta.url))
const TOPIC = 'x0x-bench/mesh-loopback'
/** A run is over when no subscriber delivered anything new for this long. */
const QUIET_MS = 5_000
/** Bound on waiting for deliveries after the publisher finished. */
const DRAIN_LIMIT_MS = 180_000

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string', default: '1' },
    messages: { type: 'string' },
    size: { type: 'string', default: '1024' },
    nodes: { type: 'string', default: '3,5' },
    modes: { type: 'string', default: 'flat,paced,slow' },
    impl: { type: 'string' },
    rate: { type: 'string', default: '200' },
    'slow-ms': { type: 'string', default: '5' },
  },
})
const runs = Number(values.runs)
const messages = Number(values.messages ?? (values.quick ? 500 : 5_000))
const size = Number(values.size)
const rate = Number(values.rate)
const slowMs = Number(values['slow-ms'])
const nodeCounts = values.nodes.split(',').map(Number)
const modes = values.modes.split(',') as Mode[]
const x0xBuilt = daemonAvailable()
const implementations = (values.impl ?? (x0xBuilt ? 'gossipsub,x0x' : 'gossipsub')).split(
  ',',
) as Implementation[]
if (!x0xBuilt && values.impl === undefined) {
  console.error('mesh-loopback: apps/daemon/dist/main.js not built; the x0x side is skipped')
}

interface Mesh {
  readonly publisher: ChildHandle
  readonly subscribers: readonly ChildHandle[]
  /** The processes that are the nodes: gossipsub nodes, or x0x daemons. */
  readonly nodePids: readonly number[]
  /** x0x only: the WebSocket applications, apart from the daemons. */
  readonly clientPids: readonly number[]
  /** x0x only: the daemon under each subscriber, for `/diagnostics/gossip`. */
  readonly subscriberDaemons: readonly BenchDaemon[]
  close(): Promise<void>
}

/** Installs the pinned js-libp2p packages into bench/gossipsub/node_modules once. */
function ensureGossipsubInstalled(): void {
  const marker = `${GOSSIPSUB_DIR}node_modules/@chainsafe/libp2p-gossipsub/package.json`
  if (existsSync(marker)) return
  const command = existsSync(`${GOSSIPSUB_DIR}package-lock.json`) ? 'ci' : 'install'
  console.error(
    `mesh-loopback: installing js-libp2p gossipsub (npm ${command}) into ${GOSSIPSUB_DIR}`,
  )
  const result = spawnSync(
    'npm',
    [command, '--prefix', GOSSIPSUB_DIR, '--no-audit', '--no-fund', '--loglevel=error'],
    { stdio: 'inherit', timeout: 300_000 },
  )
  if (result.status !== 0) throw new Error('could not install js-libp2p gossipsub with npm')
  const manifest = JSON.parse(readFileSync(marker, 'utf8')) as { version: string }
  console.error(`mesh-loopback: @chainsafe/libp2p-gossipsub ${manifest.version} installed`)
}

async function closeAll(handles: readonly ChildHandle[], daemons: readonly BenchDaemon[]) {
  await Promise.all(handles.map((handle) => handle.stop()))
  await Promise.all(daemons.map((daemon) => daemon.remove()))
}

function status(handle: ChildHandle): Promise<ChildMessage> {
  return handle.request({ cmd: 'status' }, 'status', 5_000)
}

async function startGossipsubMesh(count: number, slow: boolean): Promise<Mesh> {
  const nodes: ChildHandle[] = []
  try {
    for (let index = 0; index < count; index++) {
      const slowNode = slow && index === count - 1
      const env = { X0X_BENCH_TOPIC: TOPIC, X0X_BENCH_SLOW_MS: String(slowNode ? slowMs : 0) }
      nodes.push(forkChild(GOSSIPSUB_NODE, env, `gossipsub node ${index}`))
    }
    const ready = await Promise.all(nodes.map((node) => node.next('ready', 30_000)))
    const addresses = ready.map((message) => (message['addrs'] as string[])[0]!)
    for (let index = 1; index < count; index++) {
      nodes[index]!.send({ cmd: 'dial', addrs: addresses.slice(0, index) })
    }
    await poll(
      async () => {
        const states = await Promise.all(nodes.map(status))
        return states.every((state) => Number(state['meshPeers']) >= count - 1) ? true : undefined
      },
      `gossipsub mesh of ${count}`,
      30_000,
      250,
    )
  } catch (error) {
    await closeAll(nodes, [])
    throw error
  }
  return {
    publisher: nodes[0]!,
    subscribers: nodes.slice(1),
    nodePids: nodes.map((node) => node.pid),
    clientPids: [],
    subscriberDaemons: [],
    close: () => closeAll(nodes, []),
  }
}

async function peerCount(daemon: BenchDaemon): Promise<number> {
  try {
    const body = await daemon.json('/peers')
    return Array.isArray(body['peers']) ? body['peers'].length : 0
  } catch {
    return 0
  }
}

async function startX0xMesh(count: number, slow: boolean): Promise<Mesh> {
  const daemons: BenchDaemon[] = []
  const clients: ChildHandle[] = []
  try {
    const seedPort = await freeUdpPort()
    daemons.push(await startDaemon({ bindPort: seedPort }))
    const seed = `127.0.0.1:${seedPort}`
    const ports = await Promise.all(Array.from({ length: count - 1 }, () => freeUdpPort()))
    const rest = await Promise.allSettled(
      ports.map((bindPort) => startDaemon({ bindPort, bootstrapPeers: [seed] })),
    )
    for (const result of rest) if (result.status === 'fulfilled') daemons.push(result.value)
    const failed = rest.find((result) => result.status === 'rejected')
    if (failed !== undefined) throw failed.reason
    await poll(
      async () =>
        (await Promise.all(daemons.map(peerCount))).every((n) => n >= 1) ? true : undefined,
      'every x0xd has a peer',
      30_000,
      100,
    )
    // A full mesh is likely at N ≤ 5 (active view 6) but not required: delivery is what counts.
    await poll(
      async () =>
        (await Promise.all(daemons.map(peerCount))).every((n) => n >= count - 1) ? true : undefined,
      'every x0xd sees every other',
      10_000,
      100,
    ).catch(() => {
      console.error(`mesh-loopback: x0x N=${count}: not every daemon sees every other; going on`)
    })
    daemons.forEach((daemon, index) => {
      const role = index === 0 ? 'publisher' : 'subscriber'
      const slowClient = slow && index === count - 1
      const env = {
        X0X_BENCH_API: daemon.apiBase,
        X0X_BENCH_TOKEN: daemon.token,
        X0X_BENCH_TOPIC: TOPIC,
        X0X_BENCH_ROLE: role,
        X0X_BENCH_SLOW_MS: String(slowClient ? slowMs : 0),
      }
      clients.push(forkChild(X0X_CLIENT, env, `x0x ${role} ${index}`))
    })
    await Promise.all(clients.map((client) => client.next('ready', 15_000)))
  } catch (error) {
    await closeAll(clients, daemons)
    throw error
  }
  return {
    publisher: clients[0]!,
    subscribers: clients.slice(1),
    nodePids: daemons.map((daemon) => daemon.child.pid!),
    clientPids: clients.map((client) => client.pid),
    subscriberDaemons: daemons.slice(1),
    close: () => closeAll(clients, daemons),
  }
}

/** Probes until every subscriber has seen one: the mesh carries the topic end to end. */
async function awaitProbeEverywhere(mesh: Mesh): Promise<void> {
  await poll(
    async () => {
      if (mesh.subscribers.every((subscriber) => subscriber.progress.probes > 0)) return true
      mesh.publisher.send({ cmd: 'probe' })
      await sleep(250)
      return undefined
    },
    'a probe message reaches every subscriber',
    30_000,
    0,
  )
  await sleep(500)
}

const sum = (numbers: readonly number[]): number => numbers.reduce((left, right) => left + right, 0)

/** Waits until every subscriber has all messages, or none delivers anything new for QUIET_MS. */
async function awaitDrain(mesh: Mesh): Promise<void> {
  const deadline = Date.now() + DRAIN_LIMIT_MS
  let total = -1
  let changedAt = Date.now()
  while (Date.now() < deadline) {
    const delivered = mesh.subscribers.map((subscriber) => subscriber.progress.delivered)
    if (delivered.every((count) => count >= messages)) return
    if (sum(delivered) !== total) {
      total = sum(delivered)
      changedAt = Date.now()
    } else if (Date.now() - changedAt > QUIET_MS) return
    await sleep(100)
  }
}

const GOSSIP_DROP_COUNTER = 'slow_subscriber_dropped'

/** Sums the numeric `dropped` fields of `/ws/sessions` entries, where a daemon reports them. */
async function sessionDrops(daemon: BenchDaemon): Promise<number> {
  try {
    const body = await daemon.json('/ws/sessions')
    const sessions = Array.isArray(body['sessions']) ? (body['sessions'] as unknown[]) : []
    return sum(
      sessions.map((session) => {
        const dropped = (session as Record<string, unknown> | null)?.['dropped']
        return typeof dropped === 'number' ? dropped : 0
      }),
    )
  } catch {
    return 0
  }
}

/**
 * What a daemon counted as dropped for its slow local subscribers: `/diagnostics/gossip`
 * `stats.slow_subscriber_dropped` (API.md §1.3) plus per-session WebSocket drops, if reported.
 */
async function daemonDropCount(daemon: BenchDaemon): Promise<number> {
  try {
    const body = await daemon.json('/diagnostics/gossip')
    const stats = body['stats'] as Record<string, unknown> | undefined
    return Number(stats?.[GOSSIP_DROP_COUNTER] ?? 0) + (await sessionDrops(daemon))
  } catch {
    return Number.NaN
  }
}

function cpuSeconds(pids: readonly number[]): number[] {
  return pids.map((pid) => processStats(pid)?.cpuS ?? Number.NaN)
}

interface SubscriberReport {
  delivered: number
  duplicates: number
  lastMs: number
  latencies: number[]
  droppedNotified?: number
  disconnected?: boolean
  disconnects?: number
  connections?: number
  frameTypes?: Record<string, number>
}

/** Publishes one run on a ready mesh and returns its figures (keys without the scenario prefix). */
async function measure(mesh: Mesh, mode: Mode): Promise<Record<string, number>> {
  const slowIndex = mode === 'slow' ? mesh.subscribers.length - 1 : -1
  const cpuBefore = cpuSeconds(mesh.nodePids)
  const clientCpuBefore = cpuSeconds(mesh.clientPids)
  const dropsBefore = await Promise.all(mesh.subscriberDaemons.map(daemonDropCount))
  const pacedRate = mode === 'paced' ? rate : 0
  const publishBoundMs = (pacedRate > 0 ? (messages / pacedRate) * 2_000 : 0) + 120_000
  const published = await mesh.publisher.request(
    { cmd: 'publish-run', count: messages, rate: pacedRate, size },
    'published',
    publishBoundMs,
  )
  await awaitDrain(mesh)
  const cpuAfter = cpuSeconds(mesh.nodePids)
  const clientCpuAfter = cpuSeconds(mesh.clientPids)
  const peakRss = mesh.nodePids.map((pid) => processStats(pid)?.peakRssMb ?? Number.NaN)
  const dropsAfter = await Promise.all(mesh.subscriberDaemons.map(daemonDropCount))
  const reports = (await Promise.all(
    mesh.subscribers.map((subscriber) => subscriber.request({ cmd: 'report' }, 'report', 30_000)),
  )) as unknown as SubscriberReport[]

  for (const [index, report] of reports.entries()) {
    const { latencies: _latencies, ...rest } = report
    console.error(`  subscriber ${index + 1}: ${JSON.stringify(rest)}`)
  }
  const startMs = Number(published['startMs'])
  const healthy = reports.filter((_, index) => index !== slowIndex)
  const latencies = healthy.flatMap((report) => report.latencies)
  const lastDelivery = Math.max(...healthy.map((report) => report.lastMs))
  const meanDelivered = sum(healthy.map((report) => report.delivered)) / healthy.length
  const counted = reports.map((_, index) => (dropsAfter[index] ?? 0) - (dropsBefore[index] ?? 0))
  const reported = reports.map((report, index) =>
    Math.max(report.droppedNotified ?? 0, Number.isNaN(counted[index]!) ? 0 : counted[index]!),
  )
  const silent = reports.map((report, index) =>
    Math.max(0, messages - report.delivered - reported[index]!),
  )
  const cpu = cpuAfter.map((after, index) => after - cpuBefore[index]!)
  const figures: Record<string, number> = {
    delivery_ratio: round(meanDelivered / messages, 4),
    msgs_per_s: round(meanDelivered / ((lastDelivery - startMs) / 1000), 0),
    publish_msgs_per_s: round(
      Number(published['sent']) / ((Number(published['endMs']) - startMs) / 1000),
      0,
    ),
    publish_errors: Number(published['errors']),
    p50_ms: round(percentile(latencies, 0.5), 2),
    p99_ms: round(percentile(latencies, 0.99), 2),
    max_ms: round(Math.max(...latencies), 2),
    duplicates: sum(reports.map((report) => report.duplicates)),
    silent_drops: sum(silent),
    cpu_s_total: round(sum(cpu), 2),
    cpu_s_publisher: round(cpu[0]!, 2),
    cpu_s_subscriber_max: round(Math.max(...cpu.slice(1)), 2),
    rss_mb_max: round(Math.max(...peakRss), 1),
    rss_mb_publisher: round(peakRss[0]!, 1),
  }
  if (mesh.clientPids.length > 0) {
    const clientCpu = clientCpuAfter.map((after, index) => after - clientCpuBefore[index]!)
    figures['client_cpu_s_total'] = round(sum(clientCpu), 2)
  }
  const slowReport = reports[slowIndex]
  if (slowReport !== undefined) {
    figures['slow_delivered'] = slowReport.delivered
    figures['slow_dropped_notified'] = slowReport.droppedNotified ?? 0
    figures['slow_dropped_counted'] = Number.isNaN(counted[slowIndex]!) ? -1 : counted[slowIndex]!
    figures['slow_silent_drops'] = silent[slowIndex]!
    figures['slow_disconnected'] =
      slowReport.disconnected === true || (slowReport.disconnects ?? 0) > 0 ? 1 : 0
    if (slowReport.disconnects !== undefined)
      figures['slow_peer_disconnects'] = slowReport.disconnects
  }
  return figures
}

async function runScenario(
  implementation: Implementation,
  nodes: number,
  mode: Mode,
): Promise<Record<string, number>> {
  const slow = mode === 'slow'
  const mesh =
    implementation === 'gossipsub'
      ? await startGossipsubMesh(nodes, slow)
      : await startX0xMesh(nodes, slow)
  try {
    await awaitProbeEverywhere(mesh)
    return await measure(mesh, mode)
  } finally {
    await mesh.close()
  }
}

async function main(): Promise<void> {
  if (implementations.includes('gossipsub')) ensureGossipsubInstalled()
  const samples: Record<string, number[]> = {}
  for (let run = 1; run <= runs; run++) {
    for (const nodes of nodeCounts) {
      for (const mode of modes) {
        for (const implementation of implementations) {
          const prefix = `n${nodes}_${mode}_${implementation}_`
          let figures: Record<string, number>
          try {
            figures = await runScenario(implementation, nodes, mode)
          } catch (error) {
            // One broken side must not lose the other's figures; the run still fails at the end.
            console.error(`run ${run} ${prefix.slice(0, -1)} failed: ${String(error)}`)
            figures = { failed: 1 }
            process.exitCode = 1
          }
          console.error(`run ${run} ${prefix.slice(0, -1)}: ${JSON.stringify(figures)}`)
          for (const [key, value] of Object.entries(figures))
            (samples[prefix + key] ??= []).push(value)
        }
      }
    }
  }
  const figures = Object.fromEntries(
    Object.entries(samples).map(([key, values]) => [key, round(median(values), 4)]),
  )
  writeBenchResult(
    'mesh-loopback',
    {
      runs,
      stat: 'median of runs',
      messages,
      message_bytes: size,
      node_counts: nodeCounts,
      modes,
      paced_rate_per_s: rate,
      slow_handler_ms: slowMs,
      slow_mode:
        'publisher flat out; the last subscriber blocks its event loop slow_handler_ms per message (Atomics.wait: blocked, not burning CPU)',
      implementations,
      x0x: x0xBuilt
        ? 'x0xd daemons over QUIC on 127.0.0.1; publisher and subscribers are WebSocket clients (separate processes); node CPU/RSS = the daemons, client_cpu_s_total = the WebSocket clients'
        : 'skipped: apps/daemon/dist/main.js not built',
      gossipsub:
        '@chainsafe/libp2p-gossipsub 14.1.2 on libp2p 2.10.0, TCP + noise + yamux + identify, Ed25519, stock options; one process per node with the application in it',
      host: '127.0.0.1',
      msgs_per_s:
        'mean unique deliveries per healthy subscriber ÷ (publish start → last healthy delivery)',
      latency: 'publisher send time (in the payload) → subscriber handler, healthy subscribers',
      silent_drops:
        'per subscriber: messages − delivered − max(drops told to the client, daemon slow_subscriber_dropped delta), summed',
      rss: 'peak RSS (VmHWM) of each node process',
    },
    figures,
  )
  const show = (nodes: number, mode: Mode, key: string): string =>
    implementations
      .map((implementation) => figures[`n${nodes}_${mode}_${implementation}_${key}`] ?? '-')
      .join('/')
  const parts = nodeCounts.flatMap((nodes) =>
    modes.map(
      (mode) =>
        `n${nodes} ${mode} ${show(nodes, mode, 'msgs_per_s')} msg/s p99 ${show(nodes, mode, 'p99_ms')} ms delivery ${show(nodes, mode, 'delivery_ratio')}`,
    ),
  )
  console.log(`mesh-loopback (${implementations.join('/')}): ${parts.join('; ')}`)
}

await main()
