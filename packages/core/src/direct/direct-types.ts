import type { AgentId, MachineId } from '@x0x/pqc'
import type { PeerAddress } from '@x0x/transport'

/**
 * What the contact book says about a message from an (agent, machine) pair (API.md §1.8
 * `/trust/evaluate`, snake_case as in DM events' `trust_decision`).
 */
export type TrustDecision =
  'accept' | 'accept_with_flag' | 'reject_machine_mismatch' | 'reject_blocked' | 'unknown'

/** How a direct message left this node (API.md §1.7 `path`). */
export type DirectPath = 'loopback' | 'raw_quic' | 'raw_quic_acked' | 'gossip_inbox'

/** A direct message received by this agent. */
export interface DirectMessage {
  readonly sender: AgentId
  /** The machine it came from: the authenticated connection, or the sender's announced machine. */
  readonly machineId: MachineId | null
  readonly payload: Uint8Array
  /** Unix ms at this node. */
  readonly receivedAt: number
  /** Always true: an unverifiable message is dropped before anyone sees it. */
  readonly verified: true
  readonly trustDecision: TrustDecision
  /** 32 hex chars, the sender's id for the message. */
  readonly requestId: string
  /** How it arrived. */
  readonly path: 'loopback' | 'raw_quic' | 'gossip_inbox'
}

/** What a successful `sendDirect` reports. */
export interface DirectSendResult {
  readonly path: DirectPath
  readonly retriesUsed: number
  /** 32 hex chars. */
  readonly requestId: string
}

/** Where an agent can be reached, from the discovery cache or an imported card. */
export interface DirectRoute {
  readonly machineId: MachineId
  readonly addresses: readonly PeerAddress[]
  readonly kemPublicKey: Uint8Array | null
}

/** `/diagnostics/dm` counters. */
export interface DirectMessagingStats {
  outgoing_send_total: number
  outgoing_send_succeeded: number
  outgoing_send_failed: number
  outgoing_path_loopback: number
  outgoing_path_raw_quic: number
  outgoing_path_gossip_inbox: number
  incoming_envelopes_total: number
  incoming_decode_failed: number
  incoming_signature_failed: number
  incoming_trust_rejected: number
  incoming_delivered_to_subscribe: number
  incoming_duplicates: number
}
