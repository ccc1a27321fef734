import { describe, expect, it } from 'vitest'
import { createMemoisedVerifier } from '../src/testing/index.js'
import { agentKey, countingBackend, encoder } from './fixtures.js'

const context = encoder.encode('x0x/test')

describe('createMemoisedVerifier', () => {
  const alice = agentKey('alice')
  const mallory = agentKey('mallory')
  const message = encoder.encode('the same signed bytes at every node')
  const signature = alice.sign(message, context)

  it('verifies repeats of one (key, message, signature, context) once', () => {
    const backend = countingBackend()
    const verifier = createMemoisedVerifier(backend)
    for (let node = 0; node < 5; node++)
      expect(verifier.verifyMlDsa65(alice.publicKey, message, signature, context)).toBe(true)
    expect(backend.verifications).toBe(1)
    expect({ hits: verifier.hits, misses: verifier.misses }).toEqual({ hits: 4, misses: 1 })
  })

  it('never answers a tampered signature, another key or another context from memory', () => {
    const backend = countingBackend()
    const verifier = createMemoisedVerifier(backend)
    expect(verifier.verifyMlDsa65(alice.publicKey, message, signature, context)).toBe(true)
    const tampered = signature.slice()
    tampered[100] = (tampered[100] ?? 0) ^ 1
    expect(verifier.verifyMlDsa65(alice.publicKey, message, tampered, context)).toBe(false)
    expect(verifier.verifyMlDsa65(mallory.publicKey, message, signature, context)).toBe(false)
    expect(verifier.verifyMlDsa65(alice.publicKey, message, signature, encoder.encode('x'))).toBe(
      false,
    )
    // The forgeries replaced the memory of the genuine copy, which is then verified again.
    expect(verifier.verifyMlDsa65(alice.publicKey, message, signature, context)).toBe(true)
    expect(backend.verifications).toBe(5)
  })

  it('forgets the oldest message past maxEntries', () => {
    const backend = countingBackend()
    const verifier = createMemoisedVerifier(backend, { maxEntries: 2 })
    const messages = ['a', 'b', 'c'].map((text) => encoder.encode(text))
    const signatures = messages.map((bytes) => alice.sign(bytes, context))
    messages.forEach((bytes, index) =>
      verifier.verifyMlDsa65(alice.publicKey, bytes, signatures[index]!, context),
    )
    verifier.verifyMlDsa65(alice.publicKey, messages[2]!, signatures[2]!, context)
    expect(backend.verifications).toBe(3)
    verifier.verifyMlDsa65(alice.publicKey, messages[0]!, signatures[0]!, context)
    expect(backend.verifications).toBe(4)
  })
})
