import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createMembershipState,
  nextWakeup,
  stepMembership,
  type MembershipAction,
} from '../src/index.js'
import { Driver, SMALL_LIMITS, peer } from './fixtures.js'

const SWIM = {
  ...SMALL_LIMITS,
  activeViewSize: 4,
  probeIntervalMs: 1_000,
  ackTimeoutMs: 400,
  suspicionTimeoutMs: 2_500,
  indirectProbeCount: 2,
}

function downs(actions: MembershipAction[]): string[] {
  return actions.flatMap((action) =>
    action.type === 'neighbor:down' ? [`${action.peer.id}:${action.reason}`] : [],
  )
}

describe('SWIM failure detection', () => {
  it('pings a silent neighbour, asks K others to probe after the ack timeout, and suspects it', () => {
    const driver = new Driver(SWIM)
    driver.connect(1, 2, 3, 4)
    driver.advance(1_000)
    const pings = driver.sent('ping')
    expect(pings.map((ping) => ping.to).sort()).toEqual(
      [1, 2, 3, 4].map((index) => peer(index).id).sort(),
    )
    // Everyone but peer 1 answers.
    for (const ping of pings) {
      if (ping.to !== peer(1).id && ping.message.type === 'ping') {
        driver.input({
          type: 'receive',
          from: ping.to as never,
          message: { type: 'ack', sequence: ping.message.sequence },
        })
      }
    }
    const indirect = driver.advance(400)
    const requests = driver.sent('ping-request', indirect)
    expect(requests).toHaveLength(2)
    expect(requests.every((request) => request.to !== peer(1).id)).toBe(true)
    driver.advance(600)
    expect(driver.state.active.get(peer(1).id)?.suspectedAt).toBe(2_000)
  })

  it('declares a neighbour dead after the suspicion timeout and repairs from the passive view', () => {
    const driver = new Driver(SWIM)
    driver.connect(1, 2)
    driver.receive(2, { type: 'forward-join', peer: peer(7), ttl: 3 })
    const all: MembershipAction[] = []
    for (let time = 0; time < 5_000; time += 100) {
      all.push(...driver.advance(100))
      for (const ping of driver.sent('ping', all.splice(0))) {
        if (ping.to === peer(2).id && ping.message.type === 'ping') {
          driver.receive(2, { type: 'ack', sequence: ping.message.sequence })
        }
      }
    }
    const actions = driver.actions
    expect(downs(actions)).toEqual([`${peer(1).id}:failed`])
    expect(driver.state.failed.has(peer(1).id)).toBe(true)
    expect(driver.sent('neighbor').some((sent) => sent.to === peer(7).id)).toBe(true)
  })

  it('keeps a slow neighbour whose ack arrives late but within the suspicion timeout', () => {
    const driver = new Driver(SWIM)
    driver.connect(1)
    let acked = 0
    for (let time = 0; time < 20_000; time += 100) {
      const ping = driver.sent('ping', driver.advance(100)).at(-1)
      if (ping?.message.type !== 'ping') continue
      // The ack arrives 900 ms late: past the ack timeout, so indirect probes go out too.
      const sequence = ping.message.sequence
      driver.advance(900)
      time += 900
      driver.receive(1, { type: 'ack', sequence })
      acked++
    }
    expect(acked).toBeGreaterThan(5)
    expect(driver.sent('ping-request')).toHaveLength(0) // no other neighbour to ask
    expect(driver.state.active.has(peer(1).id)).toBe(true)
    expect(downs(driver.actions)).toEqual([])
  })

  it('runs an indirect probe for a neighbour and relays the ack', () => {
    const driver = new Driver(SWIM)
    driver.connect(1)
    const probe = driver.receive(1, { type: 'ping-request', target: peer(5), sequence: 77 })
    const ping = driver.sent('ping', probe)[0]
    expect(ping?.to).toBe(peer(5).id)
    expect(ping?.message).toMatchObject({ type: 'ping', neighbor: false })
    const sequence = ping?.message.type === 'ping' ? ping.message.sequence : -1
    const relay = driver.receive(5, { type: 'ack', sequence })
    expect(driver.sent('ping-request-ack', relay)).toEqual([
      { to: peer(1).id, message: { type: 'ping-request-ack', target: peer(5).id, sequence: 77 } },
    ])
  })

  it('bounds indirect probes run for others by count and per sender', () => {
    const driver = new Driver({
      ...SWIM,
      maxPendingIndirectProbes: 6,
      pingRequestsPerSenderPerInterval: 4,
    })
    driver.connect(1, 2)
    let pings = 0
    for (let index = 0; index < 10; index++) {
      pings += driver.sent(
        'ping',
        driver.receive(1 + (index % 2), {
          type: 'ping-request',
          target: peer(20 + index),
          sequence: index,
        }),
      ).length
    }
    expect(pings).toBe(6)
    expect(driver.state.indirectProbes.size).toBe(6)
  })

  it('answers a neighbour-ping from a non-neighbour with DISCONNECT, and acks other pings', () => {
    const driver = new Driver(SWIM)
    expect(
      driver.sent('disconnect', driver.receive(3, { type: 'ping', sequence: 1, neighbor: true })),
    ).toHaveLength(1)
    expect(
      driver.sent('ack', driver.receive(3, { type: 'ping', sequence: 2, neighbor: false })),
    ).toEqual([{ to: peer(3).id, message: { type: 'ack', sequence: 2 } }])
  })
})

describe('deadlines with fractional times', () => {
  // With fractional times, (start + timeout) − start can fall short of timeout in floating point;
  // a deadline compared as `now − start < timeout` then never fires at its own wakeup and the
  // shell's timer spins at the same instant. Every wakeup must make progress.
  it('moves the next wakeup strictly later at every wakeup, for any fractional start time', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), (start) => {
        const state = createMembershipState(peer(0), { ...SWIM, seed: 1 })
        stepMembership(state, { type: 'start' }, start)
        for (const index of [1, 2]) {
          const message = { type: 'neighbor', priority: 'high', addresses: [] } as const
          stepMembership(state, { type: 'receive', from: peer(index).id, message }, start)
        }
        for (const index of [7, 8]) {
          const message = { type: 'forward-join', peer: peer(index), ttl: 0 } as const
          stepMembership(state, { type: 'receive', from: peer(1).id, message }, start)
        }
        // Nobody ever answers: probes, indirect probes, suspicion, death and repair requests all
        // come due in turn.
        for (let wakeup = 0; wakeup < 60; wakeup++) {
          const now = nextWakeup(state)
          if (now === undefined) break
          stepMembership(state, { type: 'tick' }, now)
          expect(nextWakeup(state) ?? Number.POSITIVE_INFINITY).toBeGreaterThan(now)
        }
        expect(state.active.size).toBe(0)
        expect(state.failed.size).toBe(2)
      }),
      { seed: 5, numRuns: 200 },
    )
  })
})
