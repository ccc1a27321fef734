// Real `x0xd` processes for black-box tests: the shared launcher (test-support/daemon-process.ts)
// on ephemeral loopback ports, and meshes of them.
import { poll } from '../../test-support/child-process.ts'
import {
  startDaemon as startDaemonProcess,
  type DaemonOptions,
  type DaemonProcess,
} from '../../test-support/daemon-process.ts'

export { poll, type DaemonProcess }

export type TestDaemonOptions = Pick<DaemonOptions, 'bootstrapPeers' | 'root' | 'extraConfig'>

/** Starts one daemon; resolves once it has written `api.port`. */
export function startDaemon(options: TestDaemonOptions = {}): Promise<DaemonProcess> {
  // Below the 30 s hook timeout, so that a start that hangs fails with the daemon's stderr.
  return startDaemonProcess({ ...options, rootPrefix: 'x0xd-test-', timeoutMs: 20_000 })
}

/** Starts `count` daemons, each bootstrapping from the first, and waits until all see a peer. */
export async function startMesh(count: number): Promise<DaemonProcess[]> {
  const first = await startDaemon()
  const seed = await first.quicAddress()
  const rest = await Promise.all(
    Array.from({ length: count - 1 }, () => startDaemon({ bootstrapPeers: [seed] })),
  )
  const all = [first, ...rest]
  await Promise.all(
    all.map((daemon) =>
      poll(async () => {
        const { agents } = await daemon.json<{ agents: unknown[] }>('/agents/discovered')
        return agents.length >= count - 1 ? true : undefined
      }, 'every daemon discovers every other agent'),
    ),
  )
  return all
}

/** Kills every daemon (no graceful shutdown: the test is over) and deletes its directories. */
export async function removeDaemons(daemons: readonly DaemonProcess[]): Promise<void> {
  await Promise.all(daemons.map((daemon) => daemon.kill()))
  await Promise.all(daemons.map((daemon) => daemon.remove()))
}
