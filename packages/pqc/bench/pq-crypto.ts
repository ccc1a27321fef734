// Benchmark B1 (PERF.md): ML-DSA-65 keygen / sign / verify and ML-KEM-768 keygen / encapsulate /
// decapsulate on a 1 KiB message, for our native backend, our noble backend and raw node:crypto
// side by side in one process (interleaved, several runs, medians), plus verify throughput on 1
// and 2 worker threads. Writes bench/results/pq-crypto.json and prints a one-line summary.
//
//   node packages/pqc/bench/pq-crypto.ts [--runs 5] [--measure-ms 250] [--worker-ms 1000]
//
// Runs the built package (`pnpm build` first), as an application would.
import crypto from 'node:crypto'
import { parseArgs } from 'node:util'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { median, percentile, round, writeBenchResult } from '@x0x/bench-kit'
import { createPqcBackend, type PqcBackend } from '@x0x/pqc'

const MESSAGE_BYTES = 1024
const SIGNER_SEED = new Uint8Array(32).fill(0x42)

type Implementation = 'native' | 'noble' | 'raw'
type Operation = 'keygen' | 'sign' | 'verify' | 'kem_keygen' | 'encapsulate' | 'decapsulate'

interface Measurement {
  readonly operationsPerSecond: number
  readonly samplesMicroseconds: number[]
}

interface WorkerReport {
  readonly operations: number
}

/** Runs `operation` for about `durationMs` (at least `minimum` times), timing each call. */
function measure(operation: () => unknown, durationMs: number, minimum = 5): Measurement {
  const samples: number[] = []
  const start = performance.now()
  let now = start
  while (now - start < durationMs || samples.length < minimum) {
    const before = now
    operation()
    now = performance.now()
    samples.push((now - before) * 1000)
  }
  return {
    operationsPerSecond: samples.length / ((now - start) / 1000),
    samplesMicroseconds: samples,
  }
}

/** The operations of one implementation, each a thunk over pre-built inputs. */
function operationsOf(implementation: Implementation): Record<Operation, () => unknown> {
  const message = crypto.randomBytes(MESSAGE_BYTES)
  if (implementation === 'raw') {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ml-dsa-65')
    const signature = crypto.sign(null, message, privateKey)
    const kem = crypto.generateKeyPairSync('ml-kem-768')
    const { ciphertext } = crypto.encapsulate(kem.publicKey)
    return {
      keygen: () => crypto.generateKeyPairSync('ml-dsa-65'),
      sign: () => crypto.sign(null, message, privateKey),
      verify: () => crypto.verify(null, message, publicKey, signature),
      kem_keygen: () => crypto.generateKeyPairSync('ml-kem-768'),
      encapsulate: () => crypto.encapsulate(kem.publicKey),
      decapsulate: () => crypto.decapsulate(kem.privateKey, ciphertext),
    }
  }
  const backend: PqcBackend = createPqcBackend(implementation)
  const signer = backend.mlDsa65KeyPairFromSeed(SIGNER_SEED)
  const signature = signer.sign(message)
  const kem = backend.generateMlKem768KeyPair()
  const { ciphertext } = backend.encapsulateMlKem768(kem.publicKey)
  return {
    keygen: () => backend.generateMlDsa65KeyPair(),
    sign: () => signer.sign(message),
    verify: () => backend.verifyMlDsa65(signer.publicKey, message, signature),
    kem_keygen: () => backend.generateMlKem768KeyPair(),
    encapsulate: () => backend.encapsulateMlKem768(kem.publicKey),
    decapsulate: () => kem.decapsulate(ciphertext),
  }
}

/** Verify loop inside a worker: waits for `start`, verifies for `durationMs`, reports the count. */
function runWorker(durationMs: number): void {
  const port = parentPort!
  const backend = createPqcBackend('native')
  const message = crypto.randomBytes(MESSAGE_BYTES)
  const signer = backend.mlDsa65KeyPairFromSeed(SIGNER_SEED)
  const signature = signer.sign(message)
  backend.verifyMlDsa65(signer.publicKey, message, signature)
  port.once('message', () => {
    let operations = 0
    const start = performance.now()
    while (performance.now() - start < durationMs) {
      if (!backend.verifyMlDsa65(signer.publicKey, message, signature)) throw new Error('verify')
      operations += 1
    }
    port.postMessage({ operations } satisfies WorkerReport)
  })
  port.postMessage('ready')
}

/** Total verifications per second across `count` workers started together. */
async function workerThroughput(count: number, durationMs: number): Promise<number> {
  const workers = Array.from(
    { length: count },
    () => new Worker(new URL(import.meta.url), { workerData: { durationMs } }),
  )
  try {
    await Promise.all(
      workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))),
    )
    const reports = workers.map(
      (worker) =>
        new Promise<WorkerReport>((resolve, reject) => {
          worker.once('message', resolve)
          worker.once('error', reject)
        }),
    )
    const start = performance.now()
    for (const worker of workers) worker.postMessage('start')
    const results = await Promise.all(reports)
    const seconds = (performance.now() - start) / 1000
    return results.reduce((sum, report) => sum + report.operations, 0) / seconds
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      'measure-ms': { type: 'string', default: '250' },
      'worker-ms': { type: 'string', default: '1000' },
    },
  })
  const runs = Number(values.runs)
  const measureMs = Number(values['measure-ms'])
  const workerMs = Number(values['worker-ms'])
  const implementations: Implementation[] = ['native', 'noble', 'raw']
  const operationNames: Operation[] = [
    'keygen',
    'sign',
    'verify',
    'kem_keygen',
    'encapsulate',
    'decapsulate',
  ]
  const suites = Object.fromEntries(
    implementations.map((implementation) => [implementation, operationsOf(implementation)]),
  ) as Record<Implementation, Record<Operation, () => unknown>>

  // Warm-up: JIT, lazy OpenSSL provider loading, noble's precomputed tables.
  for (const implementation of implementations) {
    for (const operation of operationNames) measure(suites[implementation][operation], 50, 3)
  }

  const rates = new Map<string, number[]>()
  const samples = new Map<string, number[]>()
  for (let run = 0; run < runs; run += 1) {
    for (const operation of operationNames) {
      for (const implementation of implementations) {
        const key = `${operation}:${implementation}`
        const result = measure(suites[implementation][operation], measureMs)
        rates.set(key, [...(rates.get(key) ?? []), result.operationsPerSecond])
        samples.set(key, [...(samples.get(key) ?? []), ...result.samplesMicroseconds])
      }
    }
  }

  const uncached = createPqcBackend('native', { publicKeyCacheSize: 0 })
  const message = crypto.randomBytes(MESSAGE_BYTES)
  const signer = uncached.mlDsa65KeyPairFromSeed(SIGNER_SEED)
  const signature = signer.sign(message)
  const uncachedRates: number[] = []
  for (let run = 0; run < runs; run += 1) {
    const verifyUncached = () => uncached.verifyMlDsa65(signer.publicKey, message, signature)
    uncachedRates.push(measure(verifyUncached, measureMs).operationsPerSecond)
  }

  const workerRates: Record<number, number[]> = { 1: [], 2: [] }
  for (let run = 0; run < runs; run += 1) {
    for (const count of [1, 2]) workerRates[count]!.push(await workerThroughput(count, workerMs))
  }

  const figures: Record<string, number> = {}
  for (const operation of operationNames) {
    for (const implementation of implementations) {
      const key = `${operation}:${implementation}`
      figures[`${operation}_per_s_${implementation}`] = round(median(rates.get(key)!))
      figures[`${operation}_p50_us_${implementation}`] = round(
        percentile(samples.get(key)!, 0.5),
        1,
      )
      figures[`${operation}_p99_us_${implementation}`] = round(
        percentile(samples.get(key)!, 0.99),
        1,
      )
    }
    const native = median(rates.get(`${operation}:native`)!)
    figures[`${operation}_ratio_native_to_noble`] = round(
      native / median(rates.get(`${operation}:noble`)!),
      2,
    )
    figures[`${operation}_ratio_native_to_raw`] = round(
      native / median(rates.get(`${operation}:raw`)!),
      3,
    )
  }
  figures.verify_per_s_native_uncached = round(median(uncachedRates))
  figures.verify_per_s_1_worker = round(median(workerRates[1]!))
  figures.verify_per_s_2_workers = round(median(workerRates[2]!))

  writeBenchResult(
    'pq-crypto',
    {
      message_bytes: MESSAGE_BYTES,
      runs,
      measure_ms: measureMs,
      worker_ms: workerMs,
      openssl: process.versions.openssl,
    },
    figures,
  )

  const count = (value: number | undefined) => Math.round(value ?? 0).toLocaleString('en-US')
  const column = (text: string | number, width = 12) => String(text).padStart(width)
  console.log(
    `${'ops/s'.padEnd(12)}${column('native')}${column('noble')}${column('raw')}${column('native÷noble', 14)}${column('native÷raw')}`,
  )
  for (const operation of operationNames) {
    console.log(
      operation.padEnd(12) +
        column(count(figures[`${operation}_per_s_native`])) +
        column(count(figures[`${operation}_per_s_noble`])) +
        column(count(figures[`${operation}_per_s_raw`])) +
        column(`${figures[`${operation}_ratio_native_to_noble`]}×`, 14) +
        column(figures[`${operation}_ratio_native_to_raw`] ?? 0),
    )
  }
  const percent = (value: number | undefined) => `${Math.round((value ?? 0) * 100)}%`
  console.log(
    `pq-crypto: verify ${count(figures.verify_per_s_native)}/s native vs ${count(figures.verify_per_s_noble)}/s noble (${figures.verify_ratio_native_to_noble}×, ${percent(figures.verify_ratio_native_to_raw)} of raw); ` +
      `sign ${count(figures.sign_per_s_native)}/s vs ${count(figures.sign_per_s_noble)}/s (${figures.sign_ratio_native_to_noble}×, ${percent(figures.sign_ratio_native_to_raw)} of raw); ` +
      `encapsulate ${count(figures.encapsulate_per_s_native)}/s vs ${count(figures.encapsulate_per_s_noble)}/s; ` +
      `verify on 1/2 workers ${count(figures.verify_per_s_1_worker)}/${count(figures.verify_per_s_2_workers)} per s`,
  )
}

if (isMainThread) {
  await main()
} else {
  runWorker((workerData as { durationMs: number }).durationMs)
}
