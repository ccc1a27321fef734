// Peer lifecycle events for `/peers/events` and per-peer health (`/peers/:id/health`), in x0x's
// shape: `{peer_id, event:"<Debug text>", at_ms}`.
import type { Agent, AgentEvents } from '@x0x/core'
import { LruCache } from '@x0x/base'
import { Fanout } from './fanout.js'

export interface PeerLifecycleEvent {
  readonly peer_id: string
  readonly event: 'Established' | 'Closed'
  readonly at_ms: number
}

interface PeerRecord {
  generation: number
  connectedAt: number | undefined
  closedAt: number | undefined
  closeReason: string | null
}

/** Peers whose history is kept for `/peers/:id/health`. */
const MAX_PEER_RECORDS = 4_096

export class PeerEventLog {
  readonly fanout = new Fanout<PeerLifecycleEvent>()
  readonly #records = new LruCache<string, PeerRecord>({ capacity: MAX_PEER_RECORDS })
  readonly #agent: Agent

  constructor(agent: Agent) {
    this.#agent = agent
    agent.addEventListener('peer:connect', this.#onConnect)
    agent.addEventListener('peer:disconnect', this.#onDisconnect)
  }

  record(machineId: string): Readonly<PeerRecord> | undefined {
    return this.#records.peek(machineId)
  }

  close(): void {
    this.#agent.removeEventListener('peer:connect', this.#onConnect)
    this.#agent.removeEventListener('peer:disconnect', this.#onDisconnect)
    this.fanout.clear()
  }

  #entry(machineId: string): PeerRecord {
    let record = this.#records.get(machineId)
    if (record === undefined) {
      record = { generation: 0, connectedAt: undefined, closedAt: undefined, closeReason: null }
      this.#records.set(machineId, record)
    }
    return record
  }

  readonly #onConnect = (event: CustomEvent<AgentEvents['peer:connect']>): void => {
    const record = this.#entry(event.detail.machineId)
    record.generation++
    record.connectedAt = event.detail.at
    record.closedAt = undefined
    record.closeReason = null
    this.fanout.emit({
      peer_id: event.detail.machineId,
      event: 'Established',
      at_ms: event.detail.at,
    })
  }

  readonly #onDisconnect = (event: CustomEvent<AgentEvents['peer:disconnect']>): void => {
    const record = this.#entry(event.detail.machineId)
    record.closedAt = event.detail.at
    record.closeReason = event.detail.reason
    this.fanout.emit({ peer_id: event.detail.machineId, event: 'Closed', at_ms: event.detail.at })
  }
}
