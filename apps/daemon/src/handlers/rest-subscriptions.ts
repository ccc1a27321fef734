// REST subscriptions (`POST /subscribe`, `DELETE /subscribe/:id`) feeding the daemon-wide
// `/events` bus (API.md §1.6). As in x0x, every call creates its own subscription, so two
// subscriptions to one topic deliver each message twice. Unlike x0x, where DELETE only forgot the
// id and messages kept flowing (a leak), DELETE here ends the subscription.
import { randomBytes } from 'node:crypto'
import type { Agent, AgentSubscription } from '@x0x/core'
import { Fanout } from './fanout.js'

/** The most REST subscriptions alive at once; more are refused. */
export const MAX_REST_SUBSCRIPTIONS = 1_024

/** One `/events` message, as the bus carries it. */
export interface BusMessage {
  readonly type: 'message'
  readonly data: {
    readonly subscription_id: string
    readonly topic: string
    readonly payload: string
    readonly sender: string | null
    readonly verified: boolean
    readonly trust_level: 'blocked' | 'unknown' | 'known' | 'trusted' | null
  }
}

/** Subscriptions were refused because `MAX_REST_SUBSCRIPTIONS` are alive. */
export class SubscriptionLimitError extends Error {
  override readonly name = 'SubscriptionLimitError'
}

export class RestSubscriptions {
  readonly bus = new Fanout<BusMessage>()
  readonly #agent: Agent
  readonly #subscriptions = new Map<string, AgentSubscription>()

  constructor(agent: Agent) {
    this.#agent = agent
  }

  get size(): number {
    return this.#subscriptions.size
  }

  /** @throws SubscriptionLimitError, the agent's subscribe errors */
  async subscribe(topic: string): Promise<string> {
    if (this.#subscriptions.size >= MAX_REST_SUBSCRIPTIONS) {
      throw new SubscriptionLimitError('subscription limit reached')
    }
    const id = randomBytes(8).toString('hex')
    const subscription = await this.#agent.subscribe(topic)
    this.#subscriptions.set(id, subscription)
    void this.#forward(id, subscription)
    return id
  }

  /** Whether `id` existed. */
  unsubscribe(id: string): boolean {
    const subscription = this.#subscriptions.get(id)
    if (subscription === undefined) return false
    this.#subscriptions.delete(id)
    subscription.close()
    return true
  }

  close(): void {
    for (const id of [...this.#subscriptions.keys()]) this.unsubscribe(id)
    this.bus.clear()
  }

  async #forward(id: string, subscription: AgentSubscription): Promise<void> {
    for await (const message of subscription) {
      this.bus.emit({
        type: 'message',
        data: {
          subscription_id: id,
          topic: message.topic,
          payload: Buffer.from(message.payload).toString('base64'),
          sender: message.sender,
          verified: message.verified,
          trust_level: message.trustLevel,
        },
      })
    }
  }
}
