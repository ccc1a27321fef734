import type { ChildProcess } from 'node:child_process'

/** The daemon's entry point, built by `pnpm build`; `X0X_BENCH_DAEMON` points elsewhere. */
export declare const DAEMON_MAIN: string
export declare function daemonAvailable(): boolean

export interface DaemonOptions {
  /** QUIC port on 127.0.0.1 (default 0: any). */
  readonly bindPort?: number
  /** API port on 127.0.0.1 (default 0: ephemeral, learnt from `api.port`). */
  readonly apiPort?: number
  /** `ip:port` QUIC addresses (default none). */
  readonly bootstrapPeers?: readonly string[]
  /** Bound on reaching a healthy `/health` (default 30 s). */
  readonly timeoutMs?: number
}

export interface BenchDaemon {
  readonly root: string
  readonly dataDir: string
  readonly child: ChildProcess
  readonly bindPort: number
  /** `performance.now()` just before exec. */
  readonly spawnedAt: number
  /** `performance.now()` at the first `/health` 200 (polled from exec when `apiPort` is set). */
  readonly healthyAt: number
  /** `performance.now()` when `api.port` appeared: the agent is up and every route served. */
  readonly readyAt: number
  readonly apiBase: string
  readonly token: string
  stderr(): string
  /** `fetch` against the API with the bearer token (10 s timeout unless a signal is given). */
  api(path: string, init?: RequestInit): Promise<Response>
  /** GET/… `path` and parse JSON; throws on a non-2xx status. */
  json(path: string, init?: RequestInit): Promise<Record<string, unknown>>
  /** SIGTERM (SIGKILL after 5 s) and removes the temporary directories. */
  stop(): Promise<void>
}

/** Starts one daemon with a fresh HOME, data dir and config; resolves once `/health` is 200. */
export declare function startDaemon(options?: DaemonOptions): Promise<BenchDaemon>
