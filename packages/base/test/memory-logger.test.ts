import { describe, expect, it } from 'vitest'
import { VirtualClock, memoryLogger } from '../src/index.js'

describe('memoryLogger', () => {
  it('captures formatted entries with their component, level and time', () => {
    const clock = new VirtualClock({ startTime: 42 })
    const logger = memoryLogger({ clock })
    logger.forComponent('x0x:crdt').warn('merge %s', 'conflict')
    expect(logger.entries).toEqual([
      {
        time: 42,
        component: 'x0x:crdt',
        level: 'warn',
        namespace: 'x0x:crdt:warn',
        message: 'merge conflict',
      },
    ])
  })

  it('keeps at most capacity entries, dropping the oldest and counting them', () => {
    const logger = memoryLogger({ capacity: 3 })
    const log = logger.forComponent('x0x')
    for (let index = 0; index < 5; index++) log('entry %d', index)
    expect(logger.entries.map((entry) => entry.message)).toEqual(['entry 2', 'entry 3', 'entry 4'])
    expect(logger.dropped).toBe(2)
    logger.clear()
    expect(logger.entries).toEqual([])
    expect(logger.dropped).toBe(0)
  })

  it('captures only the namespaces asked for', () => {
    const logger = memoryLogger({ namespaces: '*:error' })
    const log = logger.forComponent('x0x:groups')
    log('debug')
    log.error('error')
    expect(logger.entries.map((entry) => entry.level)).toEqual(['error'])
  })
})
