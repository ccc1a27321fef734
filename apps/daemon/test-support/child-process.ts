// Child-process primitives shared by the black-box tests and the benchmarks. Erasable TypeScript
// with `node:` imports only, so that vitest and Node's type stripping (`pnpm bench`, and
// bench/lib/processes.mjs) load the same file. Not published: `files` in package.json omits it.
import type { ChildProcess } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { clearTimeout, setTimeout } from 'node:timers'
import { setTimeout as sleep } from 'node:timers/promises'

/** How long a child gets to go away after SIGKILL before the wait gives up. */
const KILL_WAIT_MS = 2_000

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}

/** Resolves true once `child` has exited, false after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const onExit = (): void => {
      clearTimeout(timer)
      resolve(true)
    }
    const timer = setTimeout(() => {
      child.off('exit', onExit)
      resolve(false)
    }, timeoutMs)
    child.once('exit', onExit)
  })
}

/**
 * SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone (bounded) with its exit
 * code, null when a signal ended it.
 */
export async function stopChild(child: ChildProcess, graceMs = 3_000): Promise<number | null> {
  if (!hasExited(child)) {
    child.kill('SIGTERM')
    if (!(await waitForExit(child, graceMs))) await killChild(child)
  }
  return child.exitCode
}

/** SIGKILL; resolves once the child is gone (bounded). */
export async function killChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return
  child.kill('SIGKILL')
  await waitForExit(child, KILL_WAIT_MS)
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined. */
export async function poll<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 20_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (performance.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${what}`)
    await sleep(intervalMs)
  }
}
