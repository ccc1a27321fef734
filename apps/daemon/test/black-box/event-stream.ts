// An SSE reader for black-box tests: collects `event:`/`data:` blocks from a daemon stream and
// lets the test wait (bounded) for the next event matching a predicate.
export interface SseEvent {
  readonly event: string
  readonly data: unknown
}

export interface EventReader {
  /** Resolves with the first event (already received or future) that `match` accepts. */
  next(match: (event: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>
  readonly events: readonly SseEvent[]
  close(): void
}

export async function openEvents(
  url: string,
  headers: Record<string, string> = {},
): Promise<EventReader> {
  const controller = new AbortController()
  const response = await fetch(url, { headers, signal: controller.signal })
  if (response.status !== 200) throw new Error(`SSE ${url} answered ${response.status}`)
  const events: SseEvent[] = []
  const waiters = new Set<() => void>()
  void (async () => {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += decoder.decode(value, { stream: true })
        let end
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: ?(.*)$/m.exec(block)?.[1]
          const data = /^data: ?(.*)$/m.exec(block)?.[1]
          if (event !== undefined && data !== undefined) {
            events.push({ event, data: JSON.parse(data) as unknown })
            for (const wake of waiters) wake()
          }
        }
      }
    } catch {
      // aborted by close()
    }
  })()
  return {
    events,
    next(match, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        let seen = 0
        const check = (): void => {
          for (; seen < events.length; seen++) {
            const event = events[seen] as SseEvent
            if (match(event)) {
              cleanup()
              resolve(event)
              return
            }
          }
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`no matching event within ${timeoutMs} ms`))
        }, timeoutMs)
        const cleanup = (): void => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      })
    },
    close() {
      controller.abort()
    },
  }
}
