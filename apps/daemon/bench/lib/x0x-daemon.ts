// Real `x0xd` processes for the daemon benchmarks (B6, B9, B10): the shared launcher
// (test-support/daemon-process.ts) with the benchmarks' settings: every child tracked so that it
// dies however the benchmark ends, no update check, and readiness timed up to the first `/health`
// 200.
import { existsSync } from 'node:fs'
import {
  DAEMON_MAIN as BUILT_DAEMON_MAIN,
  startDaemon as startDaemonProcess,
  type DaemonOptions,
  type DaemonProcess,
} from '../../test-support/daemon-process.ts'
import { track } from './processes.mjs'

export type BenchDaemon = DaemonProcess

export type BenchDaemonOptions = Pick<
  DaemonOptions,
  'bindPort' | 'apiPort' | 'bootstrapPeers' | 'timeoutMs'
>

/** The daemon's entry point, built by `pnpm build`; `X0X_BENCH_DAEMON` points elsewhere. */
export const DAEMON_MAIN = process.env.X0X_BENCH_DAEMON ?? BUILT_DAEMON_MAIN

export function daemonAvailable(): boolean {
  return existsSync(DAEMON_MAIN)
}

/**
 * Starts one daemon with a fresh HOME, data dir and config; resolves once `/health` is 200.
 * `remove()` stops it (SIGKILL after 5 s) and deletes its directories.
 */
export function startDaemon(options: BenchDaemonOptions = {}): Promise<BenchDaemon> {
  return startDaemonProcess({
    ...options,
    daemonMain: DAEMON_MAIN,
    rootPrefix: 'x0xd-bench-',
    extraConfig: '\n[update]\nenabled = false\n',
    flags: ['--skip-update-check'],
    waitForHealth: true,
    stopGraceMs: 5_000,
    onSpawn: track,
  })
}
