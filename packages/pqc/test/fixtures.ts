// Shared helpers for the pqc tests.
import { createPqcBackend } from '../src/create-pqc-backend.js'

export const native = createPqcBackend('native')
export const noble = createPqcBackend('noble')
export const backends = [native, noble] as const

/** `length` bytes counting up from `start` (mod 256): a fixed, easily reproduced input. */
export function sequence(length: number, start = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => (start + index) & 0xff)
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

export function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'))
}

export const encoder = new TextEncoder()

/** A copy of `bytes` with one bit flipped at `index`. */
export function flipBit(bytes: Uint8Array, index: number): Uint8Array {
  const copy = new Uint8Array(bytes)
  copy[index] = (copy[index] ?? 0) ^ 0x01
  return copy
}
