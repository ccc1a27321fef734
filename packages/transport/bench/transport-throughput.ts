// Benchmark B11 (PERF.md): one QUIC connection on loopback between two processes: one stream of
// 64 MiB, 1 KiB request/response on one stream, rounds of 200 concurrent 5 KB streams. Side by
// side in one run: the stock @matrixai/quic 2.0.9, the patched one (patches/), and our whole
// transport on the patched one (machine-bound TLS, post-quantum session, sealed frames), which is
// what users get. Medians of `--runs` (default 3) runs, interleaved. Writes
// bench/results/transport-throughput.json and prints a one-line summary.
//
//   node packages/transport/bench/transport-throughput.ts [--runs 3] [--tests throughput,reqresp,streams]
//
// Runs the built package (`pnpm build` first), as an application would.
import { parseArgs } from 'node:util'
// @ts-expect-error: a plain ES module shared with the worker processes.
import * as workers from './workers/run-workers.mjs'

interface RunWorkers {
  patchedLibrary: () => string
  stockLibrary: () => string
  runWorker: (worker: string, args: string[]) => Record<string, number>
  medians: (runs: Record<string, number>[], suffix: string) => Record<string, number>
  writeResult: (name: string, params: object, figures: Record<string, number>) => void
}
const { patchedLibrary, stockLibrary, runWorker, medians, writeResult } = workers as RunWorkers

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    tests: { type: 'string', default: 'throughput,reqresp,streams' },
  },
})
const runs = Number(values.runs)
const tests = values.tests.split(',')
const variants = {
  stock: (test: string) => runWorker('raw-quic-worker.mjs', [stockLibrary(), test]),
  patched: (test: string) => runWorker('raw-quic-worker.mjs', [patchedLibrary(), test]),
  transport: (test: string) => runWorker('transport-worker.mjs', [test]),
}

const results: Record<string, Record<string, number>[]> = {}
for (let run = 1; run <= runs; run++) {
  for (const test of tests) {
    for (const [variant, measure] of Object.entries(variants)) {
      const figures = measure(test)
      ;(results[variant] ??= []).push(figures)
      process.stderr.write(`run ${run} ${variant} ${test}: ${JSON.stringify(figures)}\n`)
    }
  }
}
const figures = Object.assign(
  {},
  ...Object.entries(results).map(([variant, runFigures]) => medians(runFigures, `_${variant}`)),
) as Record<string, number>
writeResult(
  'transport-throughput',
  {
    runs,
    tests,
    stat: 'median of runs',
    host: '127.0.0.1',
    processes: 'client and server in separate processes',
    library: '@matrixai/quic 2.0.9 (stock, patched); transport = createQuicTransport on patched',
    frame_bytes_transport: 65536,
  },
  figures,
)
const show = (key: string): string =>
  ['stock', 'patched', 'transport']
    .map((variant) => figures[`${key}_${variant}`] ?? '-')
    .join(' / ')
console.log(
  `transport-throughput (stock / patched / transport): one stream ${show('one_stream_mib_per_s')} MiB/s; ` +
    `1 KiB req/resp ${show('reqresp_1k_msgs_per_s')} msgs/s; 200×5 KB ${show('streams_200x5kb_per_s')} streams/s`,
)
