import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AgentId } from '@x0x/pqc'
import { step, type EnvelopeSummary, type PlumtreeInput } from '../src/plumtree.js'
import { createPlumtreeState, nextWakeAt, type PlumtreeState } from '../src/plumtree-state.js'
import type { MessageId } from '../src/signed-envelope.js'

const origin = 'a'.repeat(64) as AgentId
const peers = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5']
const topics = ['t0', 't1']

function envelope(index: number, topic = 't0', bytes = 100): EnvelopeSummary {
  const id = index.toString(16).padStart(64, '0') as MessageId
  return {
    id,
    topic,
    origin,
    epoch: 1,
    firstSequence: index + 1,
    lastSequence: index + 1,
    bytes: new Uint8Array(bytes),
  }
}

function checkInvariants(state: PlumtreeState): void {
  for (const tree of state.topics.values()) {
    for (const peer of tree.eager) {
      expect(tree.lazy.has(peer)).toBe(false)
      expect(state.neighbours.has(peer)).toBe(true)
    }
    for (const peer of tree.lazy) expect(state.neighbours.has(peer)).toBe(true)
  }
  for (const missing of state.missing.values()) {
    expect(missing.announcers.length).toBeLessThanOrEqual(state.config.maxAnnouncersPerMessage)
    for (const announcer of missing.announcers)
      expect(state.neighbours.has(announcer.peer)).toBe(true)
  }
  expect(state.missing.size).toBeLessThanOrEqual(state.config.maxMissingMessages)
  expect(state.cache.size).toBeLessThanOrEqual(state.config.maxCacheMessages)
  expect(state.cache.bytes).toBeLessThanOrEqual(state.config.maxCacheBytes)
  expect(state.seen.size).toBeLessThanOrEqual(state.config.maxSeenMessages)
}

const peerArbitrary = fc.constantFrom(...peers)
const topicArbitrary = fc.constantFrom(...topics)
const idArbitrary = fc.nat(30)
const inputArbitrary: fc.Arbitrary<PlumtreeInput> = fc.oneof(
  peerArbitrary.map((peer) => ({ type: 'neighbour-up', peer }) as const),
  peerArbitrary.map((peer) => ({ type: 'neighbour-down', peer }) as const),
  fc
    .tuple(peerArbitrary, topicArbitrary)
    .map(([from, topic]) => ({ type: 'prune', from, topic }) as const),
  fc
    .tuple(peerArbitrary, topicArbitrary, fc.array(idArbitrary, { maxLength: 3 }))
    .map(
      ([from, topic, ids]) =>
        ({ type: 'graft', from, topic, ids: ids.map((index) => envelope(index).id) }) as const,
    ),
  fc
    .tuple(
      peerArbitrary,
      topicArbitrary,
      fc.array(fc.tuple(idArbitrary, fc.nat(20)), { maxLength: 5 }),
    )
    .map(
      ([from, topic, list]) =>
        ({
          type: 'ihave',
          from,
          topic,
          announcements: list.map(([index, hops]) => ({ id: envelope(index, topic).id, hops })),
        }) as const,
    ),
  fc
    .tuple(peerArbitrary, idArbitrary, topicArbitrary, fc.nat(12))
    .map(
      ([from, index, topic, hops]) =>
        ({ type: 'message', from, hops, envelope: envelope(index, topic) }) as const,
    ),
  fc
    .tuple(peerArbitrary, idArbitrary, fc.nat(12))
    .map(
      ([from, index, hops]) => ({ type: 'duplicate', from, hops, id: envelope(index).id }) as const,
    ),
  fc
    .tuple(idArbitrary, topicArbitrary)
    .map(([index, topic]) => ({ type: 'broadcast', envelope: envelope(index, topic) }) as const),
  fc.constant({ type: 'tick' } as const),
)

describe('Plumtree core', () => {
  it('keeps its invariants under any sequence of inputs: eager and lazy disjoint, only neighbours, every bound', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(inputArbitrary, fc.nat(400)), { maxLength: 80 }), (inputs) => {
        const state = createPlumtreeState({
          maxMissingMessages: 5,
          maxAnnouncersPerMessage: 2,
          maxCacheMessages: 7,
          maxCacheBytes: 650,
          maxSeenMessages: 9,
        })
        let now = 0
        for (const [input, elapsed] of inputs) {
          now += elapsed
          step(state, input, now)
          checkInvariants(state)
          if (input.type === 'neighbour-down') {
            for (const tree of state.topics.values())
              expect(tree.eager.has(input.peer) || tree.lazy.has(input.peer)).toBe(false)
          }
          expect(nextWakeAt(state)).toBeGreaterThanOrEqual(0)
        }
      }),
      { seed: 11, numRuns: 300 },
    )
  })

  it('pushes eagerly to every neighbour but the sender, and a duplicate PRUNEs its link', () => {
    const state = createPlumtreeState()
    for (const peer of ['a', 'b', 'c']) step(state, { type: 'neighbour-up', peer }, 0)
    const first = step(
      state,
      { type: 'message', from: 'a', hops: 1, envelope: envelope(1) },
      10,
    ).actions
    expect(
      first
        .filter((action) => action.type === 'send-message')
        .map((action) => [action.to, action.hops]),
    ).toEqual([
      ['b', 2],
      ['c', 2],
    ])
    const duplicate = step(
      state,
      { type: 'duplicate', from: 'b', hops: 3, id: envelope(1).id },
      20,
    ).actions
    expect(duplicate).toEqual([{ type: 'send', to: 'b', frame: { type: 'prune', topic: 't0' } }])
    const tree = state.topics.get('t0')!
    expect([...tree.eager].sort()).toEqual(['a', 'c'])
    expect([...tree.lazy]).toEqual(['b'])
    // The next message goes eagerly to a and c and is announced lazily to b after the flush window.
    const second = step(state, { type: 'broadcast', envelope: envelope(2) }, 30).actions
    expect(second.map((action) => action.to).sort()).toEqual(['a', 'c'])
    const flush = step(state, { type: 'tick' }, nextWakeAt(state)).actions
    expect(flush).toEqual([
      {
        type: 'send',
        to: 'b',
        frame: { type: 'ihave', topic: 't0', announcements: [{ id: envelope(2).id, hops: 1 }] },
      },
    ])
  })

  it('ignores a repair duplicate (hops 0): anti-entropy travels outside the tree', () => {
    const state = createPlumtreeState()
    step(state, { type: 'neighbour-up', peer: 'a' }, 0)
    step(state, { type: 'broadcast', envelope: envelope(1) }, 0)
    expect(
      step(state, { type: 'duplicate', from: 'a', hops: 0, id: envelope(1).id }, 1).actions,
    ).toEqual([])
    expect(state.topics.get('t0')!.eager.has('a')).toBe(true)
  })

  it('GRAFTs announcers in turn when an announced message does not arrive, then gives up', () => {
    const state = createPlumtreeState({ graftTimeout: 100, graftRetryTimeout: 40 })
    for (const peer of ['a', 'b']) step(state, { type: 'neighbour-up', peer }, 0)
    step(state, { type: 'prune', from: 'a', topic: 't0' }, 0)
    step(state, { type: 'prune', from: 'b', topic: 't0' }, 0)
    const { id } = envelope(5)
    step(state, { type: 'ihave', from: 'a', topic: 't0', announcements: [{ id, hops: 2 }] }, 10)
    step(state, { type: 'ihave', from: 'b', topic: 't0', announcements: [{ id, hops: 3 }] }, 20)
    expect(nextWakeAt(state)).toBe(110)
    expect(step(state, { type: 'tick' }, 109).actions).toEqual([])
    expect(step(state, { type: 'tick' }, 110).actions).toEqual([
      { type: 'send', to: 'a', frame: { type: 'graft', topic: 't0', ids: [id] } },
    ])
    expect(state.topics.get('t0')!.eager.has('a')).toBe(true)
    expect(step(state, { type: 'tick' }, 150).actions).toEqual([
      { type: 'send', to: 'b', frame: { type: 'graft', topic: 't0', ids: [id] } },
    ])
    expect(step(state, { type: 'tick' }, 190).actions).toEqual([])
    expect(state.missing.size).toBe(0)
    expect(state.counters.missing_abandoned).toBe(1)
  })

  it('answers a GRAFT from its cache and makes the link eager', () => {
    const state = createPlumtreeState()
    step(state, { type: 'neighbour-up', peer: 'a' }, 0)
    step(state, { type: 'prune', from: 'a', topic: 't0' }, 0)
    step(state, { type: 'message', from: 'a', hops: 4, envelope: envelope(3) }, 0)
    step(state, { type: 'prune', from: 'a', topic: 't0' }, 0)
    const { actions } = step(
      state,
      { type: 'graft', from: 'a', topic: 't0', ids: [envelope(3).id, envelope(9).id] },
      5,
    )
    expect(
      actions.map(
        (action) => action.type === 'send-message' && [action.to, action.hops, action.envelope.id],
      ),
    ).toEqual([['a', 5, envelope(3).id]])
    expect(state.topics.get('t0')!.eager.has('a')).toBe(true)
  })

  it('swaps a long eager path for a much shorter lazy one (§3.8)', () => {
    const state = createPlumtreeState({ optimizationThreshold: 3 })
    for (const peer of ['far', 'near']) step(state, { type: 'neighbour-up', peer }, 0)
    step(state, { type: 'prune', from: 'near', topic: 't0' }, 0)
    step(
      state,
      {
        type: 'ihave',
        from: 'near',
        topic: 't0',
        announcements: [{ id: envelope(1).id, hops: 2 }],
      },
      0,
    )
    const { actions } = step(
      state,
      { type: 'message', from: 'far', hops: 6, envelope: envelope(1) },
      5,
    )
    expect(actions.filter((action) => action.type === 'send')).toEqual([
      { type: 'send', to: 'near', frame: { type: 'graft', topic: 't0', ids: [] } },
      { type: 'send', to: 'far', frame: { type: 'prune', topic: 't0' } },
    ])
  })

  it('evicts cached messages by age, count and bytes', () => {
    const state = createPlumtreeState({
      maxCacheMessages: 3,
      maxCacheBytes: 250,
      maxCacheAge: 1_000,
    })
    for (let index = 0; index < 5; index++)
      step(state, { type: 'broadcast', envelope: envelope(index) }, index)
    expect(state.cache.size).toBe(2) // 100-byte envelopes under a 250-byte cap
    expect(state.cache.get(envelope(4).id)).toBeDefined()
    step(state, { type: 'tick' }, 1_004 + state.config.antiEntropyInterval)
    expect(state.cache.size).toBe(0)
  })
})
