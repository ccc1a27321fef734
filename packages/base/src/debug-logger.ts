import { systemClock, type Clock } from './clock.js'
import { createLogger, type ComponentLogger } from './logger.js'
import { namespaceFilter } from './namespace-filter.js'

/** Options of `debugLogger`. */
export interface DebugLoggerInit {
  /** DEBUG-style pattern of enabled namespaces (`x0x:*,-x0x:transport:frame`). Default: `process.env.DEBUG`, or none. */
  namespaces?: string
  /** Receives each line, newline included. Default: writes to `process.stderr`. */
  write?: (line: string) => void
  /** Stamps each line. Default: `systemClock`. */
  clock?: Clock
}

function writeToStderr(line: string): void {
  process.stderr.write(line)
}

/**
 * A `ComponentLogger` in the manner of the `debug` package: entries of enabled namespaces are
 * written as one line each, `<ISO time> <namespace> <message>\n`, to an injected sink. Which
 * namespaces are enabled is fixed when each component logger is created.
 */
export function debugLogger(init: DebugLoggerInit = {}): ComponentLogger {
  const isEnabled = namespaceFilter(init.namespaces ?? process.env['DEBUG'] ?? '')
  const write = init.write ?? writeToStderr
  const clock = init.clock ?? systemClock
  return {
    forComponent: (name) =>
      createLogger(name, isEnabled, (_level, namespace, message) => {
        write(`${new Date(clock.now()).toISOString()} ${namespace} ${message}\n`)
      }),
  }
}
