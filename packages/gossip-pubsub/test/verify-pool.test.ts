import { isErrorNamed } from '@x0x/base'
import { afterEach, describe, expect, it } from 'vitest'
import { PUBSUB_SIGNING_CONTEXT } from '../src/signed-envelope.js'
import { createVerifyPool, type VerifyJob, type VerifyPool } from '../src/verify-pool.js'
import { agentKey, encoder } from './fixtures.js'

const signer = agentKey('pool-signer')
const other = agentKey('pool-other')

function job(text: string, context: Uint8Array | undefined = PUBSUB_SIGNING_CONTEXT): VerifyJob {
  const message = encoder.encode(text)
  return { publicKey: signer.publicKey, message, signature: signer.sign(message, context), context }
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

const crashingWorker = new URL('./fixtures/crashing-verify-worker.ts', import.meta.url)
const pools: VerifyPool[] = []
function pool(init: Parameters<typeof createVerifyPool>[0]): VerifyPool {
  const created = createVerifyPool(init)
  pools.push(created)
  return created
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()))
})

describe('createVerifyPool', () => {
  it('gives the backend verdict for valid, forged, wrong-key and wrong-context jobs on 2 workers', async () => {
    const verifier = pool({ workers: 2, maxInFlightPerWorker: 4 })
    const valid = Array.from({ length: 24 }, (_, index) => job(`message ${index}`))
    const forged = { ...valid[0]!, message: encoder.encode('message 0!') }
    const wrongKey = { ...valid[1]!, publicKey: other.publicKey }
    const wrongContext = { ...valid[2]!, context: encoder.encode('x0x/other/v1') }
    const noContext = job('no context', undefined)
    const results = await Promise.all(
      [...valid, forged, wrongKey, wrongContext, noContext].map((entry) => verifier.verify(entry)),
    )
    expect(results).toEqual([...valid.map(() => true), false, false, false, true])
    expect(verifier.stats()).toMatchObject({ verified: 28, pending: 0, threads: 2 })
  })

  it('copies the job bytes at once, so the caller may reuse its buffers', async () => {
    const verifier = pool({ workers: 1 })
    const entry = job('reused')
    const message = entry.message.slice()
    const verdict = verifier.verify({ ...entry, message })
    message.fill(0)
    expect(await verdict).toBe(true)
  })

  it('rejects a job past maxQueued with QueueFullError and still verifies the rest', async () => {
    const verifier = pool({ workers: 1, maxQueued: 3 })
    const verdicts = Array.from({ length: 5 }, (_, index) => verifier.verify(job(`q${index}`)))
    const settled = await Promise.allSettled(verdicts)
    expect(settled.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ])
    const reasons = settled.flatMap((result): unknown[] =>
      result.status === 'rejected' ? [result.reason] : [],
    )
    expect(reasons.every((reason) => isErrorNamed(reason, 'QueueFullError'))).toBe(true)
    expect(verifier.stats()).toMatchObject({ verified: 3, queue_full: 2, pending: 0 })
  })

  it('removes an aborted waiting job: it rejects with AbortError and is never verified', async () => {
    const verifier = pool({ workers: 1, maxInFlightPerWorker: 1 })
    const controller = new AbortController()
    const first = verifier.verify(job('first'))
    const second = verifier.verify(job('second'), { signal: controller.signal })
    const third = verifier.verify(job('third'))
    controller.abort()
    expect((await rejection(second)).name).toBe('AbortError')
    expect(await Promise.all([first, third])).toEqual([true, true])
    expect(verifier.stats()).toMatchObject({ verified: 2, aborted: 1, pending: 0 })
  })

  it('rejects an in-flight job at once on abort, and a job with an aborted signal before queueing', async () => {
    const verifier = pool({ workers: 1 })
    const controller = new AbortController()
    const running = verifier.verify(job('running'), { signal: controller.signal })
    await Promise.resolve()
    await Promise.resolve() // the flush has sent it to the worker
    controller.abort(new Error('caller gave up'))
    const error = await rejection(running)
    expect(error.name).toBe('AbortError')
    expect((error.cause as Error).message).toBe('caller gave up')
    expect(
      (await rejection(verifier.verify(job('late'), { signal: controller.signal }))).name,
    ).toBe('AbortError')
    expect(await verifier.verify(job('after'))).toBe(true)
    expect(verifier.stats().pending).toBe(0)
  })

  it('fails the jobs of a crashed worker with VerifyWorkerCrashedError and replaces it', async () => {
    const verifier = pool({ workers: 1, workerUrl: crashingWorker })
    const poisoned = verifier.verify(job('crash'))
    const sameBatch = verifier.verify(job('innocent bystander'))
    expect((await rejection(poisoned)).name).toBe('VerifyWorkerCrashedError')
    expect((await rejection(sameBatch)).name).toBe('VerifyWorkerCrashedError')
    expect(await verifier.verify(job('after the crash'))).toBe(true)
    expect(verifier.stats()).toMatchObject({
      worker_crashes: 1,
      verified: 1,
      pending: 0,
      threads: 1,
    })
  })

  it('close rejects pending jobs with ClosedError, ends the threads and refuses new jobs', async () => {
    const verifier = createVerifyPool({ workers: 2, maxInFlightPerWorker: 1 })
    const verdicts = Array.from({ length: 6 }, (_, index) => verifier.verify(job(`c${index}`)))
    await Promise.resolve()
    await Promise.resolve()
    expect(verifier.stats().threads).toBe(2)
    const outcomes = Promise.allSettled(verdicts)
    await verifier.close()
    const settled = await outcomes
    expect(settled.every((result) => result.status === 'rejected')).toBe(true)
    expect(
      settled.every(
        (result) => result.status === 'rejected' && isErrorNamed(result.reason, 'ClosedError'),
      ),
    ).toBe(true)
    expect(verifier.stats()).toMatchObject({ threads: 0, pending: 0 })
    expect((await rejection(verifier.verify(job('closed')))).name).toBe('ClosedError')
  })

  it('refuses a non-positive size', () => {
    expect(() => createVerifyPool({ workers: 0 })).toThrow('workers must be a positive integer')
    expect(() => createVerifyPool({ maxQueued: 1.5 })).toThrow('maxQueued')
  })
})
