import { createRandom, type Random, type Seed } from '@x0x/base'
import type { MachineId } from '@x0x/pqc'
import type { MembershipMessage } from './messages.js'
import { resolveMembershipOptions, type MembershipInit, type MembershipOptions } from './options.js'
import type { PeerDescriptor } from './peer.js'
import { RateLimiter } from './rate-limiter.js'

/** A SWIM probe of one neighbour in flight (SWIM §3.1). */
export interface Probe {
  readonly sequence: number
  readonly startedAt: number
  indirectSent: boolean
}

/** A member of the active view: a live, symmetric link, probed by SWIM. */
export interface ActiveNeighbor {
  readonly peer: PeerDescriptor
  readonly since: number
  /** When any message from this peer (or an indirect ack for it) last arrived. */
  lastHeardAt: number
  probe: Probe | undefined
  /** When it became suspect (SWIM §4.2); undefined while it answers. */
  suspectedAt: number | undefined
}

/** A member of the passive view, with the authenticated sender that introduced it (for quotas). */
export interface PassiveEntry {
  readonly peer: PeerDescriptor
  readonly introducedBy: MachineId | undefined
}

/** An unanswered JOIN, NEIGHBOR, or retry of a peer declared dead. */
export interface PendingRequest {
  readonly peer: PeerDescriptor
  readonly kind: 'join' | 'neighbor' | 'retry'
  readonly sentAt: number
}

/** An indirect probe this node runs for a neighbour (SWIM ping-req), keyed by our sequence. */
export interface IndirectProbe {
  readonly requester: MachineId
  readonly requesterSequence: number
  readonly target: MachineId
  readonly deadline: number
}

/** A neighbour declared dead, kept to retry after a partition heals. */
export interface FailedPeer {
  readonly peer: PeerDescriptor
  readonly failedAt: number
}

/** Why a neighbour left the active view. */
export type NeighborDownReason = 'failed' | 'disconnected' | 'evicted' | 'left'

/** What the core asks its shell to do; the shell performs them in order. */
export type MembershipAction =
  /** Send `message` to `to`, dialling its addresses if no connection exists. */
  | { readonly type: 'send'; readonly to: PeerDescriptor; readonly message: MembershipMessage }
  /** Close the link to `peer` once the frames already queued for it are sent. */
  | { readonly type: 'disconnect'; readonly peer: MachineId }
  | { readonly type: 'neighbor:up'; readonly peer: PeerDescriptor }
  | {
      readonly type: 'neighbor:down'
      readonly peer: PeerDescriptor
      readonly reason: NeighborDownReason
    }

/** What the core reacts to; `now` comes with every input. */
export type MembershipInput =
  /** Arms the periodic timers. */
  | { readonly type: 'start' }
  /** Join the overlay through these contacts (one is tried at a time; re-tried while alone). */
  | { readonly type: 'join'; readonly contacts: readonly PeerDescriptor[] }
  /** A decoded message from an authenticated sender. */
  | { readonly type: 'receive'; readonly from: MachineId; readonly message: MembershipMessage }
  /** Time passed: fire whatever is due (the shell calls it at `nextWakeup`). */
  | { readonly type: 'tick' }
  /** A dial to `peer` failed: nothing sent to it can arrive. */
  | { readonly type: 'send-failed'; readonly peer: MachineId }
  /** The transport connection to `peer` died. */
  | { readonly type: 'connection-lost'; readonly peer: MachineId }
  /** Leave gracefully: DISCONNECT every neighbour and stop. */
  | { readonly type: 'leave' }

/**
 * Everything one node's membership protocol knows. Transitions update it in place and hand it
 * back (a 10,000-node simulation cannot afford copying views per message); treat the state passed
 * to a transition as consumed. Every collection is bounded by an option.
 */
export interface MembershipState {
  /** This node; its addresses are refreshed by the shell once the transport listens. */
  self: PeerDescriptor
  readonly options: MembershipOptions
  /** The only source of randomness: seeded, so runs replay. */
  readonly random: Random
  readonly active: Map<MachineId, ActiveNeighbor>
  readonly passive: Map<MachineId, PassiveEntry>
  /** Passive entries per introducing sender (the quota's counter). */
  readonly passiveBySource: Map<MachineId, number>
  readonly pending: Map<MachineId, PendingRequest>
  readonly indirectProbes: Map<number, IndirectProbe>
  readonly failed: Map<MachineId, FailedPeer>
  readonly limiters: {
    readonly join: RateLimiter
    readonly forwardJoin: RateLimiter
    readonly shuffle: RateLimiter
    readonly pingRequest: RateLimiter
  }
  contacts: readonly PeerDescriptor[]
  /** The contact the next JOIN goes to. */
  contactCursor: number
  /** Peers sent in our last shuffle, replaced first by its reply; undefined when none is awaited. */
  shuffleSent: readonly MachineId[] | undefined
  shuffleSentAt: number
  nextSequence: number
  nextProbeAt: number
  nextShuffleAt: number
  nextRejoinAt: number
  nextFailedRetryAt: number
  status: 'created' | 'running' | 'left'
}

/** The result of one transition. */
export interface MembershipStep {
  readonly state: MembershipState
  readonly actions: MembershipAction[]
}

/** Options of `createMembershipState`. */
export interface MembershipStateInit extends MembershipInit {
  /** Seeds the protocol's random choices. Default: derived from the node's id. */
  seed?: Seed
}

/** A fresh node that knows nobody. @throws InvalidArgumentError on invalid options */
export function createMembershipState(
  self: PeerDescriptor,
  init: MembershipStateInit = {},
): MembershipState {
  const options = resolveMembershipOptions(init)
  const senders = options.maxRateLimitedSenders
  return {
    self,
    options,
    random: createRandom(init.seed ?? new TextEncoder().encode(self.id)),
    active: new Map(),
    passive: new Map(),
    passiveBySource: new Map(),
    pending: new Map(),
    indirectProbes: new Map(),
    failed: new Map(),
    limiters: {
      join: new RateLimiter(options.joinsPerSecond, 1_000, 1),
      forwardJoin: new RateLimiter(options.forwardJoinsPerSenderPerSecond, 1_000, senders),
      shuffle: new RateLimiter(
        options.shufflesPerSenderPerInterval,
        options.shuffleIntervalMs,
        senders,
      ),
      pingRequest: new RateLimiter(
        options.pingRequestsPerSenderPerInterval,
        options.probeIntervalMs,
        senders,
      ),
    },
    contacts: [],
    contactCursor: 0,
    shuffleSent: undefined,
    shuffleSentAt: 0,
    nextSequence: 1,
    nextProbeAt: Number.POSITIVE_INFINITY,
    nextShuffleAt: Number.POSITIVE_INFINITY,
    nextRejoinAt: 0,
    nextFailedRetryAt: Number.POSITIVE_INFINITY,
    status: 'created',
  }
}

/** A transition in progress: the state, the time, and the actions emitted so far. */
export interface Context {
  readonly state: MembershipState
  readonly now: number
  readonly actions: MembershipAction[]
}

/**
 * Requests awaiting an answer at most: fills ask for at most `activeViewSize`, so the rest is
 * room for walks ending here, one retry and one JOIN.
 */
export function maxPendingRequests(options: MembershipOptions): number {
  return 2 * options.maxActiveViewSize + 2
}

/** Queues a message for `to`. */
export function send(context: Context, to: PeerDescriptor, message: MembershipMessage): void {
  context.actions.push({ type: 'send', to, message })
}

/** Up to `count` distinct random elements of `items`. */
export function sampleUpTo<Item>(random: Random, items: readonly Item[], count: number): Item[] {
  return random.sample(items, Math.min(count, items.length))
}
