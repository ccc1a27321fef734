import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AgentId } from '@x0x/pqc'
import {
  step,
  type EnvelopeSummary,
  type PlumtreeAction,
  type PlumtreeInput,
} from '../src/plumtree.js'
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

/** A core subscribed to t0: the classic Plumtree behaviour (an interested node never trims). */
function subscribedState(init: Parameters<typeof createPlumtreeState>[0] = {}): PlumtreeState {
  const state = createPlumtreeState(init)
  step(state, { type: 'join', topic: 't0' }, 0)
  return state
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
  expect(state.deferredAnnouncements.size).toBeLessThanOrEqual(state.config.maxMissingMessages)
  for (const [topic, tree] of state.topics) {
    const requested = [...state.missing.values()].filter(
      (missing) => missing.topic === topic && missing.requested,
    ).length
    expect(tree.serving).toBeLessThanOrEqual(requested)
  }
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
    .tuple(peerArbitrary, idArbitrary, topicArbitrary, fc.nat(12), fc.boolean())
    .map(
      ([from, index, topic, hops, forwardOnly]) =>
        ({ type: 'message', from, hops, forwardOnly, envelope: envelope(index, topic) }) as const,
    ),
  fc
    .tuple(peerArbitrary, idArbitrary, fc.nat(12), fc.boolean())
    .map(
      ([from, index, hops, forwardOnly]) =>
        ({ type: 'duplicate', from, hops, forwardOnly, id: envelope(index).id }) as const,
    ),
  fc
    .tuple(idArbitrary, topicArbitrary)
    .map(([index, topic]) => ({ type: 'broadcast', envelope: envelope(index, topic) }) as const),
  fc.constant({ type: 'tick' } as const),
  topicArbitrary.map((topic) => ({ type: 'join', topic }) as const),
  topicArbitrary.map((topic) => ({ type: 'leave', topic }) as const),
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
    const state = subscribedState()
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
    const state = subscribedState()
    step(state, { type: 'neighbour-up', peer: 'a' }, 0)
    step(state, { type: 'broadcast', envelope: envelope(1) }, 0)
    expect(
      step(state, { type: 'duplicate', from: 'a', hops: 0, id: envelope(1).id }, 1).actions,
    ).toEqual([])
    expect(state.topics.get('t0')!.eager.has('a')).toBe(true)
  })

  it('GRAFTs announcers in turn when an announced message does not arrive, then gives up', () => {
    const state = subscribedState({ graftTimeout: 100, graftRetryTimeout: 40 })
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
    const state = subscribedState()
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
    const state = subscribedState({ optimizationThreshold: 3 })
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

describe('Plumtree core, interest-scoped trees', () => {
  const id = envelope(1).id
  const ihave = (from: string, hops = 2): PlumtreeInput => ({
    type: 'ihave',
    from,
    topic: 't0',
    announcements: [{ id, hops }],
  })

  /** An uninterested node with neighbours a, b, c that has already trimmed itself out of t0. */
  function outOfTree(init: Parameters<typeof createPlumtreeState>[0] = {}): PlumtreeState {
    const state = createPlumtreeState(init)
    for (const peer of ['a', 'b', 'c']) step(state, { type: 'neighbour-up', peer }, 0)
    step(state, { type: 'message', from: 'a', hops: 1, envelope: envelope(0) }, 0)
    step(state, { type: 'tick' }, nextWakeAt(state))
    return state
  }

  it('trims an uninterested leaf: a first copy is announced, not pushed, and its sender PRUNEd', () => {
    const state = createPlumtreeState()
    for (const peer of ['a', 'b']) step(state, { type: 'neighbour-up', peer }, 0)
    const { actions } = step(
      state,
      { type: 'message', from: 'a', hops: 1, envelope: envelope(0) },
      0,
    )
    expect(actions).toEqual([{ type: 'send', to: 'a', frame: { type: 'prune', topic: 't0' } }])
    expect(state.topics.get('t0')!.eager.size).toBe(0)
    expect(state.counters.trimmed).toBe(1)
    const flush = step(state, { type: 'tick' }, nextWakeAt(state)).actions
    expect(flush.map((action) => action.to)).toEqual(['b'])
  })

  it('never trims a subscriber', () => {
    const subscriber = subscribedState()
    step(subscriber, { type: 'neighbour-up', peer: 'a' }, 0)
    const received = step(
      subscriber,
      { type: 'message', from: 'a', hops: 1, envelope: envelope(0) },
      0,
    )
    expect(received.actions).toEqual([])
  })

  /** An uninterested node with neighbours a and b that heard of t0 from a (its last announcer). */
  function publisherState(init: Parameters<typeof createPlumtreeState>[0]): PlumtreeState {
    const state = createPlumtreeState(init)
    for (const peer of ['a', 'b']) step(state, { type: 'neighbour-up', peer }, 0)
    step(
      state,
      { type: 'ihave', from: 'a', topic: 't0', announcements: [{ id: envelope(99).id, hops: 1 }] },
      0,
    )
    step(state, { type: 'tick' }, nextWakeAt(state))
    return state
  }

  const pushes = (actions: readonly PlumtreeAction[]) =>
    actions.flatMap((action) =>
      action.type === 'send-message' ? [[action.to, action.hops, action.forwardOnly === true]] : [],
    )

  /** Every action of the ticks due up to `until`. */
  function ticksUntil(state: PlumtreeState, until: number): PlumtreeAction[] {
    const actions: PlumtreeAction[] = []
    for (let at = nextWakeAt(state); at <= until; at = nextWakeAt(state))
      actions.push(...step(state, { type: 'tick' }, at).actions)
    return actions
  }

  it('pushes a one-off publish forward-only to the last announcer, joining nothing, and announces it late', () => {
    const state = publisherState({
      publisherJoinCount: 3,
      publisherInterestTtl: 1_000,
      forwardOnlyAnnouncementDelay: 300,
    })
    // Three publishes, but never three within the window: each is a one-off.
    for (const [index, now] of [100, 700, 1_300].entries()) {
      const { actions } = step(state, { type: 'broadcast', envelope: envelope(index) }, now)
      expect(pushes(actions), `publish ${index}`).toEqual([['a', 1, true]])
      // The tree announces it first; the publisher only after the delay, to all but a.
      expect(ticksUntil(state, now + 299)).toEqual([])
      expect(ticksUntil(state, now + 300 + state.config.ihaveFlushInterval)).toEqual([
        {
          type: 'send',
          to: 'b',
          frame: {
            type: 'ihave',
            topic: 't0',
            announcements: [{ id: envelope(index).id, hops: 1 }],
          },
        },
      ])
    }
    expect(state.topics.get('t0')!.eager.size).toBe(0)
    expect(state.counters.forwarded_only).toBe(3)
    expect(state.deferredAnnouncements.size).toBe(0)
  })

  it('lets a steady publisher join the tree, and trims it once its publishes age out', () => {
    const state = publisherState({ publisherJoinCount: 3, publisherInterestTtl: 1_000 })
    const tree = state.topics.get('t0')!
    step(state, { type: 'broadcast', envelope: envelope(0) }, 100)
    step(state, { type: 'broadcast', envelope: envelope(1) }, 200)
    // The third publish within 1 s: an eager push to the announcer, which joins the link.
    const third = step(state, { type: 'broadcast', envelope: envelope(2) }, 300).actions
    expect(pushes(third)).toEqual([['a', 1, false]])
    expect([...tree.eager]).toEqual(['a'])
    expect(step(state, { type: 'prune', from: 'b', topic: 't0' }, 400).actions).toEqual([])
    expect(tree.eager.has('a')).toBe(true)
    // Interest ends 1 s after the oldest of the last three publishes; the next round trims.
    const round = step(state, { type: 'tick' }, state.nextAntiEntropyAt).actions
    expect(round).toContainEqual({ type: 'send', to: 'a', frame: { type: 'prune', topic: 't0' } })
    expect(tree.eager.size).toBe(0)
    expect(tree.publishes).toHaveLength(3) // bounded by publisherJoinCount
  })

  it('disseminates a forward-only first copy in the tree to every eager link, reshaping nothing', () => {
    const state = subscribedState()
    for (const peer of ['a', 'b', 'c', 'd']) step(state, { type: 'neighbour-up', peer }, 0)
    for (const from of ['a', 'd']) step(state, { type: 'prune', from, topic: 't0' }, 0)
    const { actions } = step(
      state,
      { type: 'message', from: 'a', hops: 2, forwardOnly: true, envelope: envelope(1) },
      10,
    )
    expect(pushes(actions)).toEqual([
      ['b', 3, false],
      ['c', 3, false],
    ])
    expect(actions.filter((action) => action.type === 'send')).toEqual([])
    const tree = state.topics.get('t0')!
    expect([...tree.eager].sort()).toEqual(['b', 'c'])
    const flush = step(state, { type: 'tick' }, nextWakeAt(state)).actions
    expect(flush.map((action) => action.to)).toEqual(['d'])
  })

  it('passes a forward-only first copy on out of the tree towards it, never back, announcing nothing', () => {
    // outOfTree(): a pushed it a payload along the tree; b will be the last announcer.
    const state = outOfTree()
    step(state, ihave('b'), 100) // b is the last announcer of t0
    step(state, { type: 'tick' }, nextWakeAt(state))
    const tree = state.topics.get('t0')!
    const other = envelope(2)
    const onwards = step(
      state,
      { type: 'message', from: 'a', hops: 3, forwardOnly: true, envelope: other },
      200,
    ).actions
    expect(pushes(onwards)).toEqual([['b', 4, true]])
    expect(tree.eager.size).toBe(0)
    // A path node leaves announcing to the tree (and the publisher).
    expect(ticksUntil(state, 1_000)).toEqual([])
    // From the announcer: on to a, which pushed this node a payload along the tree before.
    const forwardOnly = (from: string, index: number) =>
      ({ type: 'message', from, hops: 3, forwardOnly: true, envelope: envelope(index) }) as const
    expect(pushes(step(state, forwardOnly('b', 3), 1_100).actions)).toEqual([['a', 4, true]])
    // With a gone, no way on but back: the copy stops here.
    step(state, { type: 'neighbour-down', peer: 'a' }, 1_150)
    expect(pushes(step(state, forwardOnly('b', 4), 1_200).actions)).toEqual([])
    expect(tree.eager.size).toBe(0)
    expect(state.counters.forwarded_only).toBe(2)
  })

  it('never PRUNEs or reshapes for a forward-only duplicate', () => {
    const state = subscribedState()
    for (const peer of ['a', 'b']) step(state, { type: 'neighbour-up', peer }, 0)
    step(state, { type: 'message', from: 'a', hops: 1, envelope: envelope(1) }, 0)
    const duplicate = { type: 'duplicate', from: 'b', hops: 4, id: envelope(1).id } as const
    expect(step(state, { ...duplicate, forwardOnly: true }, 10).actions).toEqual([])
    expect([...state.topics.get('t0')!.eager].sort()).toEqual(['a', 'b'])
    // The same copy pushed along the tree is a redundant link.
    expect(step(state, duplicate, 20).actions).toEqual([
      { type: 'send', to: 'b', frame: { type: 'prune', topic: 't0' } },
    ])
  })

  it('relays the first announcement of an unseen message once, out of the tree, and never GRAFTs it itself', () => {
    const state = outOfTree({ announcementTtl: 3_000 })
    step(state, ihave('a'), 100)
    step(state, ihave('b', 1), 105)
    const flush = step(state, { type: 'tick' }, nextWakeAt(state)).actions
    expect(flush).toEqual(
      ['b', 'c'].map((to) => ({
        type: 'send',
        to,
        frame: { type: 'ihave', topic: 't0', announcements: [{ id, hops: 3 }] },
      })),
    )
    expect(state.counters.announcements_relayed).toBe(1)
    expect(nextWakeAt(state)).toBe(Math.min(3_100, state.nextAntiEntropyAt))
    expect(
      step(state, { type: 'tick' }, 1_000).actions.filter(
        (a) => a.type === 'send' && a.frame.type === 'graft',
      ),
    ).toEqual([])
    step(state, { type: 'tick' }, 3_100)
    expect(state.missing.size).toBe(0)
    expect(state.counters.announcements_expired).toBe(1)
  })

  it('relays the first announcement of an unseen message as a relay in the tree too, down its eager links', () => {
    // A relay of the tree (a and c eager) hears of a message only from b, say a one-off
    // publisher's late announcement: if it kept it, no subscriber behind it would hear of it.
    const relay = outOfTree()
    step(relay, { type: 'graft', from: 'c', topic: 't0', ids: [] }, 50)
    expect([...relay.topics.get('t0')!.eager].sort()).toEqual(['a', 'c'])
    step(relay, ihave('b'), 100)
    const flush = step(relay, { type: 'tick' }, nextWakeAt(relay)).actions
    expect(flush).toHaveLength(2)
    for (const to of ['a', 'c']) {
      expect(flush).toContainEqual({
        type: 'send',
        to,
        frame: { type: 'ihave', topic: 't0', announcements: [{ id, hops: 3 }] },
      })
    }
    expect(relay.counters.announcements_relayed).toBe(1)
    // It still never GRAFTs for itself; a subscriber behind it GRAFTs through it.
    const timers = step(relay, { type: 'tick' }, 100 + relay.config.graftTimeout).actions
    expect(timers.filter((a) => a.type === 'send' && a.frame.type === 'graft')).toEqual([])
    expect(step(relay, { type: 'graft', from: 'c', topic: 't0', ids: [id] }, 400).actions).toEqual([
      { type: 'send', to: 'b', frame: { type: 'graft', topic: 't0', ids: [id] } },
    ])
  })

  it('forwards a GRAFT for an announced message to its announcer at once and relays the message', () => {
    const state = outOfTree()
    step(state, ihave('a'), 100)
    step(state, { type: 'tick' }, nextWakeAt(state))
    const graft = step(state, { type: 'graft', from: 'c', topic: 't0', ids: [id] }, 200).actions
    expect(graft).toEqual([
      { type: 'send', to: 'a', frame: { type: 'graft', topic: 't0', ids: [id] } },
    ])
    const tree = state.topics.get('t0')!
    expect([...tree.eager].sort()).toEqual(['a', 'c'])
    // The announcer turns out not to have it and PRUNEs: the grafter is still served.
    expect(step(state, { type: 'prune', from: 'a', topic: 't0' }, 210).actions).toEqual([])
    expect(tree.eager.has('c')).toBe(true)
    step(state, ihave('b', 4), 220)
    const retry = step(state, { type: 'tick' }, 200 + state.config.graftRetryTimeout).actions
    expect(retry).toEqual([
      { type: 'send', to: 'b', frame: { type: 'graft', topic: 't0', ids: [id] } },
    ])
    const arrival = step(state, { type: 'message', from: 'b', hops: 5, envelope: envelope(1) }, 320)
    expect(
      arrival.actions.map((action) => action.type === 'send-message' && [action.to, action.hops]),
    ).toEqual([['c', 6]])
    expect([...tree.eager].sort()).toEqual(['b', 'c']) // a relay of the tree now
    expect(tree.serving).toBe(0)
  })

  it('keeps a repair at a relay rather than push it down the tree, and serves it by digest', () => {
    // A relay of the tree: out of it after a first copy from a, then link-GRAFTed back by c.
    const relay = outOfTree()
    step(relay, { type: 'graft', from: 'c', topic: 't0', ids: [] }, 50)
    expect([...relay.topics.get('t0')!.eager].sort()).toEqual(['a', 'c'])
    const repair: PlumtreeInput = { type: 'message', from: 'a', hops: 0, envelope: envelope(1) }
    // Its table lags wherever it was out of the tree: c most likely has the message already.
    expect(pushes(step(relay, repair, 100).actions)).toEqual([])
    const lacking = { origin, epoch: 1, contiguous: 1, highest: 1 }
    const digest = step(
      relay,
      { type: 'digest', from: 'c', topic: 't0', wantsReply: false, entries: [lacking] },
      100 + relay.config.repairDelay,
    )
    expect(pushes(digest.actions)).toEqual([['c', 0, false]])
    // A subscriber pushes a repair on down the tree: every subscriber behind it lacks it too.
    const subscriber = subscribedState()
    for (const peer of ['a', 'c']) step(subscriber, { type: 'neighbour-up', peer }, 0)
    expect(pushes(step(subscriber, repair, 100).actions)).toEqual([['c', 0, false]])
  })

  it('leaves the tree when the last subscriber leaves, and link-GRAFTs towards it on subscribe', () => {
    const state = subscribedState()
    for (const peer of ['a', 'b']) step(state, { type: 'neighbour-up', peer }, 0)
    step(state, { type: 'prune', from: 'b', topic: 't0' }, 0)
    expect(step(state, { type: 'leave', topic: 't0' }, 10).actions).toEqual([
      { type: 'send', to: 'a', frame: { type: 'prune', topic: 't0' } },
    ])
    step(state, ihave('b'), 20)
    expect(step(state, { type: 'join', topic: 't0' }, 30).actions).toEqual([
      { type: 'send', to: 'b', frame: { type: 'graft', topic: 't0', ids: [] } },
    ])
  })
})
