// The orchestrator's side of the B6 child protocol (node-role.mjs): fork a child with IPC, wait for
// its typed messages (every wait bounded), keep its latest progress and the tail of its stderr.
import { fork } from 'node:child_process'
import { clearTimeout, setTimeout } from 'node:timers'
import { stopChild, track, waitForExit } from '../lib/processes.mjs'

export function forkChild(script, env, label) {
  const child = track(
    fork(script, [], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    }),
  )
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4_000)
  })
  const waiters = []
  const handle = {
    label,
    child,
    pid: child.pid,
    progress: { delivered: 0, probes: 0, at: 0 },
    errors: [],
    stderr: () => stderr,
    send(message) {
      if (child.connected) child.send(message)
    },
    /** The next message of `type`; rejects after `timeoutMs` or when the child exits. */
    next(type, timeoutMs) {
      return new Promise((resolve, reject) => {
        const waiter = { type, resolve, reject, timer: undefined }
        waiter.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1)
          reject(new Error(`${label}: no '${type}' within ${timeoutMs} ms; stderr: ${stderr}`))
        }, timeoutMs)
        waiters.push(waiter)
      })
    },
    request(message, type, timeoutMs) {
      const reply = handle.next(type, timeoutMs)
      handle.send(message)
      return reply
    },
    /** Asks the child to stop, then SIGTERM and SIGKILL; bounded. */
    async stop() {
      handle.send({ cmd: 'stop' })
      if (await waitForExit(child, 2_000)) return
      await stopChild(child, 2_000)
    },
  }
  child.on('message', (message) => {
    if (message.type === 'progress') {
      handle.progress = { delivered: message.delivered, probes: message.probes, at: Date.now() }
    } else if (message.type === 'error') {
      handle.errors.push(message.message)
      process.stderr.write(`${label}: ${message.message}\n`)
    }
    const index = waiters.findIndex((waiter) => waiter.type === message.type)
    if (index < 0) return
    const [waiter] = waiters.splice(index, 1)
    clearTimeout(waiter.timer)
    waiter.resolve(message)
  })
  child.once('exit', (code, signal) => {
    for (const waiter of waiters.splice(0)) {
      clearTimeout(waiter.timer)
      waiter.reject(new Error(`${label} exited (${code ?? signal}); stderr: ${stderr}`))
    }
  })
  return handle
}
