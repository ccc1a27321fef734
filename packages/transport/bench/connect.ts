// Benchmark B8 (PERF.md): cold connect between two processes on loopback, including the TLS
// handshake with machine-bound certificates and the post-quantum session handshake, 40 connects
// per run (after 3 warm-up ones); also QUIC + TLS alone on the patched library for reference, and
// connect plus a first echo. Medians over `--runs` (default 3) runs. Writes
// bench/results/connect.json and prints a one-line summary.
//
//   node packages/transport/bench/connect.ts [--runs 3]
//
// Runs the built package (`pnpm build` first), as an application would.
import { parseArgs } from 'node:util'
// @ts-expect-error: a plain ES module shared with the worker processes.
import * as workers from './workers/run-workers.mjs'

interface RunWorkers {
  patchedLibrary: () => string
  runWorker: (worker: string, args: string[]) => Record<string, number>
  medians: (runs: Record<string, number>[], suffix: string) => Record<string, number>
  writeResult: (name: string, params: object, figures: Record<string, number>) => void
}
const { patchedLibrary, runWorker, medians, writeResult } = workers as RunWorkers

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } })
const runs = Number(values.runs)
const transportRuns: Record<string, number>[] = []
const libraryRuns: Record<string, number>[] = []
for (let run = 1; run <= runs; run++) {
  transportRuns.push(runWorker('transport-worker.mjs', ['connect']))
  libraryRuns.push(runWorker('raw-quic-worker.mjs', [patchedLibrary(), 'connect']))
  process.stderr.write(
    `run ${run}: transport ${JSON.stringify(transportRuns.at(-1))}, quic+tls ${JSON.stringify(libraryRuns.at(-1))}\n`,
  )
}
const figures = {
  ...medians(transportRuns, ''),
  ...medians(libraryRuns, '_quic_tls_only'),
}
writeResult(
  'connect',
  {
    runs,
    connects_per_run: 40,
    warmup_connects: 3,
    stat: 'median over runs of the per-run median / p99',
    host: '127.0.0.1',
    processes: 'dialler and listener in separate processes',
    includes: 'QUIC + TLS 1.3 (Ed25519 certificates bound by ML-DSA-65) + ML-KEM-768 session',
  },
  figures,
)
console.log(
  `connect: cold connect incl. post-quantum handshake median ${figures.connect_median_ms} ms, p99 ${figures.connect_p99_ms} ms ` +
    `(QUIC + TLS alone ${figures.connect_median_ms_quic_tls_only} ms); with first echo ${figures.connect_first_echo_median_ms} ms`,
)
