import { getEventListeners } from 'node:events'
import { errorFromSignal } from './signal-error.js'

type BaseListener = Parameters<EventTarget['addEventListener']>[1]
type AddOptions = Parameters<EventTarget['addEventListener']>[2]
type RemoveOptions = Parameters<EventTarget['removeEventListener']>[2]

/** A listener of an event whose `detail` is `Detail`. */
export type TypedEventListener<Detail> =
  ((event: CustomEvent<Detail>) => void) | { handleEvent(event: CustomEvent<Detail>): void }

/**
 * Node's `EventTarget`, typed by a map from event name (`noun:verb`) to the `detail` carried by
 * its `CustomEvent`. As with any `EventTarget`, a listener that throws is reported as an uncaught
 * exception rather than returned to the dispatcher, so listeners must handle their own errors.
 *
 * @example
 * ```ts
 * interface PeerEvents { 'peer:connect': string }
 * const events = new TypedEventTarget<PeerEvents>()
 * events.addEventListener('peer:connect', (event) => event.detail.toUpperCase())
 * events.safeDispatchEvent('peer:connect', 'peer-1')
 * ```
 */
export class TypedEventTarget<EventMap extends object> extends EventTarget {
  override addEventListener<Type extends keyof EventMap & string>(
    type: Type,
    listener: TypedEventListener<EventMap[Type]>,
    options?: AddOptions,
  ): void {
    super.addEventListener(type, listener as BaseListener, options)
  }

  override removeEventListener<Type extends keyof EventMap & string>(
    type: Type,
    listener: TypedEventListener<EventMap[Type]>,
    options?: RemoveOptions,
  ): void {
    super.removeEventListener(type, listener as BaseListener, options)
  }

  /** Dispatches a `CustomEvent` of `type` carrying `detail`; the type system checks the pair. */
  safeDispatchEvent<Type extends keyof EventMap & string>(
    type: Type,
    detail: EventMap[Type],
  ): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail }))
  }

  /** How many listeners are registered for `type`. */
  listenerCount(type: keyof EventMap & string): number {
    return getEventListeners(this, type).length
  }
}

/** Options of `once`. */
export interface OnceOptions<Detail> {
  /** Aborting rejects the wait (see `errorFromSignal`) and removes the listener. Default: none. */
  signal?: AbortSignal | undefined
  /** Only an event whose detail passes resolves the wait. Default: the first event does. */
  filter?: (detail: Detail) => boolean
}

/**
 * Resolves with the `detail` of the next `type` event on `target` that passes `filter`. The
 * listener is removed on every path: resolution, abort, and a `filter` that throws (which rejects).
 */
export function once<EventMap extends object, Type extends keyof EventMap & string>(
  target: TypedEventTarget<EventMap>,
  type: Type,
  options: OnceOptions<EventMap[Type]> = {},
): Promise<EventMap[Type]> {
  const { signal, filter } = options
  if (signal?.aborted === true) return Promise.reject(errorFromSignal(signal))
  return new Promise<EventMap[Type]>((resolve, reject) => {
    const cleanup = (): void => {
      target.removeEventListener(type, listener)
      signal?.removeEventListener('abort', onAbort)
    }
    const listener = (event: CustomEvent<EventMap[Type]>): void => {
      try {
        if (filter !== undefined && !filter(event.detail)) return
      } catch (error) {
        cleanup()
        // The filter's own error passes through unchanged, whatever it is.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        reject(error)
        return
      }
      cleanup()
      resolve(event.detail)
    }
    const onAbort = (): void => {
      cleanup()
      reject(errorFromSignal(signal))
    }
    target.addEventListener(type, listener)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
