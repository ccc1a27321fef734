// A set of listeners for one kind of event. Listeners must not block: each SSE client and
// WebSocket session puts events into its own bounded queue, so one slow client never holds up
// the others or the agent.

export type Unsubscribe = () => void

export class Fanout<Event> {
  readonly #listeners = new Set<(event: Event) => void>()

  get size(): number {
    return this.#listeners.size
  }

  listen(listener: (event: Event) => void): Unsubscribe {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  emit(event: Event): void {
    for (const listener of this.#listeners) listener(event)
  }

  clear(): void {
    this.#listeners.clear()
  }
}
