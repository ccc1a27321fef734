// Benchmark B9 (PERF.md): the memory of an `x0xd`. (1) Idle: one daemon with a fresh HOME and no
// peers; RSS right after the first `/health` 200 and after `--idle` seconds (default 60). (2) Load:
// a second daemon joins, a WebSocket publisher on it sends 1 KiB messages at `--rate` (100) msg/s
// for `--duration` seconds to a WebSocket subscriber on the first; RSS of both daemons sampled
// every `--sample` seconds, and its slope (least squares over the samples after the first fifth
// of the run, so start-up growth does not count) in MB/h. The PERF.md bar is for one hour:
// `--duration 3600`; the default of 120 s gives a quick indication only. Writes
// bench/results/footprint.json and prints a one-line summary.
//
//   node apps/daemon/bench/footprint.ts [--idle 60] [--duration 120] [--rate 100] [--sample 5]
//
// Runs the built daemon (`pnpm build` first): apps/daemon/dist/main.js.
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { setTimeout as sleep } from 'node:timers/promises'
import { round, writeBenchResult } from '@x0x/bench-kit'
import { forkChild, type ChildHandle } from './mesh/children.mjs'
import { freeUdpPort, poll, processStats } from './lib/processes.mjs'
import { DAEMON_MAIN, daemonAvailable, startDaemon, type BenchDaemon } from './lib/x0x-daemon.ts'

const X0X_CLIENT = fileURLToPath(new URL('mesh/x0x-client.mjs', import.meta.url))
const TOPIC = 'x0x-bench/footprint'

const { values } = parseArgs({
  options: {
    idle: { type: 'string', default: '60' },
    duration: { type: 'string', default: '120' },
    rate: { type: 'string', default: '100' },
    sample: { type: 'string', default: '5' },
  },
})
const idleS = Number(values.idle)
const durationS = Number(values.duration)
const rate = Number(values.rate)
const sampleS = Number(values.sample)

if (!daemonAvailable()) {
  console.error(`footprint: ${DAEMON_MAIN} not found; run \`pnpm build\` first`)
  process.exit(1)
}

function rssMb(daemon: BenchDaemon): number {
  const stats = processStats(daemon.child.pid!)
  if (stats === undefined) throw new Error(`x0xd exited: ${daemon.stderr()}`)
  return stats.rssMb
}

/** Least-squares slope of (seconds, MB) samples, in MB per hour. */
function slopeMbPerHour(samples: readonly (readonly [number, number])[]): number {
  const count = samples.length
  if (count < 2) return Number.NaN
  const meanT = samples.reduce((total, [t]) => total + t, 0) / count
  const meanM = samples.reduce((total, [, m]) => total + m, 0) / count
  let covariance = 0
  let variance = 0
  for (const [t, m] of samples) {
    covariance += (t - meanT) * (m - meanM)
    variance += (t - meanT) ** 2
  }
  return (covariance / variance) * 3600
}

async function peerCount(daemon: BenchDaemon): Promise<number> {
  const body = await daemon.json('/peers').catch(() => ({ peers: [] }))
  return Array.isArray(body['peers']) ? body['peers'].length : 0
}

const figures: Record<string, number> = {}
const daemons: BenchDaemon[] = []
const clients: ChildHandle[] = []
try {
  const seedPort = await freeUdpPort()
  const measured = await startDaemon({ bindPort: seedPort })
  daemons.push(measured)
  figures['idle_rss_mb_after_start'] = round(rssMb(measured), 1)
  await sleep(idleS * 1000)
  figures['idle_rss_mb_after_idle'] = round(rssMb(measured), 1)
  figures['idle_peak_rss_mb'] = round(processStats(measured.child.pid!)?.peakRssMb ?? NaN, 1)
  console.error(`idle: ${JSON.stringify(figures)}`)

  if (durationS > 0) {
    const sender = await startDaemon({
      bindPort: await freeUdpPort(),
      bootstrapPeers: [`127.0.0.1:${seedPort}`],
    })
    daemons.push(sender)
    await poll(
      async () => ((await peerCount(measured)) > 0 ? true : undefined),
      'the daemons connect',
      30_000,
      100,
    )
    const client = (daemon: BenchDaemon, role: string) =>
      forkChild(
        X0X_CLIENT,
        {
          X0X_BENCH_API: daemon.apiBase,
          X0X_BENCH_TOKEN: daemon.token,
          X0X_BENCH_TOPIC: TOPIC,
          X0X_BENCH_ROLE: role,
        },
        `x0x ${role}`,
      )
    const subscriber = client(measured, 'subscriber')
    const publisher = client(sender, 'publisher')
    clients.push(subscriber, publisher)
    await Promise.all(clients.map((handle) => handle.next('ready', 15_000)))
    await poll(
      async () => {
        if (subscriber.progress.probes > 0) return true
        publisher.send({ cmd: 'probe' })
        await sleep(250)
        return undefined
      },
      'a probe message arrives',
      30_000,
      0,
    )
    const count = Math.round(rate * durationS)
    const done = publisher.request(
      { cmd: 'publish-run', count, rate, size: 1024 },
      'published',
      durationS * 2_000 + 60_000,
    )
    const finished = done.then(
      () => true,
      () => true,
    )
    const startedAt = performance.now()
    const samples: [number, number, number][] = []
    for (;;) {
      const seconds = (performance.now() - startedAt) / 1000
      samples.push([seconds, rssMb(measured), rssMb(sender)])
      const tick = sleep(sampleS * 1000).then(() => false)
      if (await Promise.race([finished, tick])) break
    }
    await done
    await sleep(2_000)
    const steady = samples.filter(([seconds]) => seconds >= durationS / 5)
    const report = await subscriber.request({ cmd: 'report' }, 'report', 30_000)
    figures['load_messages'] = count
    figures['load_delivery_ratio'] = round(Number(report['delivered']) / count, 4)
    figures['load_rss_mb_end_subscriber_node'] = round(rssMb(measured), 1)
    figures['load_rss_mb_end_publisher_node'] = round(rssMb(sender), 1)
    figures['load_rss_mb_max_subscriber_node'] = round(Math.max(...samples.map((s) => s[1])), 1)
    figures['load_rss_mb_max_publisher_node'] = round(Math.max(...samples.map((s) => s[2])), 1)
    figures['load_rss_slope_mb_per_h_subscriber_node'] = round(
      slopeMbPerHour(steady.map(([t, m]) => [t, m])),
      1,
    )
    figures['load_rss_slope_mb_per_h_publisher_node'] = round(
      slopeMbPerHour(steady.map(([t, , m]) => [t, m])),
      1,
    )
  }
} finally {
  await Promise.all(clients.map((handle) => handle.stop()))
  await Promise.all(daemons.map((daemon) => daemon.remove()))
}

writeBenchResult(
  'footprint',
  {
    idle_s: idleS,
    load_duration_s: durationS,
    load_rate_per_s: rate,
    message_bytes: 1024,
    sample_s: sampleS,
    idle: 'one x0xd, fresh HOME, no bootstrap peers',
    load: 'publisher (WebSocket) on a second x0xd → subscriber (WebSocket) on the measured one',
    slope: 'least squares over samples after the first fifth of the load run; MB = MiB',
  },
  figures,
)
console.log(
  `footprint: idle RSS ${figures['idle_rss_mb_after_start']} MB after start, ` +
    `${figures['idle_rss_mb_after_idle']} MB after ${idleS} s` +
    (durationS > 0
      ? `; ${rate} msg/s for ${durationS} s: RSS slope ` +
        `${figures['load_rss_slope_mb_per_h_subscriber_node']} MB/h (subscriber node), ` +
        `${figures['load_rss_slope_mb_per_h_publisher_node']} MB/h (publisher node)`
      : ''),
)
