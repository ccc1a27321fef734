import { describe, expect, it } from 'vitest'
import { withObservedHost } from '../src/membership-service.js'

const connection = { remoteAddress: { host: '192.0.2.7', port: 40_000 } }

describe('withObservedHost', () => {
  it('replaces wildcard hosts in JOIN and NEIGHBOR with the connection host, keeping ports', () => {
    const join = withObservedHost(
      {
        type: 'join',
        addresses: [
          { host: '0.0.0.0', port: 5483 },
          { host: '10.0.0.2', port: 1 },
        ],
      },
      connection,
    )
    expect(join.addresses).toEqual([
      { host: '192.0.2.7', port: 5483 },
      { host: '10.0.0.2', port: 1 },
    ])
    const neighbor = withObservedHost(
      { type: 'neighbor', priority: 'low', addresses: [{ host: '::', port: 9 }] },
      connection,
    )
    expect(neighbor.addresses).toEqual([{ host: '192.0.2.7', port: 9 }])
  })

  it('leaves concrete addresses and other messages untouched', () => {
    const message = { type: 'join', addresses: [{ host: '10.0.0.2', port: 1 }] } as const
    expect(withObservedHost(message, connection)).toBe(message)
    const reply = { type: 'neighbor-reply', accepted: true } as const
    expect(withObservedHost(reply, connection)).toBe(reply)
  })
})
