#!/usr/bin/env node
// The `x0x` binary: wires the real process into `runCli`. The first Ctrl-C (or SIGTERM) cancels
// the command, so streams unsubscribe and end cleanly; a second one exits at once.
import { runCli } from './cli.js'

const interrupt = new AbortController()
const onSignal = (): void => {
  if (interrupt.signal.aborted) process.exit(130)
  interrupt.abort()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

process.exitCode = await runCli(process.argv.slice(2), { signal: interrupt.signal })
