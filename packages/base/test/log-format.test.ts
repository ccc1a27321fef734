import { describe, expect, it } from 'vitest'
import { formatLogMessage } from '../src/log-format.js'

describe('formatLogMessage', () => {
  it('applies printf-style placeholders and appends extra arguments', () => {
    expect(formatLogMessage('peer %s sent %d frames (%i%%)', ['abc', 3.7, '42.9', 'extra'])).toBe(
      'peer abc sent 3 frames (42%) extra',
    )
    expect(formatLogMessage('ratio %f', [0.5])).toBe('ratio 0.5')
  })

  it('leaves a placeholder without an argument as written', () => {
    expect(formatLogMessage('missing %s', [])).toBe('missing %s')
  })

  it('prints byte arrays as their length only, at any depth', () => {
    const key = new Uint8Array(1952).fill(0xab)
    const line = formatLogMessage('key %s in %o', [
      key,
      { nested: { key }, buffer: Buffer.from(key) },
    ])
    expect(line).toBe(
      'key <Uint8Array 1952 bytes> in { nested: { key: <Uint8Array 1952 bytes> }, buffer: <Uint8Array 1952 bytes> }',
    )
    expect(line).not.toMatch(/ab|171/)
    expect(formatLogMessage(key.buffer, [])).toBe('<ArrayBuffer 1952 bytes>')
  })

  it('escapes control characters so a peer string cannot forge a log line', () => {
    const line = formatLogMessage('name %s', ['evil\n2025-01-01 x0x:admin granted\u2028\u0007'])
    expect(line).toBe('name evil\\n2025-01-01 x0x:admin granted\\u2028\\x07')
    expect(line).not.toContain('\n')
  })

  it('caps the line length', () => {
    const line = formatLogMessage('%s', ['x'.repeat(100_000)])
    expect(line.length).toBe(4_096)
    expect(line.endsWith('…')).toBe(true)
  })

  it('formats errors with their cause, and bounds nesting and entries', () => {
    const error = new Error('outer', { cause: new TypeError('inner') })
    expect(formatLogMessage('failed %e', [error])).toBe(
      'failed Error: outer (cause: TypeError: inner)',
    )
    expect(formatLogMessage({ a: { b: { c: { d: 1 } } } }, [])).toBe('{ a: { b: { c: … } } }')
    const many = Array.from({ length: 25 }, (_, index) => index)
    expect(formatLogMessage(many, [])).toMatch(/, 19, … 5 more \]$/)
  })

  it('formats maps, sets, bigints, class instances and cycles without throwing', () => {
    class PeerRecord {
      id = 'p1'
    }
    const cyclic: Record<string, unknown> = {}
    cyclic['self'] = cyclic
    expect(formatLogMessage('%o', [new Map([['a', 1n]])])).toBe('Map(1) { "a" => 1n }')
    expect(formatLogMessage(new Set(['x']), [new PeerRecord()])).toBe(
      'Set(1) { "x" } PeerRecord { id: "p1" }',
    )
    expect(formatLogMessage(cyclic, [])).toBe('{ self: { self: { self: … } } }')
    expect(formatLogMessage(Object.create(null) as object, [])).toBe('{}')
  })

  it('prints an object whose getter throws as unprintable', () => {
    const hostile = {
      get boom(): string {
        throw new Error('no')
      },
    }
    expect(formatLogMessage(hostile, [])).toBe('<unprintable>')
  })
})
