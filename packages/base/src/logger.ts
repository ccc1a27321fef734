import { formatLogMessage } from './log-format.js'

/**
 * A component's log, in the shape of libp2p's: call it for debug output, or use `.error`,
 * `.warn`, `.trace`. Arguments are formatted printf-style only when the level is enabled.
 *
 * Security invariant: never pass keys, secrets or plaintext to a logger. As a backstop every
 * x0x logger prints byte arrays as their length only (`<Uint8Array 1952 bytes>`).
 */
export interface Logger {
  (formatter: unknown, ...args: unknown[]): void
  error(formatter: unknown, ...args: unknown[]): void
  warn(formatter: unknown, ...args: unknown[]): void
  trace(formatter: unknown, ...args: unknown[]): void
  /** Whether debug output is enabled: guard expensive argument building with it. */
  readonly enabled: boolean
}

/** What components receive: a factory of per-component loggers (`forComponent('x0x:pubsub')`). */
export interface ComponentLogger {
  forComponent(name: string): Logger
}

/** The level of a log entry; each has its own namespace suffix (`x0x:pubsub:error`). */
export type LogLevel = 'debug' | 'warn' | 'error' | 'trace'

/** The namespace an entry of `level` from component `name` is filtered and written under. */
export function namespaceOf(name: string, level: LogLevel): string {
  return level === 'debug' ? name : `${name}:${level}`
}

/** Receives each enabled, formatted entry. */
export type LogSink = (level: LogLevel, namespace: string, message: string) => void

type LogMethod = (formatter: unknown, ...args: unknown[]) => void

const ignore: LogMethod = () => undefined

/** Builds a `Logger` whose levels are fixed at creation; disabled levels are no-ops. */
export function createLogger(
  name: string,
  isEnabled: (namespace: string) => boolean,
  sink: LogSink,
): Logger {
  const method = (level: LogLevel): LogMethod => {
    const namespace = namespaceOf(name, level)
    if (!isEnabled(namespace)) return ignore
    return (formatter, ...args) => {
      sink(level, namespace, formatLogMessage(formatter, args))
    }
  }
  return Object.assign(method('debug'), {
    error: method('error'),
    warn: method('warn'),
    trace: method('trace'),
    enabled: isEnabled(name),
  })
}

const silentLog: Logger = Object.assign((): void => undefined, {
  error: ignore,
  warn: ignore,
  trace: ignore,
  enabled: false,
})

/** The default logger of every component: writes nothing and costs one function call. */
export const silentLogger: ComponentLogger = {
  forComponent: () => silentLog,
}
