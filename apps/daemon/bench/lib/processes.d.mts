import type { ChildProcess } from 'node:child_process'

export { hasExited, poll, stopChild, waitForExit } from '../../test-support/child-process.ts'

/** Registers `child` so that it is killed when the benchmark ends, however it ends. */
export declare function track<T extends ChildProcess>(child: T): T
export interface ProcessStats {
  /** User + system CPU seconds so far. */
  readonly cpuS: number
  readonly rssMb: number
  /** Peak RSS (VmHWM). */
  readonly peakRssMb: number
}
/** CPU and memory of a live process from /proc; undefined once it is gone. */
export declare function processStats(pid: number): ProcessStats | undefined
/** A UDP port that was free a moment ago on 127.0.0.1. */
export declare function freeUdpPort(): Promise<number>
/** A TCP port that was free a moment ago on 127.0.0.1. */
export declare function freeTcpPort(): Promise<number>
