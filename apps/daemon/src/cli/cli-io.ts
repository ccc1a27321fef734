/** Where the flag-only commands print, and what they read. */
export interface DaemonCliIo {
  /** Default: `process.env`. HOME, XDG_DATA_HOME and XDG_CONFIG_HOME pick the directories. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
  /** Default: `process.platform`. */
  readonly platform?: NodeJS.Platform | undefined
  /** Timeout of each `/health` probe of `--list` and `doctor`. Default: 1,000 ms. */
  readonly probeTimeoutMs?: number | undefined
}

/** How long a `/health` probe waits for a local daemon. */
export const DEFAULT_PROBE_TIMEOUT_MS = 1_000

/** Whether `GET http://<address>/health` answers 200 within `timeoutMs`. */
export async function probeHealth(address: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`http://${address}/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    })
    await response.body?.cancel()
    return response.ok
  } catch {
    return false
  }
}
