// Benchmark B2 (PERF.md): one node's ingest (decode → dedup → verify → deliver and forward to 7
// eager neighbours) over pre-signed 1 KiB messages from 16 origins (1,093-byte signed bodies,
// 3,309-byte signatures), side by side with a raw ML-DSA-65 verify loop over the same signatures
// in the same run. The raw loop makes exactly ingest's call: `backend.verifyMlDsa65` on the same
// native backend instance with the same key, signed body, signature and context. The two are
// interleaved in chunks of 50 frames, alternating which goes first; rates are per wall second
// and per CPU second of this process (the latter ignores preemption by other processes); the
// ratio is the median of the per-run ratios. Variants: all fresh; 50% duplicates; duplicates only
// (five passes per run); 8 messages per signature. Also the signing side of batching (PERF.md
// B6) at batch 1 and 8, and verification off the main thread (`createVerifyPool`): the same
// verifications on the main thread, on a pool of 1 and of 2 workers (256 outstanding), as
// verifications per second and main-thread CPU per verification (`process.threadCpuUsage`).
// Writes bench/results/pubsub-ingest.json and prints a one-line summary.
//
//   node packages/gossip-pubsub/bench/pubsub-ingest.ts [--runs 5] [--frames 1200]
//
// Runs the built package (`pnpm build` first), as an application would.
import { parseArgs } from 'node:util'
import { createRandom } from '@x0x/base'
import {
  PUBSUB_SIGNING_CONTEXT,
  createPubsubNode,
  createVerifyPool,
  decodeEnvelope,
  decodeFrame,
  resolveFrameLimits,
  type PubsubNode,
} from '@x0x/gossip-pubsub'
import { createPqcBackend } from '@x0x/pqc'
import { round, writeBenchResult } from '@x0x/bench-kit'

const PAYLOAD_BYTES = 1024
const ORIGINS = 16
const NEIGHBOURS = ['source', 'n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7']
const TOPIC = 'bench'
const CHUNK = 50

const backend = createPqcBackend('native')
const limits = resolveFrameLimits()
const random = createRandom(2)

/** MESSAGE frames from `ORIGINS` publishers, `batch` messages per signature, as a first hop sees them. */
function signedFrames(count: number, batch: number): Uint8Array[] {
  const publishers = Array.from({ length: ORIGINS }, (_, index) => {
    const agentKey = backend.mlDsa65KeyPairFromSeed(random.derive(`origin-${index}`).bytes(32))
    const node = createPubsubNode({ backend, agentKey })
    node.neighbourUp('ingest', 0)
    return node
  })
  const frames: Uint8Array[] = []
  for (let index = 0; index < count; index++) {
    const payloads = Array.from({ length: batch }, () => random.bytes(PAYLOAD_BYTES))
    const output = publishers[index % ORIGINS]!.publish(TOPIC, payloads, index)
    frames.push(...output.sends.map((send) => send.frame))
  }
  return frames
}

function ingestNode(): PubsubNode {
  const node = createPubsubNode({ backend })
  for (const peer of NEIGHBOURS) node.neighbourUp(peer, 0)
  node.subscribe(TOPIC, 0)
  return node
}

/** Seconds to feed `frames` to `node`, and the messages it delivered. */
function feed(
  node: PubsubNode,
  frames: readonly Uint8Array[],
): { seconds: number; delivered: number } {
  let delivered = 0
  const start = performance.now()
  for (let index = 0; index < frames.length; index++) {
    delivered += node.receive('source', frames[index]!, 1_000 + index).deliveries.length
  }
  return { seconds: (performance.now() - start) / 1000, delivered }
}

interface VerifyInput {
  readonly publicKey: Uint8Array
  readonly signedBody: Uint8Array
  readonly signature: Uint8Array
}

/** The (key, body, signature) triples the raw verify loop checks: the same work as ingest's. */
function verifyInputs(frames: readonly Uint8Array[]): VerifyInput[] {
  const keys = new Map<string, Uint8Array>()
  return frames.map((frame) => {
    const decoded = decodeFrame(frame, limits)
    if (decoded.type !== 'message') throw new Error('expected MESSAGE frames')
    const envelope = decodeEnvelope(decoded.envelope, limits)
    if (decoded.publicKey !== undefined) keys.set(envelope.origin, decoded.publicKey)
    return {
      publicKey: keys.get(envelope.origin)!,
      signedBody: envelope.signedBody,
      signature: envelope.signature,
    }
  })
}

/** Wall and CPU (this process: user + system) microseconds of one call of `run`. */
function timed(run: () => void): { wall: number; cpu: number } {
  const cpuBefore = process.cpuUsage()
  const before = performance.now()
  run()
  const wall = (performance.now() - before) * 1000
  const cpu = process.cpuUsage(cpuBefore)
  return { wall, cpu: cpu.user + cpu.system }
}

interface FreshRates {
  readonly ingest: number
  readonly verify: number
  readonly ingestCpu: number
  readonly verifyCpu: number
}

/**
 * Fresh ingest and the raw verify loop over the same frames, interleaved in chunks of `CHUNK`
 * frames (which goes first alternates), so load from other processes on a shared machine falls
 * on both alike. The raw loop makes exactly the call ingest makes (`backend.verifyMlDsa65` on the
 * same backend instance, key, signed body, signature and context). Rates per wall second, and
 * per CPU second of this process (preemption by other processes does not count in the latter).
 */
function freshAgainstVerify(
  frames: readonly Uint8Array[],
  inputs: readonly VerifyInput[],
): FreshRates {
  const node = ingestNode()
  const ingestTime = { wall: 0, cpu: 0 }
  const verifyTime = { wall: 0, cpu: 0 }
  const add = (total: { wall: number; cpu: number }, part: { wall: number; cpu: number }) => {
    total.wall += part.wall
    total.cpu += part.cpu
  }
  for (let start = 0, chunk = 0; start < frames.length; start += CHUNK, chunk++) {
    const end = Math.min(frames.length, start + CHUNK)
    const verifyChunk = () => {
      for (let index = start; index < end; index++) {
        const { publicKey, signedBody, signature } = inputs[index]!
        if (!backend.verifyMlDsa65(publicKey, signedBody, signature, PUBSUB_SIGNING_CONTEXT))
          throw new Error('verify failed')
      }
    }
    const ingestChunk = () => {
      for (let index = start; index < end; index++) {
        if (node.receive('source', frames[index]!, 1_000 + index).deliveries.length !== 1)
          throw new Error('not delivered')
      }
    }
    if (chunk % 2 === 0) {
      add(verifyTime, timed(verifyChunk))
      add(ingestTime, timed(ingestChunk))
    } else {
      add(ingestTime, timed(ingestChunk))
      add(verifyTime, timed(verifyChunk))
    }
  }
  const perSecond = (microseconds: number) => frames.length / (microseconds / 1e6)
  return {
    ingest: perSecond(ingestTime.wall),
    verify: perSecond(verifyTime.wall),
    ingestCpu: perSecond(ingestTime.cpu),
    verifyCpu: perSecond(verifyTime.cpu),
  }
}

interface PoolRates {
  /** Verifications per wall second. */
  readonly perSecond: number
  /** Main-thread CPU microseconds per verification (workers' CPU not included). */
  readonly mainCpuMicroseconds: number
}

/** Main-thread CPU microseconds (user + system) since `since`. */
function threadCpu(since?: NodeJS.CpuUsage): { usage: NodeJS.CpuUsage; micros: number } {
  const usage = process.threadCpuUsage(since)
  return { usage, micros: usage.user + usage.system }
}

/** The raw verify loop on the main thread: rate and main-thread CPU per verification. */
function mainThreadVerify(inputs: readonly VerifyInput[]): PoolRates {
  const cpuBefore = threadCpu().usage
  const before = performance.now()
  for (const { publicKey, signedBody, signature } of inputs) {
    if (!backend.verifyMlDsa65(publicKey, signedBody, signature, PUBSUB_SIGNING_CONTEXT))
      throw new Error('verify failed')
  }
  const seconds = (performance.now() - before) / 1000
  return {
    perSecond: inputs.length / seconds,
    mainCpuMicroseconds: threadCpu(cpuBefore).micros / inputs.length,
  }
}

/** The same verifications through a pool of `workers`, at most `window` outstanding. */
async function poolVerify(inputs: readonly VerifyInput[], workers: number): Promise<PoolRates> {
  const window = 256
  const pool = createVerifyPool({ workers, maxQueued: window })
  try {
    await pool.verify(jobOf(inputs[0]!)) // workers started and warm
    const cpuBefore = threadCpu().usage
    const before = performance.now()
    let next = 0
    const lane = async () => {
      while (next < inputs.length) {
        if (!(await pool.verify(jobOf(inputs[next++]!)))) throw new Error('verify failed')
      }
    }
    await Promise.all(Array.from({ length: window }, lane))
    const seconds = (performance.now() - before) / 1000
    return {
      perSecond: inputs.length / seconds,
      mainCpuMicroseconds: threadCpu(cpuBefore).micros / inputs.length,
    }
  } finally {
    await pool.close()
  }
}

function jobOf({ publicKey, signedBody, signature }: VerifyInput) {
  return { publicKey, message: signedBody, signature, context: PUBSUB_SIGNING_CONTEXT }
}

function signRate(batch: number, milliseconds: number): number {
  const agentKey = backend.mlDsa65KeyPairFromSeed(random.bytes(32))
  const node = createPubsubNode({ backend, agentKey })
  const payloads = Array.from({ length: batch }, () => random.bytes(PAYLOAD_BYTES))
  let messages = 0
  const start = performance.now()
  while (performance.now() - start < milliseconds) {
    node.publish(TOPIC, payloads, messages)
    messages += batch
  }
  return messages / ((performance.now() - start) / 1000)
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '5' },
      frames: { type: 'string', default: '1200' },
    },
  })
  const runs = Number(values.runs)
  const count = Number(values.frames)
  const fresh = signedFrames(count, 1)
  const batched = signedFrames(Math.ceil(count / 8), 8)
  const halfDuplicates = fresh.flatMap((frame) => [frame, frame])

  const samples: Record<string, number[]> = {}
  const record = (key: string, value: number) => (samples[key] ??= []).push(value)
  const inputs = verifyInputs(fresh)
  freshAgainstVerify(fresh.slice(0, 100), inputs) // warm-up: JIT and the native key objects
  for (let run = 0; run < runs; run++) {
    const { ingest, verify, ingestCpu, verifyCpu } = freshAgainstVerify(fresh, inputs)
    record('verify', verify)
    record('fresh', ingest)
    record('ratio', ingest / verify)
    record('beyond', (1 / ingest - 1 / verify) * 1e9)
    record('verifyCpu', verifyCpu)
    record('freshCpu', ingestCpu)
    record('ratioCpu', ingestCpu / verifyCpu)
    record('beyondCpu', (1 / ingestCpu - 1 / verifyCpu) * 1e9)
    const node = ingestNode()
    feed(node, fresh)
    // Five passes (a pass takes a few ms, so one preemption on a shared machine would skew it).
    for (let pass = 0; pass < 5; pass++) {
      record('duplicates', fresh.length / feed(node, fresh).seconds)
    }
    const mixed = feed(ingestNode(), halfDuplicates)
    record('mixed', halfDuplicates.length / mixed.seconds)
    const batch = feed(ingestNode(), batched)
    record('batched', batch.delivered / batch.seconds)
  }
  for (let run = 0; run < runs; run++) {
    // Side by side in each run: one core, then a pool of 1 and of 2 workers (2 cores here).
    const main = mainThreadVerify(inputs)
    record('poolMain', main.perSecond)
    record('poolMainCpu', main.mainCpuMicroseconds)
    for (const workers of [1, 2]) {
      const pooled = await poolVerify(inputs, workers)
      record(`pool${workers}`, pooled.perSecond)
      record(`pool${workers}Cpu`, pooled.mainCpuMicroseconds)
      record(`pool${workers}Ratio`, pooled.perSecond / main.perSecond)
    }
  }
  const signBatch1 = median(Array.from({ length: 3 }, () => signRate(1, 500)))
  const signBatch8 = median(Array.from({ length: 3 }, () => signRate(8, 500)))

  const verify = median(samples.verify!)
  const fresh_ = median(samples.fresh!)
  const figures = {
    raw_verify_per_s: round(verify),
    ingest_fresh_msgs_per_s: round(fresh_),
    ingest_ratio_to_verify: round(median(samples.ratio!), 3),
    ingest_ns_per_msg_beyond_verify: round(median(samples.beyond!)),
    raw_verify_per_cpu_s: round(median(samples.verifyCpu!)),
    ingest_fresh_msgs_per_cpu_s: round(median(samples.freshCpu!)),
    ingest_ratio_to_verify_cpu: round(median(samples.ratioCpu!), 3),
    ingest_cpu_ns_per_msg_beyond_verify: round(median(samples.beyondCpu!)),
    ingest_half_duplicates_msgs_per_s: round(median(samples.mixed!)),
    duplicates_per_s: round(median(samples.duplicates!)),
    ingest_batch8_msgs_per_s: round(median(samples.batched!)),
    verify_per_s_main_thread: round(median(samples.poolMain!)),
    verify_main_cpu_us_per_msg_main_thread: round(median(samples.poolMainCpu!), 1),
    verify_per_s_pool_1_worker: round(median(samples.pool1!)),
    verify_main_cpu_us_per_msg_pool_1_worker: round(median(samples.pool1Cpu!), 1),
    verify_ratio_pool_1_worker_to_main: round(median(samples.pool1Ratio!), 3),
    verify_per_s_pool_2_workers: round(median(samples.pool2!)),
    verify_main_cpu_us_per_msg_pool_2_workers: round(median(samples.pool2Cpu!), 1),
    verify_ratio_pool_2_workers_to_main: round(median(samples.pool2Ratio!), 3),
    sign_msgs_per_s_batch1: round(signBatch1),
    sign_msgs_per_s_batch8: round(signBatch8),
  }
  const params = {
    payload_bytes: PAYLOAD_BYTES,
    origins: ORIGINS,
    neighbours: NEIGHBOURS.length,
    frames: count,
    runs,
    openssl: process.versions.openssl,
  }
  writeBenchResult('pubsub-ingest', params, figures)
  const count_ = (value: number) => Math.round(value).toLocaleString('en-US')
  console.log(
    `pubsub-ingest: fresh ${count_(figures.ingest_fresh_msgs_per_s)} msg/s = ${Math.round(figures.ingest_ratio_to_verify * 100)}% of raw verify ${count_(verify)}/s ` +
      `(${count_(figures.ingest_ns_per_msg_beyond_verify)} ns/msg beyond verify; by CPU time ${Math.round(figures.ingest_ratio_to_verify_cpu * 100)}%, ${count_(figures.ingest_cpu_ns_per_msg_beyond_verify)} ns); 50% duplicates ${count_(figures.ingest_half_duplicates_msgs_per_s)} msg/s; ` +
      `duplicates ${count_(figures.duplicates_per_s)}/s; 8 per signature ${count_(figures.ingest_batch8_msgs_per_s)} msg/s; ` +
      `signing ${count_(signBatch1)} → ${count_(signBatch8)} msg/s at batch 1 → 8; ` +
      `verify main thread / pool of 1 / 2 workers ${count_(figures.verify_per_s_main_thread)} / ${count_(figures.verify_per_s_pool_1_worker)} / ${count_(figures.verify_per_s_pool_2_workers)}/s, ` +
      `main-thread CPU ${figures.verify_main_cpu_us_per_msg_main_thread} / ${figures.verify_main_cpu_us_per_msg_pool_1_worker} / ${figures.verify_main_cpu_us_per_msg_pool_2_workers} µs/msg`,
  )
}

await main()
