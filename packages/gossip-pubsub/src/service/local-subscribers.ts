// The local subscriptions of a service, by topic. The first subscription to a topic joins it in
// the node and the last one to close leaves it; a delivery is offered to every queue of its topic
// without waiting, so one slow reader never stalls the others (see subscription.ts).
import type { Delivery } from '../pubsub-output.js'
import type { ServiceCounters } from './service-stats.js'
import { SubscriberQueue, type SlowSubscriberPolicy } from './subscription.js'

/** What `LocalSubscribers` needs from the service. */
export interface LocalSubscribersOptions {
  readonly counters: ServiceCounters
  /** The topic has its first subscriber. */
  readonly onFirst: (topic: string) => void
  /** The topic's last subscriber closed. */
  readonly onLast: (topic: string) => void
}

export class LocalSubscribers {
  readonly #options: LocalSubscribersOptions
  readonly #byTopic = new Map<string, Set<SubscriberQueue>>()

  constructor(options: LocalSubscribersOptions) {
    this.#options = options
  }

  /** Topics with at least one subscriber. */
  get topics(): number {
    return this.#byTopic.size
  }

  /** Subscriptions, and messages waiting across their queues. */
  counts(): { subscribers: number; queued: number } {
    let subscribers = 0
    let queued = 0
    for (const queues of this.#byTopic.values())
      for (const queue of queues) {
        subscribers++
        queued += queue.queued
      }
    return { subscribers, queued }
  }

  add(topic: string, queueSize: number, policy: SlowSubscriberPolicy): SubscriberQueue {
    const queue = new SubscriberQueue(topic, queueSize, policy, (closed) => {
      this.#remove(closed)
    })
    let queues = this.#byTopic.get(topic)
    if (queues === undefined) {
      queues = new Set()
      this.#byTopic.set(topic, queues)
      this.#options.onFirst(topic)
    }
    queues.add(queue)
    return queue
  }

  deliver(delivery: Delivery): void {
    const queues = this.#byTopic.get(delivery.topic)
    if (queues === undefined) return
    const message = { ...delivery, verified: true as const }
    const counters = this.#options.counters
    for (const queue of queues) {
      const result = queue.offer(message)
      if (result === 'dropped') counters.slow_subscriber_dropped++
      else if (result === 'closed') counters.subscriber_channel_closed++
    }
  }

  /** Ends every subscription (service stop). */
  closeAll(): void {
    for (const queues of [...this.#byTopic.values()]) for (const queue of queues) queue.close()
    this.#byTopic.clear()
  }

  #remove(queue: SubscriberQueue): void {
    const queues = this.#byTopic.get(queue.topic)
    if (queues?.delete(queue) !== true || queues.size > 0) return
    this.#byTopic.delete(queue.topic)
    this.#options.onLast(queue.topic)
  }
}
