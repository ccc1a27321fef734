// Child processes of the daemon benchmarks: every child is registered here and killed on every
// path out of the benchmark (normal exit, exception, Ctrl-C), and read from /proc for CPU and RSS.
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'
import { readFileSync } from 'node:fs'

// The exit and polling primitives are the ones the black-box tests use too.
export { hasExited, poll, stopChild, waitForExit } from '../../test-support/child-process.ts'

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
