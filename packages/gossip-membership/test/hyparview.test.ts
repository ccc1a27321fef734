import { describe, expect, it } from 'vitest'
import { Driver, SMALL_LIMITS, peer } from './fixtures.js'

describe('HyParView core', () => {
  it('admits a joiner and starts one ARWL walk per other neighbour', () => {
    const driver = new Driver({ ...SMALL_LIMITS, activeRandomWalkLength: 4 })
    driver.connect(1, 2)
    const actions = driver.receive(9, { type: 'join', addresses: peer(9).addresses })
    expect(driver.state.active.has(peer(9).id)).toBe(true)
    expect(driver.sent('neighbor-reply', actions)).toEqual([
      { to: peer(9).id, message: { type: 'neighbor-reply', accepted: true } },
    ])
    const walks = driver.sent('forward-join', actions)
    expect(walks.map((walk) => walk.to).sort()).toEqual([peer(1).id, peer(2).id].sort())
    expect(
      walks.every((walk) => walk.message.type === 'forward-join' && walk.message.ttl === 4),
    ).toBe(true)
  })

  it('ends a forward walk at ttl 0 with a HIGH priority NEIGHBOR, and adds it on accept', () => {
    const driver = new Driver(SMALL_LIMITS)
    driver.connect(1, 2)
    const actions = driver.receive(1, { type: 'forward-join', peer: peer(9), ttl: 0 })
    expect(driver.sent('neighbor', actions)).toEqual([
      {
        to: peer(9).id,
        message: { type: 'neighbor', priority: 'high', addresses: peer(0).addresses },
      },
    ])
    driver.receive(9, { type: 'neighbor-reply', accepted: true })
    expect(driver.state.active.has(peer(9).id)).toBe(true)
  })

  it('stores a walk in the passive view at PRWL and forwards it to another neighbour', () => {
    const driver = new Driver({ ...SMALL_LIMITS, passiveRandomWalkLength: 2 })
    driver.connect(1, 2)
    const actions = driver.receive(1, { type: 'forward-join', peer: peer(9), ttl: 2 })
    expect(driver.state.passive.has(peer(9).id)).toBe(true)
    expect(driver.sent('forward-join', actions)).toEqual([
      { to: peer(2).id, message: { type: 'forward-join', peer: peer(9), ttl: 1 } },
    ])
  })

  it('ignores walks and shuffles from peers that are not neighbours', () => {
    const driver = new Driver(SMALL_LIMITS)
    const walk = driver.receive(5, { type: 'forward-join', peer: peer(9), ttl: 0 })
    const shuffle = driver.receive(5, {
      type: 'shuffle',
      origin: peer(5),
      ttl: 0,
      peers: [peer(8)],
    })
    expect([...walk, ...shuffle]).toEqual([])
    expect(driver.state.passive.size).toBe(0)
  })

  it('accepts HIGH priority evicting at the target size, and LOW without eviction below the hard cap', () => {
    const driver = new Driver(SMALL_LIMITS) // target 3, hard cap 5
    driver.connect(1, 2, 3)
    const lows = [4, 5, 6].map((index) =>
      driver.receive(index, { type: 'neighbor', priority: 'low', addresses: [] }),
    )
    expect(lows.map((actions) => driver.sent('neighbor-reply', actions)[0]?.message)).toEqual([
      { type: 'neighbor-reply', accepted: true },
      { type: 'neighbor-reply', accepted: true },
      { type: 'neighbor-reply', accepted: false },
    ])
    expect(driver.sent('disconnect', lows.flat())).toEqual([])
    expect(driver.state.active.size).toBe(5)
    expect(driver.state.passive.has(peer(6).id)).toBe(true)
    const high = driver.receive(7, { type: 'neighbor', priority: 'high', addresses: [] })
    expect(driver.sent('neighbor-reply', high)[0]?.message).toEqual({
      type: 'neighbor-reply',
      accepted: true,
    })
    expect(driver.state.active.size).toBe(5)
    const evicted = driver.sent('disconnect', high)
    expect(evicted).toHaveLength(1)
    expect(driver.state.passive.has(evicted[0]!.to as never)).toBe(true)
    expect(
      high.some((action) => action.type === 'neighbor:down' && action.reason === 'evicted'),
    ).toBe(true)
  })

  it('keeps the view at the target when join walks end here (HIGH requests evict at 3, not 5)', () => {
    const driver = new Driver(SMALL_LIMITS)
    driver.connect(1, 2, 3, 4, 5, 6)
    expect(driver.state.active.size).toBe(3)
    expect(driver.sent('disconnect')).toHaveLength(3)
  })

  it('answers a shuffle with a full shuffle of passive peers even when the origin sent none', () => {
    const driver = new Driver(SMALL_LIMITS) // ka 2 + kp 1 + 1 = 4
    driver.connect(1, 2, 3)
    // At ttl = PRWL (3) a passing walk leaves its joiner in the passive view (2 per sender).
    for (const index of [10, 11, 12, 13, 14, 15]) {
      driver.receive(1 + (index % 3), { type: 'forward-join', peer: peer(index), ttl: 3 })
    }
    const passiveBefore = driver.state.passive.size
    expect(passiveBefore).toBeGreaterThanOrEqual(4)
    const reply = driver.receive(2, { type: 'shuffle', origin: peer(20), ttl: 1, peers: [] })
    const sent = driver.sent('shuffle-reply', reply)[0]?.message
    expect(sent?.type === 'shuffle-reply' ? sent.peers.length : -1).toBe(4)
  })

  it('shuffles as soon as its JOIN is accepted, then often while its passive view is under half full', () => {
    const driver = new Driver({ ...SMALL_LIMITS, shuffleIntervalMs: 10_000 })
    driver.input({ type: 'join', contacts: [peer(1)] })
    const accepted = driver.receive(1, { type: 'neighbor-reply', accepted: true })
    const early = [...accepted, ...driver.advance(1)]
    expect(driver.sent('shuffle', early)).toHaveLength(1)
    // Passive view empty (< 7 / 2): the next shuffle comes within 1.5 × 10 s / 4, not 5–15 s.
    let shuffles = 0
    for (let step = 0; step < 38; step++)
      shuffles += driver.sent('shuffle', driver.advance(100)).length
    expect(shuffles).toBe(1)
  })

  it('refuses an accept it never asked for with DISCONNECT', () => {
    const driver = new Driver(SMALL_LIMITS)
    const actions = driver.receive(4, { type: 'neighbor-reply', accepted: true })
    expect(driver.state.active.size).toBe(0)
    expect(driver.sent('disconnect', actions)).toHaveLength(1)
  })

  it('moves a disconnecting neighbour to the passive view and repairs from the passive view', () => {
    const driver = new Driver(SMALL_LIMITS)
    driver.connect(1, 2, 3)
    driver.receive(1, { type: 'shuffle-reply', peers: [] })
    driver.receive(2, { type: 'forward-join', peer: peer(8), ttl: 3 })
    const actions = driver.receive(1, { type: 'disconnect', leaving: false })
    expect(driver.state.active.has(peer(1).id)).toBe(false)
    expect(driver.state.passive.has(peer(1).id)).toBe(true)
    expect(driver.sent('neighbor', actions).map((sent) => sent.message)).toEqual([
      { type: 'neighbor', priority: 'low', addresses: peer(0).addresses },
    ])
  })

  it('caps the passive entries one sender introduces at maxPassiveEntriesPerSource', () => {
    const driver = new Driver({
      ...SMALL_LIMITS,
      maxPassiveEntriesPerSource: 2,
      shufflesPerSenderPerInterval: 10,
    })
    driver.connect(1, 2)
    driver.receive(1, {
      type: 'shuffle',
      origin: peer(20),
      ttl: 0,
      peers: [peer(21), peer(22), peer(23)],
    })
    const fromOne = [...driver.state.passive.values()].filter(
      (entry) => entry.introducedBy === peer(1).id,
    )
    expect(fromOne).toHaveLength(2)
  })

  it('drops shuffles beyond shufflesPerSenderPerInterval until the bucket refills', () => {
    const driver = new Driver({
      ...SMALL_LIMITS,
      shufflesPerSenderPerInterval: 2,
      shuffleIntervalMs: 10_000,
    })
    driver.connect(1)
    const replies = [30, 31, 32].map(
      (index) =>
        driver.sent(
          'shuffle-reply',
          driver.receive(1, { type: 'shuffle', origin: peer(index), ttl: 0, peers: [] }),
        ).length,
    )
    expect(replies).toEqual([1, 1, 0])
    driver.now += 5_000
    expect(
      driver.sent(
        'shuffle-reply',
        driver.receive(1, { type: 'shuffle', origin: peer(33), ttl: 0, peers: [] }),
      ),
    ).toHaveLength(1)
  })

  it('ignores a shuffle reply it did not ask for', () => {
    const driver = new Driver(SMALL_LIMITS)
    driver.receive(3, { type: 'shuffle-reply', peers: [peer(8), peer(9)] })
    expect(driver.state.passive.size).toBe(0)
  })

  it('limits JOINs to joinsPerSecond and refuses the rest', () => {
    const driver = new Driver({ ...SMALL_LIMITS, joinsPerSecond: 2 })
    const accepted = [11, 12, 13].map(
      (index) =>
        driver.sent('neighbor-reply', driver.receive(index, { type: 'join', addresses: [] }))[0]
          ?.message,
    )
    expect(
      accepted.map((message) => message?.type === 'neighbor-reply' && message.accepted),
    ).toEqual([true, true, false])
  })

  it('rejoins through the next contact when a contact fails, round-robin', () => {
    const driver = new Driver(SMALL_LIMITS)
    driver.input({ type: 'join', contacts: [peer(1), peer(2)] })
    const first = driver.sent('join')[0]!.to
    driver.input({ type: 'send-failed', peer: first as never })
    driver.advance(1)
    const joins = driver.sent('join').map((sent) => sent.to)
    expect(joins).toHaveLength(2)
    expect(new Set(joins).size).toBe(2)
  })
})
