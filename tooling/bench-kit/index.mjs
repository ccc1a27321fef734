// What every benchmark shares (PERF.md "Result files"): the result envelope and its statistics.
// Plain JavaScript with a declaration file, so benchmarks use it without a build step.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const DEFAULT_RESULTS_DIR = join(
  dirname(dirname(dirname(fileURLToPath(import.meta.url)))),
  'bench',
  'results',
)

/** `value` rounded to `digits` decimals. */
export function round(value, digits = 0) {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/** The value at `fraction` (0–1) of the sorted values; NaN for none. */
export function percentile(values, fraction) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((left, right) => left - right)
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]
}

/** The median, averaging the two middle values of an even count; NaN for none. */
export function median(values) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((left, right) => left - right)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** The machine a result was measured on; the load tells a reader how noisy the figures are. */
export function describeMachine() {
  return {
    platform: `${os.platform()}-${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.availableParallelism(),
    memory_mb: Math.round(os.totalmem() / 2 ** 20),
    load_average_1m: round(os.loadavg()[0] ?? 0, 2),
  }
}

/**
 * Writes `<results dir>/<name>.json` in the PERF.md format and returns its path. The runner
 * (`pnpm bench`) sets `X0X_BENCH_COMMIT` and `X0X_BENCH_RESULTS_DIR`.
 */
export function writeBenchResult(name, params, figures) {
  const result = {
    name,
    commit: process.env.X0X_BENCH_COMMIT ?? 'unknown',
    node: process.version,
    date: new Date().toISOString(),
    machine: describeMachine(),
    params,
    figures,
  }
  const directory = process.env.X0X_BENCH_RESULTS_DIR ?? DEFAULT_RESULTS_DIR
  mkdirSync(directory, { recursive: true })
  const path = join(directory, `${name}.json`)
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`)
  return path
}
