/**
 * `@x0x/gossip-membership`: layer 3 of x0x. Who a node gossips with: HyParView (Leitão, Pereira,
 * Rodrigues 2007) keeps a small symmetric active view of live links and a larger passive view of
 * known peers; SWIM-style probing (Das, Gupta, Motivala 2002) finds a dead neighbour in seconds
 * and the active view is repaired from the passive view at once. The protocol is a pure core,
 * `stepMembership(state, input, now) → { state, actions }`; `createMembership` wires it to any
 * `Transport` and a `Clock`. `@x0x/gossip-membership/testing` holds the overlay simulator.
 *
 * @example
 * ```ts
 * import { VirtualClock } from '@x0x/base'
 * import { createMemoryNetwork } from '@x0x/transport'
 * import { createMembership } from '@x0x/gossip-membership'
 *
 * const clock = new VirtualClock()
 * const network = createMemoryNetwork({ seed: 1 }, { clock })
 * const [a, b] = [network.createTransport(), network.createTransport()]
 * await Promise.all([a.start(), b.start()])
 * const alice = createMembership({ seed: 1 }, { transport: a, clock })
 * const bob = createMembership({ seed: 2 }, { transport: b, clock })
 * alice.start()
 * bob.start()
 * bob.addEventListener('neighbor:up', (event) => {
 *   console.log('bob now gossips with', event.detail.id)
 * })
 * bob.join([{ id: a.machineId, addresses: a.listenAddresses }])
 * await clock.advanceAsync(2_000) // bob.getNeighbors() now holds alice, and alice holds bob
 * await Promise.all([alice.stop(), bob.stop()])
 * ```
 *
 * @packageDocumentation
 */
export {
  createMembership,
  type Membership,
  type MembershipComponents,
  type MembershipEvents,
  type MembershipServiceInit,
  type NeighborDownDetail,
} from './membership-service.js'
export {
  createMembershipState,
  type ActiveNeighbor,
  type FailedPeer,
  type IndirectProbe,
  type MembershipAction,
  type MembershipInput,
  type MembershipState,
  type MembershipStateInit,
  type MembershipStep,
  type NeighborDownReason,
  type PassiveEntry,
  type PendingRequest,
  type Probe,
} from './state.js'
export { stepMembership, nextWakeup } from './transition.js'
export { resolveMembershipOptions, type MembershipInit, type MembershipOptions } from './options.js'
export type { PeerDescriptor } from './peer.js'
export type {
  AckMessage,
  DisconnectMessage,
  ForwardJoinMessage,
  JoinMessage,
  MembershipMessage,
  MembershipMessageType,
  NeighborMessage,
  NeighborReplyMessage,
  PingMessage,
  PingRequestAckMessage,
  PingRequestMessage,
  ShuffleMessage,
  ShuffleReplyMessage,
} from './messages.js'
export {
  decodeMembershipMessage,
  encodeMembershipMessage,
  type MembershipCodecLimits,
} from './codec.js'
export { JoinFailedError, MembershipDecodeError, MembershipStoppedError } from './errors.js'
export {
  DEFAULT_ACK_TIMEOUT_MS,
  DEFAULT_ACTIVE_RANDOM_WALK_LENGTH,
  DEFAULT_ACTIVE_VIEW_SIZE,
  DEFAULT_INDIRECT_PROBE_COUNT,
  DEFAULT_MAX_ACTIVE_VIEW_SIZE,
  DEFAULT_PASSIVE_RANDOM_WALK_LENGTH,
  DEFAULT_PASSIVE_VIEW_SIZE,
  DEFAULT_PROBE_INTERVAL_MS,
  DEFAULT_SHUFFLE_ACTIVE_COUNT,
  DEFAULT_SHUFFLE_INTERVAL_MS,
  DEFAULT_SHUFFLE_PASSIVE_COUNT,
  DEFAULT_SUSPICION_TIMEOUT_MS,
  MAX_ACTIVE_VIEW_SIZE_LIMIT,
  MAX_ADDRESSES_PER_PEER,
  MAX_MEMBERSHIP_FRAME_BYTES,
  MAX_PASSIVE_VIEW_SIZE_LIMIT,
  MAX_PEERS_PER_MESSAGE,
} from './constants.js'
