// Benchmark B10 (PERF.md): `x0xd` from exec to the first `/health` 200, each run with a fresh
// temporary HOME, data dir and config (so every run generates its identity, as a first start
// does), no bootstrap peers, the API on a free port fixed in the config so that `/health` is
// polled from exec (API.md §3.4: the API binds before the network stack loads). Also reports
// exec → ready (`api.port` written once the agent is up and every route is served). Median, p90,
// minimum and maximum over `--runs` (default 10). Writes bench/results/startup.json and prints a
// one-line summary.
//
//   node apps/daemon/bench/startup.ts [--runs 10]
//
// Runs the built daemon (`pnpm build` first): apps/daemon/dist/main.js.
import { parseArgs } from 'node:util'
import { median, percentile, round, writeBenchResult } from '@x0x/bench-kit'
import { freeTcpPort } from './lib/processes.mjs'
import { DAEMON_MAIN, daemonAvailable, startDaemon } from './lib/x0x-daemon.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'timeout-ms': { type: 'string', default: '30000' },
  },
})
const runs = Number(values.runs)
const timeoutMs = Number(values['timeout-ms'])

if (!daemonAvailable()) {
  console.error(`startup: ${DAEMON_MAIN} not found; run \`pnpm build\` first`)
  process.exit(1)
}

const samples: number[] = []
const readySamples: number[] = []
for (let run = 1; run <= runs; run++) {
  const daemon = await startDaemon({ timeoutMs, apiPort: await freeTcpPort() })
  try {
    samples.push(daemon.healthyAt - daemon.spawnedAt)
    readySamples.push(daemon.readyAt - daemon.spawnedAt)
    console.error(
      `run ${run}: /health ${round(samples.at(-1)!, 1)} ms, ready ${round(readySamples.at(-1)!, 1)} ms`,
    )
  } finally {
    await daemon.remove()
  }
}

const figures = {
  exec_to_health_ms_median: round(median(samples), 1),
  exec_to_health_ms_p90: round(percentile(samples, 0.9), 1),
  exec_to_health_ms_min: round(Math.min(...samples), 1),
  exec_to_health_ms_max: round(Math.max(...samples), 1),
  exec_to_ready_ms_median: round(median(readySamples), 1),
  exec_to_ready_ms_p90: round(percentile(readySamples, 0.9), 1),
}
writeBenchResult(
  'startup',
  {
    runs,
    stat: 'median of runs',
    start:
      'fresh HOME, data dir and config per run (first start: keys generated); no bootstrap peers',
    measured:
      'spawn(node dist/main.js --config …) → first GET /health 200 on the configured API port, ' +
      'polled every 5 ms; ready = api.port written (agent up)',
  },
  figures,
)
console.log(
  `startup: exec → /health ${figures.exec_to_health_ms_median} ms median ` +
    `(p90 ${figures.exec_to_health_ms_p90}, min ${figures.exec_to_health_ms_min}); ` +
    `exec → ready ${figures.exec_to_ready_ms_median} ms median over ${runs} runs`,
)
