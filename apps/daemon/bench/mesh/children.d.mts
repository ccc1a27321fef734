import type { ChildProcess } from 'node:child_process'

/** A message from a B6 child process (node-role.mjs). */
export interface ChildMessage {
  readonly type: string
  readonly [field: string]: unknown
}

export interface ChildHandle {
  readonly label: string
  readonly child: ChildProcess
  readonly pid: number
  /** The latest progress report: unique data messages and probes delivered. */
  readonly progress: { readonly delivered: number; readonly probes: number; readonly at: number }
  readonly errors: string[]
  stderr(): string
  send(message: object): void
  /** The next message of `type`; rejects after `timeoutMs` or when the child exits. */
  next(type: string, timeoutMs: number): Promise<ChildMessage>
  /** Sends `message` and waits for the next message of `type`. */
  request(message: object, type: string, timeoutMs: number): Promise<ChildMessage>
  /** SIGTERM, SIGKILL after 3 s; bounded. */
  stop(): Promise<void>
}

/** Forks `script` with IPC and `env` added to this process's environment. */
export declare function forkChild(
  script: string,
  env: Record<string, string>,
  label: string,
): ChildHandle
