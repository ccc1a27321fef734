import type { ComponentLogger, Clock } from '@x0x/base'
import type { MembershipServiceInit } from '@x0x/gossip-membership'
import type { PubsubInit, SlowSubscriberPolicy } from '@x0x/gossip-pubsub'
import type { AgentId, Identity, MachineId, PqcBackend } from '@x0x/pqc'
import type { MdnsSocket, PeerCache, Transport } from '@x0x/transport'
import type { ContactBook, TrustLevel } from './contacts/contact-book.js'
import type { DirectMessage } from './direct/direct-types.js'
import type { DiscoveredAgentRecord, DiscoveryCache } from './discovery/discovery-cache.js'

/** Options of `createAgent`; every field optional, defaults as x0x's. */
export interface AgentInit {
  /** `host:port` seeds dialled at start and whenever connections run out. Default: none. */
  bootstrapPeers?: readonly string[]
  /** LAN discovery by mDNS: `true` (default) uses multicast; a socket is used as given. */
  mdns?: boolean | MdnsSocket
  /** Identity re-announce period. Default: 300,000 ms (x0x `heartbeat_interval_secs`). */
  heartbeatIntervalMs?: number
  /** How long `sendDirect` waits for an acknowledgement. Default: 10,000 ms. */
  directAckTimeoutMs?: number
  /** How long a dial for a direct message may take before gossip is used. Default: 5,000 ms. */
  directDialTimeoutMs?: number
  /** Membership parameters (HyParView + SWIM). */
  membership?: MembershipServiceInit
  /** Pub/sub parameters (Plumtree, queues). */
  pubsub?: PubsubInit
}

/** What an agent is assembled from. */
export interface AgentComponents {
  readonly identity: Identity
  /** Started by the agent if it is not yet listening; stopped by `agent.stop()`. */
  readonly transport: Transport
  readonly contacts: ContactBook
  readonly discovery: DiscoveryCache
  readonly peerCache?: PeerCache | undefined
  /** Default: the native backend. */
  readonly backend?: PqcBackend | undefined
  /** Default: `systemClock`. */
  readonly clock?: Clock | undefined
  /** Default: `silentLogger`. */
  readonly logger?: ComponentLogger | undefined
}

/** A pub/sub message handed to the application. */
export interface AgentMessage {
  readonly topic: string
  readonly payload: Uint8Array
  readonly sender: AgentId
  /** Always true: unverified messages never reach an application. */
  readonly verified: true
  /** The sender's trust level in the local contact book; null when it is not a contact. */
  readonly trustLevel: TrustLevel | null
}

/** A topic subscription for the application: iterate it; `close()` ends it. */
export interface AgentSubscription extends AsyncIterable<AgentMessage> {
  readonly topic: string
  /** Messages lost because the subscriber was too slow (its queue was full). */
  readonly dropped: number
  close(): void
}

export interface AgentSubscribeOptions {
  /** Queue bound before the policy applies. Default: pub/sub's (1,024). */
  queueSize?: number
  slowSubscriberPolicy?: SlowSubscriberPolicy
}

/** The outcome of `connectAgent` / `connectMachine` (API.md §1.7). */
export interface ConnectResult {
  readonly outcome: 'Direct' | 'Coordinated' | 'AlreadyConnected' | 'Unreachable' | 'NotFound'
  readonly address: string | null
}

/** Events of an agent, named `noun:verb`. */
export interface AgentEvents {
  'direct:message': DirectMessage
  'peer:connect': { readonly machineId: MachineId; readonly at: number }
  'peer:disconnect': { readonly machineId: MachineId; readonly at: number; readonly reason: string }
  'agent:discovered': DiscoveredAgentRecord
}
