// Shared by this package's benchmarks: the result file format of PERF.md.
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export function round(value: number, digits = 0): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((left, right) => left - right)
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!
}

/** Writes `bench/results/<name>.json` and returns its path. */
export function writeResult(
  name: string,
  params: Record<string, unknown>,
  figures: Record<string, number>,
): string {
  const result = {
    name,
    commit: process.env.X0X_BENCH_COMMIT ?? 'unknown',
    node: process.version,
    date: new Date().toISOString(),
    machine: {
      platform: `${os.platform()}-${os.arch()}`,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cpus: os.availableParallelism(),
      memory_mb: Math.round(os.totalmem() / 2 ** 20),
    },
    params,
    figures,
  }
  const directory =
    process.env.X0X_BENCH_RESULTS_DIR ??
    fileURLToPath(new URL('../../../../bench/results/', import.meta.url))
  mkdirSync(directory, { recursive: true })
  const path = join(directory, `${name}.json`)
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`)
  return path
}
