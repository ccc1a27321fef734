#!/usr/bin/env node
// `x0xd`: parse the command line, run the print-only commands, or start the daemon and stop it
// cleanly on Ctrl-C, SIGTERM or `POST /shutdown`. The network stack is loaded only to run the
// daemon, after the API listens, so `--version` and the first `/health` are quick.
import { runDaemonCli } from './cli/run-daemon-cli.js'

const decision = await runDaemonCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
})
if (decision.kind === 'exit') {
  process.exitCode = decision.exitCode
} else {
  const { startDaemon } = await import('./daemon.js')
  try {
    const daemon = await startDaemon(decision.config)
    const { agent } = daemon.node
    const instance = decision.config.instanceName
    process.stdout.write(
      [
        `x0xd ${agent.agentId}`,
        `  agent id:   ${agent.agentId}`,
        `  machine id: ${agent.machineId}`,
        `  API:        http://${daemon.server.address} (token in ${decision.config.dataDir}/api-token)`,
        `  try:        x0x${instance === undefined ? '' : ` --name ${instance}`} status`,
        '',
      ].join('\n'),
    )
    const onSignal = (): void => {
      void daemon.stop()
    }
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    await daemon.stopped
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    process.exitCode = 0
    // Sockets the network layer has not released by the deadline must not keep the process up.
    setTimeout(() => process.exit(0), 200).unref()
  } catch (error) {
    process.stderr.write(
      `x0xd: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
    )
    process.exitCode = 1
  }
}
