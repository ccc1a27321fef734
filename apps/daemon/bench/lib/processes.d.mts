import type { ChildProcess } from 'node:child_process'

/** Registers `child` so that it is killed when the benchmark ends, however it ends. */
export declare function track<T extends ChildProcess>(child: T): T
export declare function hasExited(child: ChildProcess): boolean
/** Resolves when `child` exits (true) or after `timeoutMs` (false). */
export declare function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean>
/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone (bounded). */
export declare function stopChild(child: ChildProcess, graceMs?: number): Promise<void>
/** Polls `probe` every `intervalMs` until it returns a value other than undefined. */
export declare function poll<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs: number,
  intervalMs?: number,
): Promise<T>
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
