// Shared by the B8 and B11 benchmarks: runs worker processes, takes medians, writes results.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, writeBenchResult } from '@x0x/bench-kit'

const WORKERS = dirname(fileURLToPath(import.meta.url))
const BENCH = dirname(WORKERS)
const PACKAGE = dirname(BENCH)

/** The workspace's (patched) @matrixai/quic. */
export function patchedLibrary() {
  return realpathSync(join(PACKAGE, 'node_modules/@matrixai/quic'))
}

/**
 * The unpatched @matrixai/quic: bench/stock-quic is a separate pnpm project outside the
 * workspace, so the workspace's patchedDependencies do not reach it (an npm alias of the same
 * package inside the workspace is patched too; verified).
 */
export function stockLibrary() {
  const project = join(BENCH, 'stock-quic')
  const library = join(project, 'node_modules/@matrixai/quic')
  if (!existsSync(library)) {
    const pnpm = process.env.npm_execpath ?? 'pnpm'
    const args = ['install', '--ignore-workspace', '--frozen-lockfile', '--dir', project]
    const result =
      pnpm.endsWith('.js') || pnpm.endsWith('.cjs')
        ? spawnSync(process.execPath, [pnpm, ...args], { stdio: 'inherit' })
        : spawnSync(pnpm, args, { stdio: 'inherit' })
    if (result.status !== 0) throw new Error('could not install the stock @matrixai/quic')
  }
  const real = realpathSync(library)
  if (readFileSync(join(real, 'dist/QUICConnection.js'), 'utf8').includes('x0x patch')) {
    throw new Error('the stock library carries the x0x patch; the comparison would be void')
  }
  return real
}

/** Runs `node <worker> ...args` and returns the figures of its last output line. */
export function runWorker(worker, args) {
  const output = execFileSync(process.execPath, [join(WORKERS, worker), ...args], {
    encoding: 'utf8',
    timeout: 180_000,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return JSON.parse(output.trim().split('\n').pop()).figures
}

export { median }

/** Medians per key over runs, keys suffixed with `suffix`, rounded to 2 decimals. */
export function medians(runs, suffix) {
  const keys = [...new Set(runs.flatMap((figures) => Object.keys(figures)))]
  return Object.fromEntries(
    keys.map((key) => [
      `${key}${suffix}`,
      Number(
        median(runs.map((figures) => figures[key]).filter((value) => value !== undefined)).toFixed(
          2,
        ),
      ),
    ]),
  )
}

export function writeResult(name, params, figures) {
  writeBenchResult(name, params, figures)
}
