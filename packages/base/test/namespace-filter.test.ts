import { describe, expect, it } from 'vitest'
import { namespaceFilter } from '../src/namespace-filter.js'

describe('namespaceFilter', () => {
  it('enables namespaces matching a wildcard and not an exclusion', () => {
    const enabled = namespaceFilter('x0x:*,-x0x:transport:frame')
    expect(enabled('x0x:pubsub')).toBe(true)
    expect(enabled('x0x:transport')).toBe(true)
    expect(enabled('x0x:transport:frame')).toBe(false)
    expect(enabled('libp2p:dht')).toBe(false)
  })

  it('accepts spaces as separators and exact names', () => {
    const enabled = namespaceFilter('x0x:transport  x0x:pubsub:error')
    expect(enabled('x0x:transport')).toBe(true)
    expect(enabled('x0x:transport:error')).toBe(false)
    expect(enabled('x0x:pubsub:error')).toBe(true)
  })

  it('treats regex metacharacters in names literally', () => {
    const enabled = namespaceFilter('x0x.a+')
    expect(enabled('x0x.a+')).toBe(true)
    expect(enabled('x0xxaa')).toBe(false)
  })

  it('enables nothing for an empty pattern', () => {
    expect(namespaceFilter('')('x0x')).toBe(false)
  })
})
