// Child processes of the daemon benchmarks: every child is registered here and killed on every
// path out of the benchmark (normal exit, exception, Ctrl-C), and read from /proc for CPU and RSS.
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { clearTimeout, setTimeout } from 'node:timers'
import { setTimeout as sleep } from 'node:timers/promises'

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const CLOCK_TICKS_PER_S = 100

const children = new Set()

function killAllChildren() {
  for (const child of children) {
    try {
      child.kill('SIGKILL')
    } catch {
      // already gone
    }
  }
  children.clear()
}

process.once('exit', killAllChildren)
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    killAllChildren()
    process.exit(130)
  })
}

/** Registers `child` so that it is killed when the benchmark ends, however it ends. */
export function track(child) {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

export function hasExited(child) {
  return child.exitCode !== null || child.signalCode !== null
}

/** Resolves when `child` exits or after `timeoutMs` (then with false). */
export function waitForExit(child, timeoutMs) {
  if (hasExited(child)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve(false)
    }, timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone (bounded). */
export async function stopChild(child, graceMs = 3_000) {
  if (hasExited(child)) return
  child.kill('SIGTERM')
  if (await waitForExit(child, graceMs)) return
  child.kill('SIGKILL')
  await waitForExit(child, 2_000)
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined. */
export async function poll(probe, what, timeoutMs, intervalMs = 25) {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (performance.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${what}`)
    await sleep(intervalMs)
  }
}

/**
 * CPU seconds (user + system) so far, current RSS and peak RSS (VmHWM) of a live process, in MiB;
 * undefined once it is gone.
 */
export function processStats(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the parenthesised command name, which may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const cpuS = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { cpuS, rssMb: kib('VmRSS') / 1024, peakRssMb: kib('VmHWM') / 1024 }
  } catch {
    return undefined
  }
}

/** A UDP port that was free a moment ago on 127.0.0.1 (QUIC bind addresses for daemons). */
export function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4')
    socket.once('error', reject)
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address()
      socket.close(() => {
        resolve(port)
      })
    })
  })
}

/** A TCP port that was free a moment ago on 127.0.0.1 (a fixed API address for B10). */
export function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0)
      })
    })
  })
}
