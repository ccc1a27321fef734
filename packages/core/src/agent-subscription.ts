// The application's view of a pub/sub subscription: messages carry the verified sender and its
// local trust level; blocked and revoked senders are dropped here, silently, as x0x does.
import type { Subscription } from '@x0x/gossip-pubsub'
import type { AgentId } from '@x0x/pqc'
import type { AgentMessage, AgentSubscription } from './agent-types.js'
import type { TrustLevel } from './contacts/contact-book.js'

/** The local trust level of a sender, `'blocked'` for revoked agents, null for strangers. */
export type TrustLookup = (agentId: AgentId) => TrustLevel | null

export class FilteredSubscription implements AgentSubscription {
  readonly topic: string
  readonly #inner: Subscription
  readonly #trustOf: TrustLookup
  /** Messages from blocked or revoked senders dropped on this subscription. */
  blocked = 0

  constructor(inner: Subscription, trustOf: TrustLookup) {
    this.topic = inner.topic
    this.#inner = inner
    this.#trustOf = trustOf
  }

  get dropped(): number {
    return this.#inner.dropped
  }

  close(): void {
    this.#inner.close()
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<AgentMessage> {
    for await (const message of this.#inner) {
      const trustLevel = this.#trustOf(message.origin)
      if (trustLevel === 'blocked') {
        this.blocked++
        continue
      }
      yield {
        topic: message.topic,
        payload: message.payload,
        sender: message.origin,
        verified: true,
        trustLevel,
      }
    }
  }
}
