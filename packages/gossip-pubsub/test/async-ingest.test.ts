import { agentIdFromPublicKey } from '@x0x/pqc'
import { afterAll, describe, expect, it } from 'vitest'
import { FrameEncoder } from '../src/frame-encoder.js'
import { KeyExchange } from '../src/key-exchange.js'
import { MessageIngest, type IngestSink } from '../src/message-ingest.js'
import type { PubsubOutput } from '../src/pubsub-output.js'
import { resolveFrameLimits } from '../src/pubsub-frame.js'
import { emptyGossipStats, emptyIngestCounters } from '../src/pubsub-stats.js'
import { PublicKeyDirectory, resolvePublicKeyDirectoryLimits } from '../src/public-key-directory.js'
import { signEnvelope, type MessageId, type SignedEnvelope } from '../src/signed-envelope.js'
import { createVerifyPool, type VerifyPool } from '../src/verify-pool.js'
import { agentKey, backend, encoder } from './fixtures.js'

const signer = agentKey('async-signer')
const origin = agentIdFromPublicKey(signer.publicKey)
const limits = resolveFrameLimits()
const pools: VerifyPool[] = []

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.close()))
})

function envelope(sequence: number): SignedEnvelope {
  const content = {
    origin,
    topic: 'async',
    epoch: 1,
    firstSequence: sequence,
    timestamp: 0,
    payloads: [encoder.encode(`message ${sequence}`)],
  }
  return signEnvelope(content, signer, limits)
}

/** The same body with one signature byte past the challenge flipped: a forgery. */
function forged(real: SignedEnvelope): Uint8Array {
  const bytes = real.bytes.slice()
  bytes[real.signedBody.length + 100]! ^= 0xff
  return bytes
}

/** A MessageIngest on a real pool whose sink records what it is told, and a completion waiter. */
function harness(options: { pool?: VerifyPool; maxInFlight?: number } = {}) {
  const pool = options.pool ?? createVerifyPool({ workers: 1 })
  pools.push(pool)
  const seen = new Set<MessageId>()
  const accepted: { id: MessageId; from: string; firstSequence: number }[] = []
  const duplicates: { id: MessageId; from: string }[] = []
  /** The copies handed over with the forward-only flag, as `accept:from` or `duplicate:from`. */
  const forwardOnly: string[] = []
  const sink: IngestSink = {
    isSeen: (id) => seen.has(id),
    duplicate: (_output, from, _hops, flagged, id) => {
      duplicates.push({ id, from })
      if (flagged) forwardOnly.push(`duplicate:${from}`)
    },
    accept: (_output, from, _hops, flagged, envelope) => {
      seen.add(envelope.id)
      accepted.push({ id: envelope.id, from, firstSequence: envelope.firstSequence })
      if (flagged) forwardOnly.push(`accept:${from}`)
    },
  }
  let completed = 0
  const waiters: { count: number; resolve: () => void }[] = []
  const counters = emptyIngestCounters()
  const stats = emptyGossipStats()
  const directory = new PublicKeyDirectory(resolvePublicKeyDirectoryLimits())
  directory.set(origin, signer.publicKey)
  const encoder_ = new FrameEncoder(limits, directory, 16)
  const ingest = new MessageIngest({
    backend,
    limits,
    keys: new KeyExchange(directory, encoder_, counters, stats),
    sink,
    counters,
    stats,
    maxSeenMessages: 1_000,
    maxRejectedEnvelopes: 100,
    asyncVerification: {
      pool,
      maxInFlight: options.maxInFlight ?? 1_024,
      complete: (finish) => {
        finish({ sends: [], deliveries: [] }, 2)
        completed++
        for (const waiter of waiters.filter((entry) => entry.count <= completed)) waiter.resolve()
      },
    },
  })
  const output: PubsubOutput = { sends: [], deliveries: [] }
  return {
    pool,
    accepted,
    duplicates,
    forwardOnly,
    counters,
    ingest,
    receive: (bytes: Uint8Array, from = 'peer', flagged = false) => {
      ingest.ingest(output, from, { hops: 1, forwardOnly: flagged, envelope: bytes }, 1)
    },
    /** Resolves once `count` verifications have completed in all. */
    completions: (count: number) =>
      new Promise<void>((resolve) => {
        if (completed >= count) resolve()
        else waiters.push({ count, resolve })
      }),
  }
}

describe('MessageIngest with asynchronous verification', () => {
  it('accepts nothing synchronously, then every fresh envelope once, in arrival order on one worker', async () => {
    const node = harness()
    const envelopes = Array.from({ length: 12 }, (_, index) => envelope(index + 1))
    for (const entry of envelopes) node.receive(entry.bytes)
    expect(node.accepted).toEqual([])
    expect(node.ingest.verifying).toBe(12)
    await node.completions(12)
    expect(node.accepted.map((entry) => entry.firstSequence)).toEqual(
      envelopes.map((entry) => entry.firstSequence),
    )
    expect(node.counters.verified).toBe(12)
    expect(node.ingest.verifying).toBe(0)
  })

  it('verifies once when copies with the same signature arrive while it verifies; they become duplicates', async () => {
    const node = harness()
    const entry = envelope(1)
    node.receive(entry.bytes, 'a')
    node.receive(entry.bytes.slice(), 'b')
    node.receive(entry.bytes.slice(), 'c')
    await node.completions(1)
    expect(node.pool.stats().verified).toBe(1)
    expect(node.accepted).toEqual([{ id: entry.id, from: 'a', firstSequence: 1 }])
    expect(node.duplicates).toEqual([
      { id: entry.id, from: 'b' },
      { id: entry.id, from: 'c' },
    ])
  })

  it('remembers one waiting copy per neighbour, however often a neighbour repeats it', async () => {
    const node = harness()
    const entry = envelope(1)
    node.receive(entry.bytes, 'a')
    for (let repeat = 0; repeat < 500; repeat++) {
      node.receive(entry.bytes.slice(), 'a')
      node.receive(entry.bytes.slice(), 'b')
    }
    await node.completions(1)
    expect(node.pool.stats().verified).toBe(1)
    expect(node.accepted).toEqual([{ id: entry.id, from: 'a', firstSequence: 1 }])
    expect(node.duplicates).toEqual([{ id: entry.id, from: 'b' }])
  })

  it('hands each copy to the sink with its own forward-only flag after verifying', async () => {
    const node = harness()
    const entry = envelope(1)
    node.receive(entry.bytes, 'a', true)
    node.receive(entry.bytes.slice(), 'b', true)
    node.receive(entry.bytes.slice(), 'c')
    const plain = envelope(2)
    node.receive(plain.bytes, 'd')
    node.receive(plain.bytes.slice(), 'e', true)
    await node.completions(2)
    expect(node.accepted.map((accepted) => accepted.from)).toEqual(['a', 'd'])
    expect(node.duplicates.map((duplicate) => duplicate.from)).toEqual(['b', 'c', 'e'])
    expect(node.forwardOnly).toEqual(['accept:a', 'duplicate:b', 'duplicate:e'])
  })

  it('accepts a body once when two signatures of it verify concurrently', async () => {
    const node = harness()
    const first = envelope(1)
    const second = envelope(1) // ML-DSA is randomised: same body and id, other signature
    expect(second.id).toBe(first.id)
    node.receive(first.bytes, 'a')
    node.receive(second.bytes, 'b')
    await node.completions(2)
    expect(node.pool.stats().verified).toBe(2)
    expect(node.accepted).toEqual([{ id: first.id, from: 'a', firstSequence: 1 }])
    expect(node.duplicates).toEqual([{ id: first.id, from: 'b' }])
  })

  it('never lets a forged copy in flight suppress the real message, and remembers the forgery', async () => {
    const node = harness()
    const real = envelope(1)
    const forgery = forged(real)
    node.receive(forgery, 'attacker')
    node.receive(forgery.slice(), 'attacker-2') // waits on the forgery and shares its verdict
    node.receive(real.bytes, 'honest')
    await node.completions(2)
    expect(node.accepted).toEqual([{ id: real.id, from: 'honest', firstSequence: 1 }])
    expect(node.duplicates).toEqual([])
    expect(node.counters).toMatchObject({ signature_failed: 1, rejected_repeat: 1, verified: 1 })
    node.receive(forged(envelope(2)), 'attacker')
    await node.completions(3)
    expect(node.accepted).toHaveLength(1)
    expect(node.counters.signature_failed).toBe(2)
  })

  it('verifies on the ingest thread when the pool fails, and past maxInFlight', async () => {
    const closed = createVerifyPool({ workers: 1 })
    await closed.close()
    const failing = harness({ pool: closed })
    const entry = envelope(1)
    failing.receive(entry.bytes)
    failing.receive(forged(envelope(2)))
    await failing.completions(2)
    expect(failing.accepted.map((accepted) => accepted.id)).toEqual([entry.id])
    expect(failing.counters).toMatchObject({ verified: 1, signature_failed: 1 })

    const bounded = harness({ maxInFlight: 1 })
    bounded.receive(envelope(1).bytes)
    bounded.receive(envelope(2).bytes) // over the bound: verified and accepted at once
    expect(bounded.accepted.map((accepted) => accepted.firstSequence)).toEqual([2])
    await bounded.completions(1)
    expect(bounded.accepted.map((accepted) => accepted.firstSequence)).toEqual([2, 1])
  })
})
