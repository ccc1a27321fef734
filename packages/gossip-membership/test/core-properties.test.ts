import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { MembershipInput, MembershipMessage, MembershipState } from '../src/index.js'
import { createSimulation } from '../src/testing/index.js'
import { Driver, SMALL_LIMITS, peer } from './fixtures.js'

const POOL = 14
const peerIndex = fc.integer({ min: 0, max: POOL })
const someone = peerIndex.map(peer)
const someones = fc.array(someone, { maxLength: 6 })

const message: fc.Arbitrary<MembershipMessage> = fc.oneof(
  fc.constant({ type: 'join', addresses: [] } as const),
  fc.record({
    type: fc.constant('forward-join' as const),
    peer: someone,
    ttl: fc.integer({ min: 0, max: 9 }),
  }),
  fc.record({
    type: fc.constant('neighbor' as const),
    priority: fc.constantFrom('high' as const, 'low' as const),
    addresses: fc.constant([]),
  }),
  fc.record({ type: fc.constant('neighbor-reply' as const), accepted: fc.boolean() }),
  fc.record({ type: fc.constant('disconnect' as const), leaving: fc.boolean() }),
  fc.record({
    type: fc.constant('shuffle' as const),
    origin: someone,
    ttl: fc.integer({ min: 0, max: 9 }),
    peers: someones,
  }),
  fc.record({ type: fc.constant('shuffle-reply' as const), peers: someones }),
  fc.record({ type: fc.constant('ping' as const), sequence: fc.nat(20), neighbor: fc.boolean() }),
  fc.record({ type: fc.constant('ack' as const), sequence: fc.nat(20) }),
  fc.record({ type: fc.constant('ping-request' as const), target: someone, sequence: fc.nat(20) }),
  fc.record({
    type: fc.constant('ping-request-ack' as const),
    target: someone.map((p) => p.id),
    sequence: fc.nat(20),
  }),
)

type Step = { delay: number; input: MembershipInput }
const step: fc.Arbitrary<Step> = fc.record({
  delay: fc.integer({ min: 0, max: 1_500 }),
  input: fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        type: fc.constant('receive' as const),
        from: someone.map((p) => p.id),
        message,
      }),
    },
    { weight: 2, arbitrary: fc.constant({ type: 'tick' } as const) },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('send-failed' as const),
        peer: someone.map((p) => p.id),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('connection-lost' as const),
        peer: someone.map((p) => p.id),
      }),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('join' as const), contacts: someones }) },
  ),
})

function checkInvariants(state: MembershipState): void {
  const { options, active, passive, pending } = state
  const self = state.self.id
  expect(active.size).toBeLessThanOrEqual(options.maxActiveViewSize)
  expect(passive.size).toBeLessThanOrEqual(options.passiveViewSize)
  expect(active.has(self) || passive.has(self) || pending.has(self)).toBe(false)
  for (const id of active.keys()) expect(passive.has(id)).toBe(false)
  expect(pending.size).toBeLessThanOrEqual(2 * options.maxActiveViewSize + 2)
  expect(state.indirectProbes.size).toBeLessThanOrEqual(options.maxPendingIndirectProbes)
  expect(state.failed.size).toBeLessThanOrEqual(options.maxFailedPeers)
  const bySource = new Map<string, number>()
  for (const entry of passive.values()) {
    if (entry.introducedBy !== undefined)
      bySource.set(entry.introducedBy, (bySource.get(entry.introducedBy) ?? 0) + 1)
    expect(entry.peer.addresses.length).toBeLessThanOrEqual(4)
  }
  for (const [source, count] of bySource) {
    expect(count).toBeLessThanOrEqual(options.maxPassiveEntriesPerSource)
    expect(state.passiveBySource.get(source as never)).toBe(count)
  }
  expect(state.passiveBySource.size).toBe(bySource.size)
}

describe('membership core properties', () => {
  it('keeps views bounded, disjoint, free of self and within quotas under any input sequence', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        const driver = new Driver(SMALL_LIMITS)
        for (const { delay, input } of steps) {
          driver.now += delay
          const actions = driver.input(input)
          for (const action of actions) {
            if (action.type === 'send') expect(action.to.id).not.toBe(driver.state.self.id)
          }
          checkInvariants(driver.state)
        }
      }),
      { seed: 42, numRuns: 300 },
    )
  })

  it('replays exactly: the same inputs at the same times give the same actions', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const runs = [new Driver(SMALL_LIMITS), new Driver(SMALL_LIMITS)].map((driver) => {
          for (const { delay, input } of steps) {
            driver.now += delay
            driver.input(input)
          }
          return JSON.stringify(driver.actions)
        })
        expect(runs[0]).toBe(runs[1])
      }),
      { seed: 43, numRuns: 100 },
    )
  })

  it('reaches symmetric, connected active views after quiescence, with churn', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 4, max: 40 }),
        (seed, size) => {
          const simulation = createSimulation({ seed, membership: SMALL_LIMITS })
          simulation.addNodes(size, { intervalMs: 30 })
          simulation.run(5_000)
          simulation.killFraction(0.25)
          simulation.run(30_000)
          const metrics = simulation.metrics()
          const context = `seed ${seed}, size ${size}`
          expect(metrics.asymmetricLinks, context).toBe(0)
          expect(metrics.deadLinks, context).toBe(0)
          expect(metrics.connected, context).toBe(true)
          expect(metrics.activeViewMax, context).toBeLessThanOrEqual(5)
        },
      ),
      { seed: 44, numRuns: 15 },
    )
  })
})
