// Inbound direct messages fanned out to `/direct/events` clients and `/ws/direct` sessions in the
// JSON shape of API.md §2.2 (flat, snake_case `trust_decision`).
import type { Agent, DirectMessage } from '@x0x/core'
import { Fanout } from './fanout.js'

/** A direct message as the API shows it. */
export interface DirectMessageEvent {
  readonly sender: string
  readonly machine_id: string | null
  readonly payload: string
  readonly received_at: number
  readonly verified: boolean
  readonly trust_decision: DirectMessage['trustDecision'] | null
}

export function directMessageEvent(message: DirectMessage): DirectMessageEvent {
  return {
    sender: message.sender,
    machine_id: message.machineId,
    payload: Buffer.from(message.payload).toString('base64'),
    received_at: message.receivedAt,
    verified: message.verified,
    trust_decision: message.trustDecision,
  }
}

export class DirectHub {
  readonly fanout = new Fanout<DirectMessageEvent>()
  /** Events dropped from full subscriber queues (`subscriber_events_evicted`). */
  evicted = 0
  /** The per-subscriber queue bound advertised in `/diagnostics/dm`. */
  readonly capacity: number
  readonly #agent: Agent
  readonly #listener = (event: CustomEvent<DirectMessage>): void => {
    this.fanout.emit(directMessageEvent(event.detail))
  }

  constructor(agent: Agent, capacity: number) {
    this.#agent = agent
    this.capacity = capacity
    agent.addEventListener('direct:message', this.#listener)
  }

  close(): void {
    this.#agent.removeEventListener('direct:message', this.#listener)
    this.fanout.clear()
  }
}
