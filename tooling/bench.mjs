#!/usr/bin/env node
// The benchmark runner behind `pnpm bench [name] [-- arguments]` (PERF.md).
//
// Benchmarks are the `bench/*.ts` files of every package and app, named by file basename
// (`packages/pqc/bench/pq-crypto.ts` is `pq-crypto`). Each runs in its own `node` process (this
// Node, which runs TypeScript by type stripping) from the repository root, with:
//   X0X_BENCH_COMMIT       the commit checked out (read from .git, "unknown" outside a checkout)
//   X0X_BENCH_RESULTS_DIR  where to write `<name>.json` (bench/results)
// Extra arguments after the name go to the benchmark. Exits non-zero if any benchmark fails.
// Benchmarks import the built packages: run `pnpm build` first.
//
//   pnpm bench              run every benchmark
//   pnpm bench pq-crypto    run one
//   pnpm bench --list       list them
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)))
const RESULTS_DIR = join(ROOT, 'bench', 'results')

function findBenchmarks() {
  const benchmarks = []
  for (const group of ['packages', 'apps']) {
    const groupDir = join(ROOT, group)
    if (!existsSync(groupDir)) continue
    for (const workspace of readdirSync(groupDir).sort()) {
      const benchDir = join(groupDir, workspace, 'bench')
      if (!existsSync(benchDir)) continue
      for (const file of readdirSync(benchDir).sort()) {
        if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
          benchmarks.push({ name: basename(file, '.ts'), path: join(benchDir, file) })
        }
      }
    }
  }
  return benchmarks
}

/** The checked-out commit, read from .git without running git. */
function currentCommit() {
  try {
    const gitDir = join(ROOT, '.git')
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim()
    if (!head.startsWith('ref: ')) return head
    const ref = head.slice('ref: '.length)
    const loose = join(gitDir, ref)
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim()
    const packed = readFileSync(join(gitDir, 'packed-refs'), 'utf8')
    const line = packed.split('\n').find((entry) => entry.endsWith(` ${ref}`))
    return line?.split(' ')[0] ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

function main(argv) {
  const benchmarks = findBenchmarks()
  if (argv[0] === '--list') {
    for (const { name, path } of benchmarks) console.log(`${name}\t${relative(ROOT, path)}`)
    return 0
  }
  const [name, ...rest] =
    argv[0] === undefined || argv[0].startsWith('-') ? [undefined, ...argv] : argv
  const passThrough = rest[0] === '--' ? rest.slice(1) : rest
  const selected = name === undefined ? benchmarks : benchmarks.filter((b) => b.name === name)
  if (selected.length === 0) {
    const known = benchmarks.map((b) => b.name).join(', ') || 'none'
    console.error(`bench: no benchmark named ${name ?? '(any)'}; known: ${known}`)
    return 1
  }
  const environment = {
    ...process.env,
    X0X_BENCH_COMMIT: process.env.X0X_BENCH_COMMIT ?? currentCommit(),
    X0X_BENCH_RESULTS_DIR: process.env.X0X_BENCH_RESULTS_DIR ?? RESULTS_DIR,
  }
  const failed = []
  for (const benchmark of selected) {
    console.error(`bench: ${benchmark.name} (${relative(ROOT, benchmark.path)})`)
    const result = spawnSync(process.execPath, [benchmark.path, ...passThrough], {
      cwd: ROOT,
      env: environment,
      stdio: 'inherit',
    })
    if (result.error !== undefined || result.status !== 0) {
      const reason = result.error?.message ?? `exit ${result.status ?? result.signal}`
      console.error(`bench: ${benchmark.name} failed (${reason})`)
      failed.push(benchmark.name)
    }
  }
  if (failed.length > 0) {
    console.error(`bench: ${failed.length} of ${selected.length} failed: ${failed.join(', ')}`)
    return 1
  }
  return 0
}

process.exitCode = main(process.argv.slice(2))
