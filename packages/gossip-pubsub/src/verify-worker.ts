// The worker side of `createVerifyPool` (verify-pool.ts): verifies batches of ML-DSA-65
// signatures (FIPS 204) with the native backend and answers with one result byte per job.
// Self-contained on purpose (only `node:` modules and `@x0x/pqc`), so it loads as built
// JavaScript and, in tests, as TypeScript through Node's type stripping.
//
// Request:  { ids: Uint32Array, lengths: Uint32Array (4 per job: key, message, signature,
//             context), data: ArrayBuffer (each job's fields back to back) }
// Response: { ids: Uint32Array, results: Uint8Array (1 valid, 0 invalid) }
import { parentPort } from 'node:worker_threads'
import { createPqcBackend } from '@x0x/pqc'

interface VerifyBatch {
  readonly ids: Uint32Array
  readonly lengths: Uint32Array
  readonly data: ArrayBuffer
}

const port = parentPort
if (port === null) throw new Error('verify-worker runs only as a worker thread')
const backend = createPqcBackend('native')

port.on('message', (batch: VerifyBatch) => {
  const { ids, lengths, data } = batch
  const results = new Uint8Array(ids.length)
  let offset = 0
  const take = (length: number): Uint8Array => {
    const view = new Uint8Array(data, offset, length)
    offset += length
    return view
  }
  for (let index = 0; index < ids.length; index++) {
    const [keyLength = 0, messageLength = 0, signatureLength = 0, contextLength = 0] =
      lengths.subarray(index * 4, index * 4 + 4)
    const publicKey = take(keyLength)
    const message = take(messageLength)
    const signature = take(signatureLength)
    const context = contextLength === 0 ? undefined : take(contextLength)
    results[index] = backend.verifyMlDsa65(publicKey, message, signature, context) ? 1 : 0
  }
  port.postMessage({ ids, results }, [results.buffer])
})
