import { describe, expect, it } from 'vitest'
import { VirtualClock, debugLogger, silentLogger } from '../src/index.js'

describe('silentLogger', () => {
  it('is disabled and writes nothing', () => {
    const log = silentLogger.forComponent('x0x:test')
    expect(log.enabled).toBe(false)
    expect(() => {
      log('hello %s', 'world')
      log.error('bad')
      log.warn('careful')
      log.trace('detail')
    }).not.toThrow()
  })
})

describe('debugLogger', () => {
  it('writes one stamped line per enabled entry to the sink, with level namespaces', () => {
    const lines: string[] = []
    const clock = new VirtualClock({ startTime: Date.UTC(2025, 0, 2, 3, 4, 5) })
    const logger = debugLogger({ namespaces: 'x0x:*', write: (line) => lines.push(line), clock })
    const log = logger.forComponent('x0x:pubsub')
    expect(log.enabled).toBe(true)
    log('joined %s', 'topic')
    log.error('lost %d peers', 2)
    log.warn('slow')
    log.trace('frame')
    expect(lines).toEqual([
      '2025-01-02T03:04:05.000Z x0x:pubsub joined topic\n',
      '2025-01-02T03:04:05.000Z x0x:pubsub:error lost 2 peers\n',
      '2025-01-02T03:04:05.000Z x0x:pubsub:warn slow\n',
      '2025-01-02T03:04:05.000Z x0x:pubsub:trace frame\n',
    ])
  })

  it('enables levels independently through the pattern', () => {
    const lines: string[] = []
    const logger = debugLogger({
      namespaces: 'x0x:transport:error,x0x:pubsub,-x0x:pubsub:trace',
      write: (line) => lines.push(line),
    })
    const transport = logger.forComponent('x0x:transport')
    const pubsub = logger.forComponent('x0x:pubsub')
    expect(transport.enabled).toBe(false)
    transport('ignored')
    transport.error('kept')
    pubsub.trace('ignored')
    pubsub('kept')
    expect(lines.map((line) => line.split(' ').slice(1).join(' '))).toEqual([
      'x0x:transport:error kept\n',
      'x0x:pubsub kept\n',
    ])
  })

  it('does not format arguments of a disabled level', () => {
    const lines: string[] = []
    const log = debugLogger({ namespaces: '', write: (line) => lines.push(line) }).forComponent(
      'x0x',
    )
    const argument = {
      get expensive(): string {
        throw new Error('formatted a disabled entry')
      },
    }
    log('%o', argument)
    expect(lines).toEqual([])
  })
})
