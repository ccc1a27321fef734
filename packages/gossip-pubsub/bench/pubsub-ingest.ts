// Benchmark B2 (PERF.md): one node's ingest (decode → dedup → verify → deliver and forward to 7
// eager neighbours) over pre-signed 1 KiB messages from 16 origins, side by side with a raw
// ML-DSA-65 verify loop over the same signatures in the same run (interleaved, several runs,
// medians). Variants: all fresh; 50% duplicates; duplicates only; 8 messages per signature.
// Also the signing side of batching (PERF.md B6): messages signed per second at batch 1 and 8.
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

/**
 * Fresh ingest and the raw verify loop interleaved in chunks of `CHUNK` frames, so load from
 * other processes on a shared machine falls on both alike. Returns both rates.
 */
function freshAgainstVerify(
  frames: readonly Uint8Array[],
  inputs: readonly VerifyInput[],
): { ingest: number; verify: number } {
  const node = ingestNode()
  let ingestSeconds = 0
  let verifySeconds = 0
  for (let start = 0; start < frames.length; start += CHUNK) {
    const end = Math.min(frames.length, start + CHUNK)
    let before = performance.now()
    for (let index = start; index < end; index++) {
      const { publicKey, signedBody, signature } = inputs[index]!
      if (!backend.verifyMlDsa65(publicKey, signedBody, signature, PUBSUB_SIGNING_CONTEXT))
        throw new Error('verify failed')
    }
    verifySeconds += (performance.now() - before) / 1000
    before = performance.now()
    for (let index = start; index < end; index++) {
      if (node.receive('source', frames[index]!, 1_000 + index).deliveries.length !== 1)
        throw new Error('not delivered')
    }
    ingestSeconds += (performance.now() - before) / 1000
  }
  return { ingest: frames.length / ingestSeconds, verify: frames.length / verifySeconds }
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

function main(): void {
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
    const { ingest, verify } = freshAgainstVerify(fresh, inputs)
    record('verify', verify)
    record('fresh', ingest)
    record('ratio', ingest / verify)
    const node = ingestNode()
    feed(node, fresh)
    record('duplicates', fresh.length / feed(node, fresh).seconds)
    const mixed = feed(ingestNode(), halfDuplicates)
    record('mixed', halfDuplicates.length / mixed.seconds)
    const batch = feed(ingestNode(), batched)
    record('batched', batch.delivered / batch.seconds)
  }
  const signBatch1 = median(Array.from({ length: 3 }, () => signRate(1, 500)))
  const signBatch8 = median(Array.from({ length: 3 }, () => signRate(8, 500)))

  const verify = median(samples.verify!)
  const fresh_ = median(samples.fresh!)
  const figures = {
    raw_verify_per_s: round(verify),
    ingest_fresh_msgs_per_s: round(fresh_),
    ingest_ratio_to_verify: round(median(samples.ratio!), 3),
    ingest_ns_per_msg_beyond_verify: round((1 / fresh_ - 1 / verify) * 1e9),
    ingest_half_duplicates_msgs_per_s: round(median(samples.mixed!)),
    duplicates_per_s: round(median(samples.duplicates!)),
    ingest_batch8_msgs_per_s: round(median(samples.batched!)),
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
      `(${count_(figures.ingest_ns_per_msg_beyond_verify)} ns/msg beyond verify); 50% duplicates ${count_(figures.ingest_half_duplicates_msgs_per_s)} msg/s; ` +
      `duplicates ${count_(figures.duplicates_per_s)}/s; 8 per signature ${count_(figures.ingest_batch8_msgs_per_s)} msg/s; ` +
      `signing ${count_(signBatch1)} → ${count_(signBatch8)} msg/s at batch 1 → 8`,
  )
}

main()
