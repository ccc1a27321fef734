// Reading a request body with a hard size bound: past `maxBytes` nothing more is buffered.
import type { IncomingMessage } from 'node:http'
import { PayloadTooLargeError } from '@x0x/api'

/**
 * After a 413 the rest of an oversized body is read and discarded so the client (which is still
 * sending) receives the answer; past this many discarded bytes the connection is cut instead.
 */
export const MAX_DISCARDED_BODY_BYTES = 16 * 1024 * 1024

/**
 * Reads the whole body. Throws `PayloadTooLargeError` as soon as `Content-Length` or the bytes
 * received exceed `maxBytes`, without buffering more; the caller answers 413 and calls
 * `discardBody`.
 */
export function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length'] ?? '0')
  if (declared > maxBytes) return Promise.reject(new PayloadTooLargeError())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let received = 0
    const cleanup = (): void => {
      request.off('data', onData)
      request.off('end', onEnd)
      request.off('error', onError)
      request.off('close', onClose)
    }
    const onData = (chunk: Buffer): void => {
      received += chunk.length
      if (received > maxBytes) {
        cleanup()
        request.pause()
        reject(new PayloadTooLargeError())
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      cleanup()
      resolve(Buffer.concat(chunks))
    }
    const onError = (error: Error): void => {
      cleanup()
      reject(error)
    }
    const onClose = (): void => {
      cleanup()
      reject(new Error('client closed the request'))
    }
    request.on('data', onData)
    request.on('end', onEnd)
    request.on('error', onError)
    request.on('close', onClose)
  })
}

/** Reads and drops what is left of a body, cutting the connection past `MAX_DISCARDED_BODY_BYTES`. */
export function discardBody(request: IncomingMessage): void {
  let discarded = 0
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length
    if (discarded > MAX_DISCARDED_BODY_BYTES) request.socket.destroy()
  })
  request.resume()
}
