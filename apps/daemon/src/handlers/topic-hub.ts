// WebSocket topic subscriptions (API.md §2.1): one agent subscription per topic shared by every
// WebSocket session that subscribed to it, dropped when the last session leaves.
import type { Agent, AgentMessage, AgentSubscription } from '@x0x/core'
import { Fanout, type Unsubscribe } from './fanout.js'

interface SharedTopic {
  readonly subscription: Promise<AgentSubscription>
  readonly fanout: Fanout<AgentMessage>
}

/** Topics one session may hold; more are refused with an error frame. */
export const MAX_TOPICS_PER_SESSION = 1_024

export class TopicHub {
  readonly #agent: Agent
  readonly #topics = new Map<string, SharedTopic>()

  constructor(agent: Agent) {
    this.#agent = agent
  }

  /** Sessions per topic, for `/ws/sessions`. */
  counts(): Record<string, number> {
    const result: Record<string, number> = {}
    for (const [topic, shared] of this.#topics) result[topic] = shared.fanout.size
    return result
  }

  /** Adds `listener` to `topic`; resolves once the shared subscription is acknowledged. */
  async join(topic: string, listener: (message: AgentMessage) => void): Promise<Unsubscribe> {
    let shared = this.#topics.get(topic)
    if (shared === undefined) {
      const fanout = new Fanout<AgentMessage>()
      const subscription = this.#agent.subscribe(topic)
      shared = { subscription, fanout }
      this.#topics.set(topic, shared)
      void this.#forward(topic, shared)
    }
    const leave = shared.fanout.listen(listener)
    await shared.subscription
    const current = shared
    return () => {
      leave()
      if (current.fanout.size === 0 && this.#topics.get(topic) === current) {
        this.#topics.delete(topic)
        void current.subscription.then((subscription) => {
          subscription.close()
        })
      }
    }
  }

  close(): void {
    for (const shared of this.#topics.values()) {
      shared.fanout.clear()
      void shared.subscription.then((subscription) => {
        subscription.close()
      })
    }
    this.#topics.clear()
  }

  async #forward(topic: string, shared: SharedTopic): Promise<void> {
    let subscription: AgentSubscription
    try {
      subscription = await shared.subscription
    } catch {
      if (this.#topics.get(topic) === shared) this.#topics.delete(topic)
      return
    }
    for await (const message of subscription) shared.fanout.emit(message)
  }
}
